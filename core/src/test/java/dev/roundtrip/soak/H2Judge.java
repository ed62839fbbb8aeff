package dev.roundtrip.soak;

import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.internal.transport.RetryPolicy;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * H2Judge decides whether a failed HTTP/2 soak request failed as it may. The failure must be of a
 * documented type ({@link SoakCall#documented}); a request the server certainly did not process
 * (refused, above a GOAWAY's last stream id) must have been retried when its body can be sent
 * again (a request canceled then is not retried: it fails with {@link RequestCanceledException},
 * never with the not-processed error); and the failure must be explained, by the request's own
 * fault:
 *
 * <ul>
 *   <li>a stall (never answered, stalled mid-body, a window that never opens): a timeout;
 *   <li>RST_STREAM with a code: a stream {@link Http2Exception} with that code, from the peer;
 *   <li>DATA before the head: a stream PROTOCOL_ERROR this client detected;
 *   <li>an invalid frame: a connection PROTOCOL_ERROR or FRAME_SIZE_ERROR this client detected;
 *   <li>GOAWAY with an error, a connection closed mid-response: a connection {@link Http2Exception};
 *   <li>a refused stream whose body cannot be sent again: REFUSED_STREAM, not processed;
 *   <li>a GOAWAY below its stream when its body cannot be sent again: the GOAWAY's error, not
 *       processed (with a body that can, the request must succeed: a graceful GOAWAY of its own
 *       explains none of its failures);
 *   <li>a cancel or interrupt by the caller: {@link RequestCanceledException};
 * </ul>
 *
 * or by its connection's: a connection {@link Http2Exception} on a connection that a request's
 * fault broke (its client port is in the server's {@code troubled} map, with the faults that broke
 * it), or that the health check closed on the server that never answers PINGs. A graceful GOAWAY
 * lets the streams up to its last stream id finish (RFC 9113 §6.8): it explains only a failure
 * that says not processed, and one naming 2^31-1 explains none.
 */
final class H2Judge {
    private static final int PROTOCOL_ERROR = 1;
    private static final int FRAME_SIZE_ERROR = 6;
    private static final int REFUSED_STREAM = 7;

    /** Trace records a request's attempts and the client port of its last connection. */
    static final class Trace implements ClientTrace {
        private final H2RequestPlan plan;
        private final Map<Integer, Set<H2Fault>> troubled;
        volatile int attempts;
        volatile int port;

        Trace(H2RequestPlan plan, Map<Integer, Set<H2Fault>> troubled) {
            this.plan = plan;
            this.troubled = troubled;
        }

        @Override
        public void getConn(String hostPort) {
            attempts++;
        }

        @Override
        public void gotConn(GotConnInfo info) {
            port = info.localAddress().getPort();
            if (plan.fault() == H2Fault.INTERRUPTED) {
                // An interrupt closes the socket channel the caller was blocked on: the whole connection.
                H2FaultHandler.markTroubled(troubled, port, H2Fault.INTERRUPTED);
            }
        }
    }

    private H2Judge() {}

    /** Judges failure {@code e} of request {@code p}; {@code troubled} is its server's map of broken connections. */
    static Outcome failure(H2RequestPlan p, IOException e, Trace trace, Map<Integer, Set<H2Fault>> troubled) {
        if (!SoakCall.documented(e)) {
            return Outcome.failed(SoakCall.undocumented(e), Defect.WRONG_TYPE, SoakCall.describe(e));
        }
        String type = typeOf(e);
        if (e instanceof Http2Exception h && !h.mayHaveBeenProcessed() && p.replayableBody()
                && trace.attempts < RetryPolicy.MAX_ATTEMPTS) {
            return Outcome.failed(type, Defect.NOT_RETRIED, "not processed, replayable, " + trace.attempts
                    + " attempt(s): " + SoakCall.describe(e));
        }
        String why = explanation(p, e, trace, troubled);
        if (why == null) {
            Set<H2Fault> t = troubled.get(trace.port);
            return Outcome.failed(type, Defect.UNEXPLAINED_FAILURE, SoakCall.describe(e) + "\n      (last connection"
                    + " port " + trace.port + (t == null ? ", not broken on purpose" : ", broken by " + t) + "; "
                    + trace.attempts + " attempt(s))");
        }
        return Outcome.failed(type, null, why);
    }

    private static String explanation(H2RequestPlan p, IOException e, Trace trace,
                                      Map<Integer, Set<H2Fault>> troubled) {
        H2Fault f = p.fault();
        if (e instanceof RequestCanceledException) {
            return f == H2Fault.CANCELED || f == H2Fault.INTERRUPTED ? "canceled" : null;
        }
        if (e instanceof HttpTimeoutException) {
            return f == H2Fault.NEVER_ANSWERED || f == H2Fault.STALL_MID_BODY || f == H2Fault.WINDOW_CLOSED ? "stalled"
                    : null;
        }
        if (!(e instanceof Http2Exception h)) {
            return null;
        }
        if (h.scope() == Http2Exception.Scope.STREAM) {
            return switch (f) {
                case RESET_BEFORE_HEAD, RESET_MID_BODY -> h.fromPeer() && h.errorCode() == p.resetCode() ? "reset" : null;
                case MALFORMED -> !h.fromPeer() && h.errorCode() == PROTOCOL_ERROR ? "malformed" : null;
                case REFUSED -> h.errorCode() == REFUSED_STREAM && !h.mayHaveBeenProcessed() ? "refused" : null;
                default -> null;
            };
        }
        if (f == H2Fault.INVALID_FRAME && !h.fromPeer()
                && (h.errorCode() == PROTOCOL_ERROR || h.errorCode() == FRAME_SIZE_ERROR)) {
            return "invalid frame";
        }
        if (f == H2Fault.GOAWAY_ERROR || f == H2Fault.CLOSE_MID_RESPONSE) {
            return "its own connection fault";
        }
        if (f == H2Fault.GOAWAY_BELOW && !p.replayableBody() && !h.mayHaveBeenProcessed()) {
            return "its own GOAWAY, not processed, a body that cannot be sent again";
        }
        if (p.target() == H2RequestPlan.Target.DEAF_TO_PINGS && h.getMessage() != null
                && h.getMessage().contains("PING")) {
            return "health check";
        }
        Set<H2Fault> broken = troubled.getOrDefault(trace.port, Set.of());
        // a graceful GOAWAY explains only a stream it left unprocessed; one naming 2^31-1 leaves none
        List<String> by = new ArrayList<>(broken.size());
        for (H2Fault b : broken) {
            if (b == H2Fault.GOAWAY_BELOW ? !h.mayHaveBeenProcessed() : b != H2Fault.GOAWAY_ABOVE) {
                by.add(b.name());
            }
        }
        return by.isEmpty() ? null : "collateral: " + String.join(" + ", by);
    }

    /** The type for the report: {@code Http2Exception(scope,code,peer|self)}, a timeout with its phase, or the name. */
    static String typeOf(IOException e) {
        if (e instanceof Http2Exception h) {
            return "Http2(" + h.scope() + "," + h.errorCodeName() + "," + (h.fromPeer() ? "peer" : "self")
                    + (h.mayHaveBeenProcessed() ? "" : ",unprocessed") + ")";
        }
        return SoakCall.typeOf(e);
    }
}
