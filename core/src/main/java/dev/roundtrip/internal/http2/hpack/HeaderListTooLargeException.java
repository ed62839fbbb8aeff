package dev.roundtrip.internal.http2.hpack;

import java.io.IOException;

/**
 * HeaderListTooLargeException reports a header block that decoded to more than the configured
 * header list limit, counted as RFC 9113 §6.5.2 does (name + value + 32 octets a field).
 *
 * <p>It is thrown once the whole block has been decoded, fields past the limit having been
 * dropped as they were decoded (so memory stays bounded by the limit): the dynamic table is still
 * in step with the peer's encoder, so only the stream fails, not the connection.
 */
public class HeaderListTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    /** Creates an exception for a header list over {@code limit} bytes. */
    public HeaderListTooLargeException(long limit) {
        super("header list larger than the limit of " + limit
                + " bytes (name + value + 32 a field, RFC 9113 §6.5.2)");
        this.limit = limit;
    }

    /** Returns the limit that was exceeded, in bytes. */
    public long limit() {
        return limit;
    }
}
