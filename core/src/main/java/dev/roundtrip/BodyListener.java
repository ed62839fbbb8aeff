package dev.roundtrip;

/**
 * BodyListener is told how a response body ends, exactly once, for middleware that must act when
 * an exchange is over (end a span, stop a timer, log the end line): install it with
 * {@link Response#withBodyListener}. The body's bytes pass to the caller unchanged; the listener
 * can watch them go by ({@link #bytesRead}) and is told the end ({@link #ended}) at the first of:
 * <ol>
 *   <li>a read returns -1, or the bytes read reach a known {@link Response#contentLength()} (the
 *       caller may never ask for the -1): {@link Outcome#COMPLETE};</li>
 *   <li>a read throws (an {@code IOException}, or a {@code RuntimeException} from a stream
 *       below): {@link Outcome#FAILED}, with the exception, before it reaches the caller;</li>
 *   <li>{@code close()} of the body or the response before either, after the body below is closed
 *       (so its connection has been released or closed by then): {@link Outcome#CLOSED};</li>
 *   <li>none of these, and the body is garbage collected (the caller leaked the response):
 *       {@link Outcome#LEAKED}, told by a daemon thread ({@code roundtrip-body-listener}, started
 *       on first use) some time after the leak.</li>
 * </ol>
 * A response without a body by its framing (a response to HEAD, 1xx, 204, 304, or
 * {@code Content-Length: 0}) ends at once: {@link Outcome#COMPLETE} with 0 bytes, before
 * {@link Response#withBodyListener} returns.
 *
 * <p>Calls come from the thread reading the body ({@link #bytesRead}, and the end it reaches),
 * the thread closing it (which may be another one), or the leak thread; the end is told once
 * whichever comes first. The listener must not refer to the response or its body (it would keep
 * them from being collected, and a leak from being noticed) and must not block. <b>A listener that
 * throws does not break the body:</b> a {@code RuntimeException} is logged (logger
 * {@code dev.roundtrip.BodyListener}, level WARNING) and ignored.
 */
@FunctionalInterface
public interface BodyListener {

    /** Outcome is how a body ended. */
    enum Outcome {
        /** COMPLETE: the body was read to its end (or had none). */
        COMPLETE,
        /** CLOSED: the body was closed before its end. */
        CLOSED,
        /** FAILED: a read of the body threw. */
        FAILED,
        /** LEAKED: the body was garbage collected without having ended. */
        LEAKED
    }

    /**
     * Called after each read that returned bytes: {@code count} bytes of {@code buffer} from
     * {@code offset}, as the caller got them. The buffer is the caller's (or, for a one-byte read,
     * a scratch array): copy what is kept. Default: nothing.
     */
    default void bytesRead(byte[] buffer, int offset, int count) {
    }

    /**
     * Called once when the body ended: how, the bytes read by then, and for {@link Outcome#FAILED}
     * the exception the read threw (else null).
     */
    void ended(Outcome outcome, long bytesRead, Throwable failure);
}
