package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.http2.hpack.HeaderField;
import java.io.IOException;
import java.util.List;

/**
 * StreamEvents receives what happens to one stream, for traces and timings. Every method runs on
 * the caller's thread (never on the connection's reader), in this order: {@link
 * #waitedForStreamSlot}, {@link #wroteHeaders}, {@link #waitedForFlowControl} (each wait), {@link
 * #wroteRequest}, {@link #gotFirstResponseByte}, {@link #got1xxResponse} (each 1xx). Defaults do
 * nothing.
 */
public interface StreamEvents {
    /** Events that do nothing. */
    StreamEvents NONE = new StreamEvents() {
    };

    /** The stream waited {@code nanos} for a free slot (the server's MAX_CONCURRENT_STREAMS). */
    default void waitedForStreamSlot(long nanos) {
    }

    /** The request's HEADERS (and CONTINUATIONs) were written and flushed. */
    default void wroteHeaders() {
    }

    /** The request body waited {@code nanos} for flow-control credit before a DATA frame. */
    default void waitedForFlowControl(long nanos) {
    }

    /**
     * The request ended, once, at {@code atNanos} ({@link System#nanoTime()}): written to the end
     * ({@code error} null), stopped early because the server had answered (also null: not a
     * failure, see {@link Http2Stream#writeBody}), or failed. The request's last write may have
     * been made by another caller's thread: this is then told later, when the response head
     * arrived, with the time that write ended.
     */
    default void wroteRequest(IOException error, long atNanos) {
    }

    /** The first response HEADERS arrived at {@code atNanos} ({@link System#nanoTime()}). */
    default void gotFirstResponseByte(long atNanos) {
    }

    /** An informational (1xx) response arrived; throwing aborts the stream with the exception. */
    default void got1xxResponse(int status, List<HeaderField> fields) throws IOException {
    }
}
