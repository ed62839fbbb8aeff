package dev.roundtrip.internal.http2.hpack;

import java.io.IOException;

/**
 * HpackException reports a header block that cannot be decoded (RFC 7541): a truncated or
 * overflowing integer, a string running past the block, invalid Huffman data, an index outside the
 * tables, or a dynamic table size update that is too large or misplaced. The message names what
 * was wrong.
 *
 * <p>The decoder's dynamic table is then out of step with the peer's encoder, so HTTP/2 treats
 * this as a connection error of type COMPRESSION_ERROR (RFC 9113 §4.3): the connection is closed.
 */
public class HpackException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names what was wrong. */
    public HpackException(String message) {
        super(message);
    }
}
