package dev.roundtrip.soak;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * H2RequestPlan is what the HTTP/2 soak sends as request number {@code index}: a pure function of
 * the seed and the index, so that the server can look up what to do by the request's id alone, a
 * run can be replayed, and any request described exactly.
 *
 * @param index          the request number, from 0
 * @param fault          what the server or the caller does to it
 * @param target         which server and Transport it goes to
 * @param body           the request body's kind ({@code NONE}: a GET)
 * @param bodySize       the request body's size in bytes (0 without a body)
 * @param idempotencyKey whether the request says {@code Idempotency-Key} (a replayable POST may
 *                       then be retried after a lost connection)
 * @param responseSize   the response body size the server sends
 * @param abandonAfter   close the response after reading this many body bytes; -1 reads it all
 * @param viaClient      send through a {@code Client} (with its overall timeout) instead of the
 *                       Transport
 * @param withTimeout    give the request its own timeout
 * @param resetCode      the RST_STREAM code of the RESET faults
 * @param cancelMillis   for CANCELED and INTERRUPTED, how long after the start the caller gives up
 */
record H2RequestPlan(long index, H2Fault fault, Target target, RequestPlan.Body body, int bodySize,
                     boolean idempotencyKey, int responseSize, int abandonAfter, boolean viaClient,
                     boolean withTimeout, int resetCode, int cancelMillis) {

    /** Target is a server and the Transport used for it. */
    enum Target {
        /** h2c with prior knowledge, default windows (4 MiB per stream). */
        H2C,
        /** h2c with prior knowledge through a Transport whose receive windows are 65,535 octets. */
        H2C_SMALL_WINDOWS,
        /** TLS with ALPN h2, a server that allows 16 concurrent streams per connection. */
        TLS,
        /**
         * h2c, a server that allows one stream per connection: each caller is alone on its
         * connection (on JDK 21+ a platform thread then reads its own response, {@code ReadRole}).
         */
        H2C_ONE_STREAM,
        /** h2c, a server that never answers PINGs, through a Transport with a quick health check. */
        DEAF_TO_PINGS
    }

    /** The RST_STREAM codes of the RESET faults: PROTOCOL, INTERNAL, CANCEL, ENHANCE_YOUR_CALM. */
    private static final int[] RESET_CODES = {1, 2, 8, 11};

    /**
     * The mix of {@code faultList} (comma-separated {@link H2Fault} names): empty, all faults by
     * their weights; else an even pick among those named.
     */
    static FaultMix<H2Fault> mix(String faultList) {
        Set<H2Fault> only = EnumSet.noneOf(H2Fault.class);
        for (String name : faultList.split(",")) {
            if (!name.isBlank()) {
                only.add(H2Fault.valueOf(name.trim()));
            }
        }
        return only.isEmpty() ? new FaultMix<>(H2Fault.values(), f -> f.weight)
                : new FaultMix<>(only.toArray(new H2Fault[0]), f -> 1);
    }

    static H2RequestPlan of(long seed, long index, FaultMix<H2Fault> mix) {
        SplittableRandom r = new SplittableRandom(RequestPlan.mix64(seed) ^ RequestPlan.mix64(index + 0x2545F4914F6CDD1DL));
        H2Fault fault = mix.pick(r);
        int t = r.nextInt(100);
        Target target = t < 35 ? Target.H2C : t < 55 ? Target.H2C_SMALL_WINDOWS : t < 80 ? Target.TLS
                : t < 90 ? Target.H2C_ONE_STREAM : Target.DEAF_TO_PINGS;
        int roll = r.nextInt(100);
        RequestPlan.Body body = roll < 45 ? RequestPlan.Body.NONE
                : roll < 75 ? RequestPlan.Body.REPLAYABLE
                : roll < 88 ? RequestPlan.Body.ONE_SHOT
                : RequestPlan.Body.ONE_SHOT_CHUNKED;
        boolean large = r.nextInt(8) == 0;
        if (fault == H2Fault.WINDOW_CLOSED) { // a body the 65,535-octet stream window cannot take
            body = body == RequestPlan.Body.NONE ? RequestPlan.Body.REPLAYABLE : body;
            large = true;
        }
        int bodySize = body == RequestPlan.Body.NONE ? 0 : large ? 70 * 1024 + r.nextInt(442 * 1024) : r.nextInt(2049);
        boolean key = body == RequestPlan.Body.REPLAYABLE && r.nextBoolean();
        int responseSize = RequestPlan.responseSize(r);
        int abandon = r.nextInt(10) == 0 ? r.nextInt(responseSize + 1) : -1;
        return new H2RequestPlan(index, fault, target, body, bodySize, key, responseSize, abandon, r.nextInt(3) == 0,
                r.nextInt(5) == 0, RESET_CODES[r.nextInt(RESET_CODES.length)], r.nextInt(301));
    }

    /** The request's id, as sent in {@code x-request-id}. */
    String id() {
        return "r" + index;
    }

    /** Whether the request has a body that can be sent again (none, or a byte array). */
    boolean replayableBody() {
        return body == RequestPlan.Body.NONE || body == RequestPlan.Body.REPLAYABLE;
    }

    /** Whether Go's rules let the request be sent again after a lost connection: GET, or a replayable POST with a key. */
    boolean idempotent() {
        return body == RequestPlan.Body.NONE || (body == RequestPlan.Body.REPLAYABLE && idempotencyKey);
    }

    /** Describes the request for a reproduction. */
    String describe(long seed) {
        return "seed=" + seed + " index=" + index + " fault=" + fault + " target=" + target + " "
                + (body == RequestPlan.Body.NONE ? "GET" : "POST " + body + " " + bodySize + "B")
                + (idempotencyKey ? " idempotency-key" : "") + " response=" + responseSize + "B"
                + (abandonAfter >= 0 ? " abandon@" + abandonAfter : "") + (viaClient ? " client" : " transport")
                + (withTimeout ? " timeout" : "")
                + (fault == H2Fault.RESET_BEFORE_HEAD || fault == H2Fault.RESET_MID_BODY ? " code=" + resetCode : "")
                + (fault == H2Fault.CANCELED || fault == H2Fault.INTERRUPTED ? " after=" + cancelMillis + "ms" : "");
    }
}
