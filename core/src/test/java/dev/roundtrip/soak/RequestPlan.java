package dev.roundtrip.soak;

import dev.roundtrip.testserver.Fault;
import java.util.SplittableRandom;

/**
 * RequestPlan is what the soak sends as request number {@code index}: a pure function of the
 * seed and the index, so a run can be replayed and any request described exactly.
 *
 * @param index          the request number, from 0
 * @param fault          the fault the server is asked for
 * @param body           the request body's kind
 * @param bodySize       the request body's size in bytes (0 without a body)
 * @param idempotencyKey whether the request says {@code Idempotency-Key} (a replayable POST may
 *                       then be retried)
 * @param expectContinue whether the request says {@code Expect: 100-continue}
 * @param responseSize   the response body size asked for
 * @param abandonAfter   close the response after reading this many body bytes; -1 reads it all
 * @param viaClient      send through a {@code Client} (with its overall timeout) instead of the
 *                       Transport
 * @param handoffPool    use the Transport whose connections per host are capped, so that
 *                       returning connections are handed straight to waiting requests
 * @param withTimeout    give the request its own timeout
 */
record RequestPlan(long index, Fault fault, Body body, int bodySize, boolean idempotencyKey,
                   boolean expectContinue, int responseSize, int abandonAfter, boolean viaClient,
                   boolean handoffPool, boolean withTimeout) {

    /** Body is the kind of request body. */
    enum Body {
        /** A GET without a body. */
        NONE,
        /** A POST with a byte-array body (replayable). */
        REPLAYABLE,
        /** A POST with a one-shot stream of known length. */
        ONE_SHOT,
        /** A POST with a one-shot stream of unknown length (sent chunked). */
        ONE_SHOT_CHUNKED,
        /** A POST with a one-shot stream of known length whose read fails halfway ({@link FailingBody}). */
        FAILING
    }

    static RequestPlan of(long seed, long index, FaultMix<Fault> mix) {
        SplittableRandom r = new SplittableRandom(mix64(seed) ^ mix64(index + 0x632BE59BD9B4E019L));
        Fault fault = mix.pick(r);
        int roll = r.nextInt(100);
        Body body = roll < 45 ? Body.NONE
                : roll < 73 ? Body.REPLAYABLE
                : roll < 85 ? Body.ONE_SHOT
                : roll < 96 ? Body.ONE_SHOT_CHUNKED
                : Body.FAILING;
        boolean large = body != Body.NONE && r.nextInt(12) == 0;
        int bodySize = body == Body.NONE ? 0 : large ? 64 * 1024 + r.nextInt(960 * 1024) : r.nextInt(2049);
        boolean key = body == Body.REPLAYABLE && r.nextBoolean();
        boolean expect = body != Body.NONE && r.nextInt(4) == 0;
        int responseSize = responseSize(r);
        int abandon = r.nextInt(10) == 0 ? r.nextInt(responseSize + 1) : -1;
        return new RequestPlan(index, fault, body, bodySize, key, expect, responseSize, abandon,
                r.nextInt(3) == 0, r.nextInt(5) < 2, r.nextInt(5) == 0);
    }

    /** The request's id, as sent in X-Request-Id. */
    String id() {
        return "r" + index;
    }

    /** Whether Go's rules allow a retry of this request (no body or a replayable one, idempotent). */
    boolean retryable() {
        return body == Body.NONE || (body == Body.REPLAYABLE && idempotencyKey);
    }

    /** Parses the index out of an id made by {@link #id()}; -1 if it is not one. */
    static long indexOf(String id) {
        if (id == null || id.length() < 2 || id.charAt(0) != 'r') {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Describes the request for a reproduction. */
    String describe(long seed) {
        return "seed=" + seed + " index=" + index + " fault=" + fault + " "
                + (body == Body.NONE ? "GET" : "POST " + body + " " + bodySize + "B")
                + (idempotencyKey ? " idempotency-key" : "") + (expectContinue ? " expect-100" : "")
                + " response=" + responseSize + "B" + (abandonAfter >= 0 ? " abandon@" + abandonAfter : "")
                + (viaClient ? " client" : " transport") + (handoffPool ? " handoff-pool" : " idle-pool")
                + (withTimeout ? " timeout" : "");
    }

    /** splitmix64's finalizer. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Draws a response size: 60% up to 1 KiB, 30% up to 32 KiB, 8% up to 256 KiB, 2% up to 1 MiB
     * (both soaks).
     */
    static int responseSize(SplittableRandom r) {
        int sizeRoll = r.nextInt(100);
        return sizeRoll < 60 ? r.nextInt(1025)
                : sizeRoll < 90 ? 1024 + r.nextInt(31 * 1024)
                : sizeRoll < 98 ? 32 * 1024 + r.nextInt(224 * 1024)
                : 256 * 1024 + r.nextInt(768 * 1024);
    }
}
