package dev.roundtrip.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * ResponseCorpus holds the valid responses the fuzzer starts from, one of each framing and
 * feature the parser knows: Content-Length, chunked with extensions and trailers, until close,
 * HTTP/1.0, 1xx before a final response, bodiless statuses, obs-fold, bare LF, gzip (fixed and
 * chunked), cookies, and out-of-range status codes.
 */
final class ResponseCorpus {
    /** A seed message and the method of the request it answers. */
    record Seed(String method, byte[] message) {
    }

    private static final List<Seed> SEEDS = build();

    private ResponseCorpus() {
    }

    static List<Seed> seeds() {
        return SEEDS;
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] chunkedBytes(byte[] data, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < data.length; i += chunk) {
            int n = Math.min(chunk, data.length - i);
            out.writeBytes(latin1(Integer.toHexString(n) + "\r\n"));
            out.write(data, i, n);
            out.writeBytes(latin1("\r\n"));
        }
        out.writeBytes(latin1("0\r\n\r\n"));
        return out.toByteArray();
    }

    private static List<Seed> build() {
        List<Seed> s = new ArrayList<>();
        s.add(new Seed("GET", latin1("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world")));
        s.add(new Seed("GET", latin1("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                + "5;name=value\r\nhello\r\n1 ; a=b ; c=\"d\"\r\n \r\n6;ext\r\nworld!\r\n"
                + "0;last=1\r\nX-Sum: abc123\r\nX-Other:  two words \r\n\r\n")));
        s.add(new Seed("GET", latin1("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the server\r\ncloses\n")));
        s.add(new Seed("GET", latin1("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5, max=100\r\n"
                + "Content-Length: 5\r\n\r\nabcde")));
        s.add(new Seed("GET", latin1("HTTP/1.0 404 Not Found\r\n\r\nall of it")));
        s.add(new Seed("GET", latin1("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")));
        s.add(new Seed("HEAD", latin1("HTTP/1.1 200 OK\r\nContent-Length: 123\r\nTransfer-Encoding: chunked\r\n\r\n")));
        s.add(new Seed("GET", latin1("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n")));
        s.add(new Seed("GET", latin1("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nContent-Length: 99\r\n\r\n")));
        s.add(new Seed("GET", latin1("HTTP/1.1 200 OK\r\nX-Folded: first\r\n  second\r\n\tthird \r\nX-After: z\r\n"
                + "Content-Length: 3\r\n\r\nabc")));
        s.add(new Seed("GET", latin1("HTTP/1.1 200 OK\nContent-Length: 3\nX-A:  b \n\nabc")));
        s.add(new Seed("GET", latin1("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n2;x\nde\n0\nT: v\n\n")));
        s.add(new Seed("GET", latin1("HTTP/1.1 302 Found\r\nLocation: /next?a=b\r\nSet-Cookie: id=a3fWa; Expires=Wed, 21 Oct"
                + " 2037 07:28:00 GMT; Secure; HttpOnly; Path=/; Domain=example.test; SameSite=Lax\r\n"
                + "Set-Cookie: __Host-s=1; Max-Age=60; Path=/; Secure\r\nSet-Cookie: bad\r\nContent-Length: 0\r\n\r\n")));
        s.add(new Seed("GET", latin1("HTTP/1.1 099 Below\r\nContent-Length: 2\r\n\r\nok")));
        s.add(new Seed("GET", latin1("HTTP/1.1 999 Request denied\r\nConnection: close\r\nContent-Length: 6\r\n\r\ndenied")));
        s.add(new Seed("GET", latin1("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n"
                + "Foo : bar\r\nX-Ctl: a\u0001b\r\n\r\n3\r\nabc\r\n0\r\n\r\n")));
        s.add(new Seed("GET", latin1("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nVary: a\r\nVary: b\r\n\r\nxyz")));
        byte[] gz = gzip("hello, compressed world! ".repeat(40));
        s.add(new Seed("GET", concat(latin1("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + gz.length
                + "\r\n\r\n"), gz)));
        s.add(new Seed("GET", concat(latin1("HTTP/1.1 200 OK\r\nContent-Encoding: GZIP\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n"), chunkedBytes(gz, 100))));
        s.add(new Seed("GET", concat(latin1("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n"), gz)));
        return Collections.unmodifiableList(s);
    }
}
