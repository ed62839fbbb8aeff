package dev.roundtrip.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * ByteMutator derives a fuzz case from the corpus with a few mutations drawn from one
 * {@link Random}, so a case is reproduced by its seed alone: byte flips and interesting bytes,
 * insertions of protocol fragments, deletions, duplicated ranges, splices of two seeds, numbers
 * replaced by boundary values, line-ending games (bare LF, bare CR, folding), truncation, and
 * lines repeated up to the size limits.
 */
final class ByteMutator {
    /** The largest case: above the default head limit (256 KiB), so limits are hit. */
    static final int MAX_CASE_BYTES = 300 * 1024;

    private static final byte[] INTERESTING = {'\r', '\n', ':', ' ', '\t', ';', '0', '1', 'f', 'F', 0, 0x7f,
        (byte) 0x80, (byte) 0xff, '"', ',', '=', '/', '.', 'H'};
    private static final String[] FRAGMENTS = {
        "\r\n", "\n", "\r", "\r\n\r\n", " ", "\t", ";ext=1", ";" + "e".repeat(300), ",",
        "Transfer-Encoding: chunked\r\n", "Content-Length: 5\r\n", "Content-Length: 0\r\n", "Connection: close\r\n",
        "Content-Encoding: gzip\r\n", "0\r\n\r\n", "0\r\nX-T: 1\r\n\r\n", "HTTP/1.1 100 Continue\r\n\r\n",
        "HTTP/1.1 200 OK\r\n", "HTTP/1.0 ", "HTTP/2 ", "Set-Cookie: a=b; Domain=.; Path=\r\n", " folded\r\n",
        "Trailer: X\r\n", "\u0000", "Keep-Alive: timeout=-1\r\n", "Transfer-Encoding: gzip, chunked\r\n",
    };
    private static final String[] NUMBERS = {
        "0", "1", "-1", "+1", "00", "000", "099", "100", "101", "199", "204", "304", "599", "600", "999", "1000",
        "7fffffff", "80000000", "ffffffff", "100000000", "fffffffffffffff", "ffffffffffffffff", "1ffffffffffffffff",
        "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
        "18446744073709551616", "0000000000000000000000001", "1e3", " 5", "5 ",
    };
    private static final String[][] LINE_ENDINGS = {
        {"\r\n", "\n"}, {"\r\n", "\r"}, {"\r\n", "\n\r"}, {"\r\n", "\r\r\n"}, {"\r\n", "\r\n "}, {"\r\n", "\r\n\t"},
        {"\n", "\r\n"}, {"\r\n", ""},
    };

    private ByteMutator() {
    }

    /** Returns the case for {@code seed}: a corpus message and method, mutated 1 to 4 times. */
    static Case generate(long seed, List<ResponseCorpus.Seed> corpus) {
        Random r = new Random(seed);
        ResponseCorpus.Seed base = corpus.get(r.nextInt(corpus.size()));
        String method = r.nextInt(20) == 0 ? (base.method().equals("HEAD") ? "GET" : "HEAD") : base.method();
        byte[] b = base.message();
        int mutations = 1 + r.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            b = mutate(b, r, corpus);
            if (b.length > MAX_CASE_BYTES) {
                b = Arrays.copyOf(b, MAX_CASE_BYTES);
            }
        }
        return new Case(seed, method, b);
    }

    /** One fuzz case. */
    record Case(long seed, String method, byte[] message) {
    }

    private static byte[] mutate(byte[] b, Random r, List<ResponseCorpus.Seed> corpus) {
        int op = r.nextInt(11);
        switch (op) {
            case 0: { // flip a bit
                if (b.length == 0) return b;
                byte[] c = b.clone();
                c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
                return c;
            }
            case 1: { // set an interesting byte
                if (b.length == 0) return b;
                byte[] c = b.clone();
                c[r.nextInt(c.length)] = INTERESTING[r.nextInt(INTERESTING.length)];
                return c;
            }
            case 2: // insert a protocol fragment
                return insert(b, r.nextInt(b.length + 1), ascii(FRAGMENTS[r.nextInt(FRAGMENTS.length)]));
            case 3: { // delete a range
                if (b.length == 0) return b;
                int from = r.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + r.nextInt(16));
                return cut(b, from, to);
            }
            case 4: { // duplicate a range somewhere else
                if (b.length == 0) return b;
                int from = r.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + r.nextInt(64));
                return insert(b, r.nextInt(b.length + 1), Arrays.copyOfRange(b, from, to));
            }
            case 5: { // splice: a prefix of this one and a suffix of another seed
                byte[] other = corpus.get(r.nextInt(corpus.size())).message();
                int at = r.nextInt(b.length + 1);
                int from = r.nextInt(other.length + 1);
                return join(Arrays.copyOf(b, at), Arrays.copyOfRange(other, from, other.length));
            }
            case 6: // replace a run of hex digits with a boundary number
                return replaceNumber(b, r);
            case 7: // line-ending games
                return replaceLineEnding(b, r);
            case 8: // truncate
                return Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 9: // repeat one line many times, up to and past the limits
                return repeatLine(b, r);
            default: { // a few random bytes
                byte[] junk = new byte[1 + r.nextInt(8)];
                r.nextBytes(junk);
                return insert(b, r.nextInt(b.length + 1), junk);
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        return join(Arrays.copyOf(b, at), what, Arrays.copyOfRange(b, at, b.length));
    }

    private static byte[] cut(byte[] b, int from, int to) {
        return join(Arrays.copyOf(b, from), Arrays.copyOfRange(b, to, b.length));
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static boolean hex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static byte[] replaceNumber(byte[] b, Random r) {
        if (b.length == 0) return b;
        int start = r.nextInt(b.length);
        while (start < b.length && !hex(b[start])) start++;
        if (start == b.length) return b;
        int end = start;
        while (end < b.length && hex(b[end])) end++;
        byte[] number = ascii(NUMBERS[r.nextInt(NUMBERS.length)]);
        return join(Arrays.copyOf(b, start), number, Arrays.copyOfRange(b, end, b.length));
    }

    private static byte[] replaceLineEnding(byte[] b, Random r) {
        String[] game = LINE_ENDINGS[r.nextInt(LINE_ENDINGS.length)];
        byte[] from = ascii(game[0]);
        int at = indexOf(b, from, r.nextInt(b.length + 1));
        if (at < 0) at = indexOf(b, from, 0);
        if (at < 0) return b;
        boolean all = r.nextInt(4) == 0;
        byte[] to = ascii(game[1]);
        if (!all) {
            return join(Arrays.copyOf(b, at), to, Arrays.copyOfRange(b, at + from.length, b.length));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        for (int k = indexOf(b, from, 0); k >= 0; k = indexOf(b, from, i)) {
            out.write(b, i, k - i);
            out.writeBytes(to);
            i = k + from.length;
        }
        out.write(b, i, b.length - i);
        return out.toByteArray();
    }

    private static byte[] repeatLine(byte[] b, Random r) {
        if (b.length == 0) return b;
        int start = r.nextInt(b.length);
        while (start > 0 && b[start - 1] != '\n') start--;
        int end = indexOf(b, new byte[] {'\n'}, start);
        if (end < 0) return b;
        byte[] line = Arrays.copyOfRange(b, start, end + 1);
        int times = Math.min(1 << r.nextInt(17), MAX_CASE_BYTES / line.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + line.length * times);
        out.write(b, 0, end + 1);
        for (int i = 0; i < times; i++) {
            out.writeBytes(line);
        }
        out.write(b, end + 1, b.length - end - 1);
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = from; i <= b.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
