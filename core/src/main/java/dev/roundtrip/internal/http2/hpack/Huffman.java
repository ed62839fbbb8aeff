package dev.roundtrip.internal.http2.hpack;

/**
 * Huffman is the static Huffman code of RFC 7541 §5.2 and Appendix B. The code is canonical
 * (codes of one length are consecutive, in symbol order, and each length starts where the shorter
 * ones end), so only the code lengths are listed; the codes are computed from them.
 *
 * <p>Decoding runs a state machine four bits at a time over the code tree's 256 internal nodes,
 * built once. A string is valid only if it ends on a symbol boundary or inside at most 7 bits of
 * padding that are all ones (the start of EOS); an EOS symbol in the data is an error (§5.2).
 */
final class Huffman {
    /** The end-of-string symbol, never valid inside data. */
    private static final int EOS = 256;

    /** Code lengths of symbols 0 to 256, from RFC 7541 Appendix B. */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    };

    /** Codes of symbols 0 to 256, right-aligned. */
    static final int[] CODES = new int[257];

    // Transition table: for state s (an internal node) and nibble n, TRANSITIONS[s * 16 + n] holds
    // the next state (bits 0-7), EMIT (a symbol was completed; the symbol in bits 8-15) and FAIL.
    private static final int EMIT = 1 << 16;
    private static final int FAIL = 1 << 17;
    private static final int[] TRANSITIONS = new int[256 * 16];
    /** Whether ending the string in state s is valid: at most 7 padding bits, all ones. */
    private static final boolean[] ACCEPTS = new boolean[256];

    static {
        int[] order = new int[257];
        for (int i = 0; i < 257; i++) {
            order[i] = i;
        }
        // symbols by (length, symbol): insertion sort is fine for 257 items
        for (int i = 1; i < 257; i++) {
            int s = order[i];
            int j = i - 1;
            while (j >= 0 && LENGTHS[order[j]] > LENGTHS[s]) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = s;
        }
        int code = 0;
        for (int i = 0; i < 257; i++) {
            if (i > 0) {
                code = (code + 1) << (LENGTHS[order[i]] - LENGTHS[order[i - 1]]);
            }
            CODES[order[i]] = code;
        }
        buildDecoder();
    }

    private Huffman() {
    }

    /** Builds the tree (children: a node id, or -1 - symbol for a leaf), then the nibble table. */
    private static void buildDecoder() {
        int[][] child = new int[256][2];
        int nodes = 1;
        for (int[] c : child) {
            c[0] = Integer.MIN_VALUE;
            c[1] = Integer.MIN_VALUE;
        }
        for (int sym = 0; sym <= EOS; sym++) {
            int node = 0;
            for (int bit = LENGTHS[sym] - 1; bit >= 0; bit--) {
                int b = (CODES[sym] >>> bit) & 1;
                if (bit == 0) {
                    child[node][b] = -1 - sym;
                } else {
                    if (child[node][b] == Integer.MIN_VALUE) {
                        child[node][b] = nodes++;
                    }
                    node = child[node][b];
                }
            }
        }
        // depth and all-ones of each internal node, by walking from the root
        int[] depth = new int[256];
        boolean[] ones = new boolean[256];
        ones[0] = true;
        for (int n = 0; n < nodes; n++) { // parents are numbered before children
            for (int b = 0; b < 2; b++) {
                int c = child[n][b];
                if (c >= 0) {
                    depth[c] = depth[n] + 1;
                    ones[c] = ones[n] && b == 1;
                }
            }
        }
        for (int n = 0; n < nodes; n++) {
            ACCEPTS[n] = depth[n] == 0 || (ones[n] && depth[n] <= 7);
            for (int nibble = 0; nibble < 16; nibble++) {
                int state = n;
                int out = 0;
                for (int bit = 3; bit >= 0; bit--) {
                    int c = child[state][(nibble >>> bit) & 1];
                    if (c < 0) {
                        int sym = -1 - c;
                        if (sym == EOS) {
                            out = FAIL;
                            break;
                        }
                        out = EMIT | (sym << 8);
                        state = 0;
                    } else {
                        state = c;
                    }
                }
                TRANSITIONS[n * 16 + nibble] = out == FAIL ? FAIL : out | state;
            }
        }
    }

    /** Returns the length in octets of {@code s} Huffman-coded, padding included. */
    static int encodedLength(String s) {
        long bits = 0;
        for (int i = 0; i < s.length(); i++) {
            bits += LENGTHS[s.charAt(i) & 0xff];
        }
        return (int) ((bits + 7) >>> 3);
    }

    /** Appends {@code s} (ISO-8859-1 characters) Huffman-coded, padded with ones (§5.2). */
    static void encode(String s, BlockBuffer out) {
        long acc = 0;
        int bits = 0;
        for (int i = 0; i < s.length(); i++) {
            int sym = s.charAt(i) & 0xff;
            acc = (acc << LENGTHS[sym]) | CODES[sym];
            bits += LENGTHS[sym];
            while (bits >= 8) {
                bits -= 8;
                out.write((int) (acc >>> bits));
            }
            acc &= (1L << bits) - 1;
        }
        if (bits > 0) {
            out.write((int) ((acc << (8 - bits)) | (0xff >>> bits)));
        }
    }

    /**
     * Decodes {@code len} Huffman-coded octets of {@code src} from {@code off} into {@code dst}
     * (which must hold {@code len * 8 / 5 + 1} octets: no code is shorter than 5 bits) and returns
     * the decoded length.
     *
     * @throws HpackException if the data holds EOS or ends in padding that is not 1 to 7 one-bits
     */
    static int decode(byte[] src, int off, int len, byte[] dst) throws HpackException {
        int state = 0;
        int n = 0;
        for (int i = off; i < off + len; i++) {
            int b = src[i] & 0xff;
            int t = TRANSITIONS[state * 16 + (b >>> 4)];
            if ((t & FAIL) != 0) {
                throw new HpackException("invalid Huffman-coded string: it contains EOS (RFC 7541 §5.2)");
            }
            if ((t & EMIT) != 0) {
                dst[n++] = (byte) (t >>> 8);
            }
            t = TRANSITIONS[(t & 0xff) * 16 + (b & 0x0f)];
            if ((t & FAIL) != 0) {
                throw new HpackException("invalid Huffman-coded string: it contains EOS (RFC 7541 §5.2)");
            }
            if ((t & EMIT) != 0) {
                dst[n++] = (byte) (t >>> 8);
            }
            state = t & 0xff;
        }
        if (!ACCEPTS[state]) {
            throw new HpackException("invalid Huffman-coded string: padding longer than 7 bits"
                    + " or not all ones (RFC 7541 §5.2)");
        }
        return n;
    }

    /** Returns the most octets {@link #decode} may produce from {@code len} coded octets. */
    static int maxDecodedLength(int len) {
        return (int) ((long) len * 8 / 5 + 1);
    }
}
