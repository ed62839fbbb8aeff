package dev.roundtrip.internal.conn;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.exchange.ExchangeFailure;
import dev.roundtrip.internal.exchange.ExchangeState;
import dev.roundtrip.internal.exchange.RetryVerdict;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * ExchangeErrors is the one place where a failure of an HTTP/1.1 exchange becomes what the caller
 * sees: a type from {@code dev.roundtrip.error} whose message names the phase and the limit that
 * fired, keeping the original as its cause, and, before a response, the {@link RetryVerdict}.
 *
 * <p>In order of precedence:
 * <ol>
 *   <li>the caller's own failures pass through as they are, never retried: a request body whose
 *       read threw (Go's {@code requestBodyReadError}, #18239), a {@code got1xxResponse} hook
 *       that threw, a body longer or shorter than its declared length;</li>
 *   <li>an abort by another thread: cancel ({@code RequestCanceledException}), the write or read
 *       watchdog ({@code HttpTimeoutException} naming the timeout, or the deadline, that fired);
 *       an interrupt ({@code RequestCanceledException});</li>
 *   <li>a protocol violation ({@code HttpProtocolException}, {@code TruncatedBodyException});</li>
 *   <li>any other I/O failure, or the server closing: {@code ConnectionClosedException} with the
 *       phase; before a response its verdict is {@link RetryVerdict#NOTHING_WRITTEN} when no byte
 *       of the request reached the socket, {@link RetryVerdict#NOTHING_RECEIVED} when no byte of a
 *       response arrived, else {@link RetryVerdict#NEVER}.</li>
 * </ol>
 */
final class ExchangeErrors {
    private ExchangeErrors() {
    }

    /** What the exchange knew when it failed. */
    record Facts(ExchangeState at, Deadline deadline, long written, boolean received, IOException pendingWrite) {
    }

    /**
     * The caller's request body failed: its read threw, or it was longer or shorter than its
     * declared length. Its own exception is what the caller gets (Go's {@code requestBodyReadError}).
     */
    static final class CallersBody extends IOException {
        private static final long serialVersionUID = 1L;

        CallersBody(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** A {@code got1xxResponse} hook aborted the exchange: its exception goes to the caller as it is. */
    static final class HookAbort extends IOException {
        private static final long serialVersionUID = 1L;

        HookAbort(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The server closed the connection before the first byte of a response (end of stream). */
    static final class ServerClosed extends IOException {
        private static final long serialVersionUID = 1L;

        ServerClosed() {
            super("end of stream");
        }
    }

    /** Maps a failure before the response was returned; the connection is already closed. */
    static ExchangeFailure failure(IOException e, Facts f, PersistentConnection conn) {
        TimeoutPhase phase = phaseOf(f.at());
        IOException own = callersOwn(e);
        if (own != null) {
            return new ExchangeFailure(own, RetryVerdict.NEVER);
        }
        IOException stopped = stopped(e, phase, f.deadline(), conn);
        if (stopped != null) {
            return new ExchangeFailure(stopped, RetryVerdict.NEVER);
        }
        if (e instanceof HttpProtocolException) {
            return new ExchangeFailure(e, RetryVerdict.NEVER);
        }
        RetryVerdict verdict = f.written() == 0 ? RetryVerdict.NOTHING_WRITTEN
                : !f.received() ? RetryVerdict.NOTHING_RECEIVED : RetryVerdict.NEVER;
        if (f.pendingWrite() != null && !f.received()) {
            // The body's write failed and no answer followed: the write failure is the story.
            return new ExchangeFailure(closed("connection failed while writing the request body",
                    f.pendingWrite(), TimeoutPhase.WRITE), verdict);
        }
        return new ExchangeFailure(closed(story(e, phase, f), e, phase), verdict);
    }

    /** Maps a failure while reading or draining the response body. */
    static IOException bodyFailure(IOException e, Deadline deadline, PersistentConnection conn) {
        IOException stopped = stopped(e, TimeoutPhase.READ_BODY, deadline, conn);
        if (stopped != null) {
            return stopped;
        }
        if (e instanceof HttpProtocolException) {
            return e;
        }
        return closed("connection failed while reading the response body", e, TimeoutPhase.READ_BODY);
    }

    /**
     * Returns the time left before the deadline.
     *
     * @throws HttpTimeoutException if it has passed
     */
    static long remainingOrThrow(Deadline deadline, TimeoutPhase phase) throws HttpTimeoutException {
        long left = deadline.remaining();
        if (left <= 0) {
            throw new HttpTimeoutException(deadline.exceeded(phase.description()), phase, true);
        }
        return left;
    }

    private static IOException callersOwn(IOException e) {
        if (e instanceof CallersBody || e instanceof HookAbort) {
            return (IOException) e.getCause();
        }
        return null;
    }

    /** A cancel, a watchdog, an interrupt or a deadline stopped the exchange; null otherwise. */
    private static IOException stopped(IOException e, TimeoutPhase phase, Deadline deadline, PersistentConnection conn) {
        if (e instanceof HttpTimeoutException || e instanceof RequestCanceledException) {
            return e;
        }
        AbortCause a = conn.abortCause();
        if (a != null) {
            switch (a.kind()) {
                case CANCELED:
                    return new RequestCanceledException("request canceled while " + phase.description(), e);
                case WRITE_TIMEOUT:
                    return timeout(a.byDeadline() ? deadline.exceeded(TimeoutPhase.WRITE.description())
                            : "writeTimeout of " + millis(conn.settings().writeTimeoutNanos())
                            + " ms without progress exceeded while " + TimeoutPhase.WRITE.description(),
                            TimeoutPhase.WRITE, a.byDeadline(), e);
                default:
                    TimeoutPhase p = a.phase() != null ? a.phase() : phase;
                    return timeout(a.byDeadline() ? deadline.exceeded(p.description()) : phaseTimeout(p, conn),
                            p, a.byDeadline(), e);
            }
        }
        if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
            return new RequestCanceledException("thread interrupted while " + phase.description(), e);
        }
        if (e instanceof InterruptedIOException) { // a socket timeout nobody armed: still a timeout
            return timeout("timeout " + phase.description(), phase, false, e);
        }
        return null;
    }

    private static String phaseTimeout(TimeoutPhase p, PersistentConnection conn) {
        ConnSettings s = conn.settings();
        return p == TimeoutPhase.RESPONSE_HEADERS
                ? "responseHeaderTimeout of " + millis(s.responseHeaderTimeoutNanos()) + " ms exceeded while "
                        + p.description()
                : "readTimeout of " + millis(s.readTimeoutNanos()) + " ms without data exceeded while " + p.description();
    }

    private static String story(IOException e, TimeoutPhase phase, Facts f) {
        if (phase == TimeoutPhase.WRITE) {
            return f.written() == 0 ? "connection failed before the request was sent"
                    : "connection failed while writing the request";
        }
        if (e instanceof ServerClosed) {
            return f.received() ? "server closed the connection in the middle of the response head"
                    : "server closed the connection before sending a response";
        }
        return f.received() ? "connection failed in the middle of the response head"
                : "connection failed before a response arrived";
    }

    private static ConnectionClosedException closed(String story, IOException cause, TimeoutPhase phase) {
        String detail = cause instanceof ServerClosed || cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return new ConnectionClosedException(story + detail, cause instanceof ServerClosed ? null : cause, phase);
    }

    private static HttpTimeoutException timeout(String message, TimeoutPhase phase, boolean deadline, IOException cause) {
        HttpTimeoutException t = new HttpTimeoutException(message, phase, deadline);
        t.initCause(cause);
        return t;
    }

    private static TimeoutPhase phaseOf(ExchangeState at) {
        switch (at) {
            case WRITING_HEAD: case WRITING_BODY: return TimeoutPhase.WRITE;
            case READING_BODY: case DONE: return TimeoutPhase.READ_BODY;
            default: return TimeoutPhase.RESPONSE_HEADERS;
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
