package dev.roundtrip.soak;

import dev.roundtrip.CancelToken;
import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.testserver.Payload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * H2SoakCall sends one planned HTTP/2 soak request and checks how it ended: a success must carry
 * the request's id, the CRC-32 of the request body as sent, and exactly the expected body (or its
 * expected prefix when the caller closes early); a failure goes to the {@link H2Judge}. For the
 * CANCELED and INTERRUPTED plans it cancels the request, or interrupts the sending thread, from
 * the {@code canceller} thread while the request runs.
 */
final class H2SoakCall {
    /** The timeout of requests planned {@code withTimeout}. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    /** Endpoint is one target's server URL, Transport, Client, and map of connections broken on purpose. */
    record Endpoint(URI base, Transport transport, Client client, Map<Integer, Set<H2Fault>> troubled) {}

    private final Map<H2RequestPlan.Target, Endpoint> endpoints;
    private final ScheduledExecutorService canceller;

    H2SoakCall(Map<H2RequestPlan.Target, Endpoint> endpoints, ScheduledExecutorService canceller) {
        this.endpoints = endpoints;
        this.canceller = canceller;
    }

    Outcome run(H2RequestPlan p) {
        Endpoint to = endpoints.get(p.target());
        H2Judge.Trace trace = new H2Judge.Trace(p, to.troubled());
        byte[] body = p.body() == RequestPlan.Body.NONE ? null : Payload.bytes("q" + p.id(), p.bodySize());
        CancelToken token = p.fault() == H2Fault.CANCELED ? CancelToken.create() : null;
        Interrupter interrupter = p.fault() == H2Fault.INTERRUPTED ? new Interrupter(Thread.currentThread()) : null;
        ScheduledFuture<?> giveUp = token != null ? canceller.schedule(token::cancel, p.cancelMillis(), TimeUnit.MILLISECONDS)
                : interrupter != null ? canceller.schedule(interrupter::fire, p.cancelMillis(), TimeUnit.MILLISECONDS)
                : null;
        try {
            return send(p, to, request(p, to, body, trace, token), body, trace);
        } finally {
            if (giveUp != null) {
                giveUp.cancel(false);
            }
            if (interrupter != null) {
                interrupter.disarm();
            }
        }
    }

    private Outcome send(H2RequestPlan p, Endpoint to, Request request, byte[] body, H2Judge.Trace trace) {
        Response resp;
        try {
            resp = p.viaClient() ? to.client().send(request) : to.transport().roundTrip(request);
        } catch (IOException e) {
            return H2Judge.failure(p, e, trace, to.troubled());
        } catch (RuntimeException | Error e) {
            return Outcome.defect(Defect.WRONG_TYPE, "send threw " + SoakCall.describe(e));
        }
        Outcome o;
        try {
            o = check(p, resp, body);
        } catch (IOException e) {
            o = H2Judge.failure(p, e, trace, to.troubled());
        } catch (RuntimeException | Error e) {
            o = Outcome.defect(Defect.WRONG_TYPE, "reading the response threw " + SoakCall.describe(e));
        }
        try {
            resp.close();
        } catch (RuntimeException | Error e) {
            o = Outcome.defect(Defect.WRONG_TYPE, "Response.close threw " + SoakCall.describe(e));
        }
        return o;
    }

    private static Request request(H2RequestPlan p, Endpoint to, byte[] body, H2Judge.Trace trace, CancelToken token) {
        Request.Builder b = Request.newBuilder(to.base().resolve("/soak/" + p.id()))
                .header(H2FaultHandler.ID, p.id())
                .header(H2FaultHandler.FAULT, p.fault().name())
                .trace(trace);
        if (body != null) {
            RequestBody rb = switch (p.body()) {
                case REPLAYABLE -> RequestBody.of(body);
                case ONE_SHOT -> RequestBody.ofStream(new ByteArrayInputStream(body), body.length);
                default -> RequestBody.ofStream(new ByteArrayInputStream(body));
            };
            b.POST(rb);
            if (p.idempotencyKey()) {
                b.header("Idempotency-Key", p.id());
            }
        }
        if (p.fault() == H2Fault.WINDOW_CLOSED) {
            b.header(H2FaultHandler.WITHHOLD, "1");
        }
        if (p.withTimeout()) {
            b.timeout(REQUEST_TIMEOUT);
        }
        if (token != null) {
            b.cancelToken(token);
        }
        return b.build();
    }

    private static Outcome check(H2RequestPlan p, Response resp, byte[] body) throws IOException {
        String rid = resp.headers().first(H2FaultHandler.ID);
        if (rid == null) {
            return Outcome.defect(Defect.UNIDENTIFIED_RESPONSE, "status " + resp.status() + " without "
                    + H2FaultHandler.ID + ", headers " + resp.headers());
        }
        if (!rid.equals(p.id())) {
            return Outcome.defect(Defect.WRONG_ANSWER_AVOIDABLE, "the answer to " + rid + " (status " + resp.status()
                    + ")");
        }
        if (resp.status() != 200) {
            return Outcome.defect(Defect.BAD_STATUS, "status " + resp.status());
        }
        String crc = resp.headers().first(H2FaultHandler.BODY_CRC);
        String sent = H2FaultHandler.crc32(body == null ? new byte[0] : body);
        if (!sent.equals(crc)) {
            return Outcome.defect(Defect.CORRUPT_REQUEST_BODY, "server read a body with CRC-32 " + crc + ", sent "
                    + sent + " (" + (body == null ? 0 : body.length) + " bytes)");
        }
        Payload.Check check = new Payload.Check(p.id(), p.responseSize());
        InputStream in = resp.body();
        byte[] buf = new byte[8192];
        long limit = p.abandonAfter() >= 0 ? p.abandonAfter() : Long.MAX_VALUE;
        boolean differs = false;
        while (check.position() < limit || differs) {
            int want = differs ? buf.length : (int) Math.min(buf.length, limit - check.position());
            int n = in.read(buf, 0, want);
            if (n < 0) {
                break;
            }
            differs = !check.update(buf, 0, n);
        }
        if (differs) {
            return Outcome.defect(Defect.CORRUPT_BODY, "body differs at byte " + check.firstMismatch() + " of "
                    + p.responseSize() + " and ended without an error after " + check.position() + " bytes");
        }
        if (p.abandonAfter() >= 0 && check.position() >= p.abandonAfter()) {
            return Outcome.ok(); // closed early by the caller
        }
        if (!check.complete()) {
            return Outcome.defect(Defect.CORRUPT_BODY, "body ended after " + check.position() + " of "
                    + p.responseSize() + " bytes without an error");
        }
        return Outcome.ok();
    }

    /**
     * Interrupter interrupts the sending thread, but only while its request runs: {@link #fire}
     * and {@link #disarm} take one lock, and disarming clears any interrupt that came, so that it
     * never reaches the next request.
     */
    private static final class Interrupter {
        private final Thread thread;
        private final ReentrantLock lock = new ReentrantLock();
        private boolean armed = true; // guarded by lock

        Interrupter(Thread thread) {
            this.thread = thread;
        }

        void fire() {
            lock.lock();
            try {
                if (armed) {
                    thread.interrupt();
                }
            } finally {
                lock.unlock();
            }
        }

        void disarm() {
            lock.lock();
            try {
                armed = false;
            } finally {
                lock.unlock();
            }
            Thread.interrupted(); // clears an interrupt that came after the request ended
        }
    }
}
