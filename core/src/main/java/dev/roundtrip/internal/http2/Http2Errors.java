package dev.roundtrip.internal.http2;

import dev.roundtrip.error.Http2Exception.Scope;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.internal.exchange.RetryVerdict;
import java.io.IOException;

/**
 * Http2Errors maps this layer's exceptions to what a caller sees, once, at the exchange's edge:
 * <ul>
 *   <li>{@link StreamNotProcessedException} (REFUSED_STREAM, above a GOAWAY's last stream id, a
 *       connection that took no new stream): verdict {@link RetryVerdict#NOT_PROCESSED}; if not
 *       retried, a public {@link dev.roundtrip.error.Http2Exception} with
 *       {@code mayHaveBeenProcessed() == false};</li>
 *   <li>{@link Http2StreamException} (an RST_STREAM, a malformed response): scope STREAM, its
 *       code; {@link Http2ConnectionException} (GOAWAY with an error, a violation this side
 *       detected; also what a new stream gets from a connection that failed before the server's
 *       first SETTINGS: {@link ConnectionNotEstablishedException}): scope CONNECTION, its code;
 *       never retried;</li>
 *   <li>{@link ConnectionLostException} (no code): scope CONNECTION; before any response it is
 *       {@link RetryVerdict#NOTHING_RECEIVED} (the Transport retries it like HTTP/1.1, for a
 *       replayable request on a reused connection), after it nothing;</li>
 *   <li>anything else (timeouts, cancellation, a request HTTP/2 cannot carry, the caller's own
 *       body failing) passes through unchanged, never retried;</li>
 *   <li>whatever it is, a caller whose thread was interrupted gets {@link RequestCanceledException}
 *       (a timeout excepted), never retried.</li>
 * </ul>
 */
final class Http2Errors {
    private Http2Errors() {
    }

    /**
     * Returns the exception for the caller. A caller whose thread was interrupted gets
     * {@link RequestCanceledException}, as over HTTP/1.1 ({@code ExchangeErrors}), whatever the
     * interrupt did to the connection (it closes a socket channel under a blocking read or write);
     * a timeout stays a timeout.
     */
    static IOException toPublic(IOException e) {
        IOException shown = mapped(e);
        if (Thread.currentThread().isInterrupted() && !(shown instanceof RequestCanceledException)
                && !(shown instanceof HttpTimeoutException)) {
            return new RequestCanceledException("thread interrupted (" + shown.getMessage() + ")", shown);
        }
        return shown;
    }

    private static IOException mapped(IOException e) {
        if (e instanceof StreamNotProcessedException n) {
            boolean connection = n.lastStreamId() >= 0 || n.errorCode() != ErrorCode.REFUSED_STREAM.code;
            return new dev.roundtrip.error.Http2Exception(n.getMessage(), connection ? Scope.CONNECTION : Scope.STREAM,
                    n.errorCode(), n.errorCode() >= 0, false, n);
        }
        if (e instanceof Http2StreamException s) {
            return new dev.roundtrip.error.Http2Exception(s.getMessage(), Scope.STREAM, s.errorCode(), s.fromPeer(),
                    s.mayHaveBeenProcessed(), s);
        }
        if (e instanceof Http2ConnectionException c) {
            return new dev.roundtrip.error.Http2Exception(c.getMessage(), Scope.CONNECTION, c.errorCode(),
                    c.fromPeer(), c.mayHaveBeenProcessed(), c);
        }
        if (e instanceof ConnectionLostException l) {
            return new dev.roundtrip.error.Http2Exception(l.getMessage(), Scope.CONNECTION,
                    dev.roundtrip.error.Http2Exception.NO_ERROR_CODE, false, l.mayHaveBeenProcessed(), l);
        }
        return e;
    }

    /** Returns what a failure before the response says about a retry. */
    static RetryVerdict verdict(IOException e) {
        if (Thread.currentThread().isInterrupted()) {
            return RetryVerdict.NEVER; // the caller's own thread gave up
        }
        if (e instanceof StreamNotProcessedException) {
            return RetryVerdict.NOT_PROCESSED;
        }
        if (e instanceof ConnectionLostException) {
            return RetryVerdict.NOTHING_RECEIVED;
        }
        return RetryVerdict.NEVER;
    }
}
