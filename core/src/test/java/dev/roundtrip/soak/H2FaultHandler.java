package dev.roundtrip.soak;

import dev.roundtrip.testserver.Payload;
import dev.roundtrip.testserver.h2.H2Connection;
import dev.roundtrip.testserver.h2.H2Exchange;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Handler;
import dev.roundtrip.testserver.h2.H2Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;

/**
 * H2FaultHandler is the HTTP/2 soak's server side: it answers each request of one
 * {@link dev.roundtrip.testserver.h2.H2TestServer} as its {@link H2RequestPlan} says, looked up by
 * the request's id. A normal answer is {@code 200} with the request's id, the CRC-32 of the request
 * body the server read, and a body derived from the id ({@link Payload}), so that an answer to
 * another request or a corrupt body is seen.
 *
 * <p>It keeps the server honest about what it processed (RFC 9113 §8.7): a stream is processed
 * once its handler passes the connection's {@link Gate}; a GOAWAY's last stream id is never below a
 * stream already processed, and a stream above it is then never answered. The {@link Ledger}
 * counts, per request, the attempts that reached a handler and the ones processed: a request
 * without an idempotency key processed twice was retried when it must not be; its first count is
 * also what plays a fault on the request's first attempt only ({@link H2Fault#once()}). Connections
 * this handler broke on purpose (GOAWAY, close, invalid frame) are noted by the client's port in
 * {@link #troubled()}, with the faults that broke them, so that the judge can tell a collateral
 * failure from an unexplained one.
 */
final class H2FaultHandler implements H2Handler {
    static final String ID = "x-request-id";
    static final String FAULT = "x-fault";
    static final String BODY_CRC = "x-request-body-crc";
    /** The field that asks the server to withhold stream credit (H2Options.withholdStreamCredit). */
    static final String WITHHOLD = "x-withhold-credit";
    private static final int REFUSED_STREAM = 7;
    private static final int INTERNAL_ERROR = 2;

    /** Ledger is what all of a run's servers count per request index. Thread-safe. */
    static final class Ledger {
        final AtomicIntegerArray attempts;
        final AtomicIntegerArray processed;
        final LongAdder dispatched = new LongAdder();

        Ledger(long requests) {
            attempts = new AtomicIntegerArray(Math.toIntExact(requests));
            processed = new AtomicIntegerArray(Math.toIntExact(requests));
        }
    }

    /**
     * Gate is one connection's processing decision: the streams processed so far and the last
     * stream id of the GOAWAY sent, if any (one GOAWAY per connection, so ids never increase).
     */
    static final class Gate {
        private final ReentrantLock lock = new ReentrantLock();
        private int highestProcessed; // guarded by lock
        private int goAwayLast = -1; // guarded by lock; -1: no GOAWAY sent

        /** Marks {@code streamId} processed, unless it is above a GOAWAY's last stream id (false). */
        boolean admit(int streamId) {
            lock.lock();
            try {
                if (goAwayLast >= 0 && streamId > goAwayLast) {
                    return false;
                }
                highestProcessed = Math.max(highestProcessed, streamId);
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Decides a GOAWAY's last stream id: {@code wanted}, raised to the highest processed; -1 if one was sent. */
        int goAway(int wanted) {
            lock.lock();
            try {
                if (goAwayLast >= 0) {
                    return -1;
                }
                goAwayLast = Math.max(Math.max(0, wanted), highestProcessed);
                return goAwayLast;
            } finally {
                lock.unlock();
            }
        }
    }

    private final long seed;
    private final FaultMix<H2Fault> mix;
    private final Ledger ledger;
    private final Map<H2Connection, Gate> gates = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<Integer, Set<H2Fault>> troubled = new ConcurrentHashMap<>();
    private final LongAdder goAwaysSent = new LongAdder();

    H2FaultHandler(long seed, FaultMix<H2Fault> mix, Ledger ledger) {
        this.seed = seed;
        this.mix = mix;
        this.ledger = ledger;
    }

    /** Client ports of the connections broken on purpose (by this server or by the caller), with the faults that did. */
    Map<Integer, Set<H2Fault>> troubled() {
        return troubled;
    }

    /** How many GOAWAY frames this handler sent. */
    long goAwaysSent() {
        return goAwaysSent.sum();
    }

    /** Adds {@code fault} to what broke the connection of client port {@code port} in {@code troubled}. */
    static void markTroubled(Map<Integer, Set<H2Fault>> troubled, int port, H2Fault fault) {
        troubled.merge(port, EnumSet.of(fault), (had, more) -> {
            EnumSet<H2Fault> all = EnumSet.copyOf(had); // a new set: the judge reads them unlocked
            all.addAll(more);
            return all;
        });
    }

    @Override
    public void handle(H2Exchange ex) throws Exception {
        long index = RequestPlan.indexOf(ex.request().header(ID));
        if (index < 0 || index >= ledger.attempts.length()) {
            ex.respond(H2Response.status(400).body("no soak request id"));
            return;
        }
        H2RequestPlan p = H2RequestPlan.of(seed, index, mix);
        int attempt = ledger.attempts.incrementAndGet((int) index);
        ledger.dispatched.increment();
        Gate gate = gates.computeIfAbsent(ex.connection(), c -> new Gate());
        int port = ex.connection().clientPort();
        // the ledger is the run's, so a retry that reaches another server is a later attempt too
        H2Fault f = p.fault().once() && attempt > 1 ? H2Fault.NONE : p.fault();
        switch (f) {
            case REFUSED -> ex.reset(REFUSED_STREAM); // not processed
            case GOAWAY_BELOW, GOAWAY_ABOVE -> {
                int last = gate.goAway(f == H2Fault.GOAWAY_BELOW ? ex.streamId() - 2 : Integer.MAX_VALUE);
                if (last >= 0) {
                    markTroubled(troubled, port, f);
                    goAway(ex, last, 0, p);
                }
                if (admit(ex, gate, index)) {
                    answer(ex, p);
                }
            }
            case GOAWAY_ERROR -> {
                int last = gate.goAway(ex.streamId());
                if (admit(ex, gate, index)) {
                    markTroubled(troubled, port, f);
                    if (last >= 0) {
                        goAway(ex, last, INTERNAL_ERROR, p);
                    }
                    half(ex, p);
                    ex.connection().close();
                }
            }
            default -> {
                if (admit(ex, gate, index)) {
                    fault(ex, f, p, port);
                }
            }
        }
    }

    private void goAway(H2Exchange ex, int last, int errorCode, H2RequestPlan p) throws IOException {
        goAwaysSent.increment();
        ex.connection().goAway(last, errorCode, "soak " + p.id());
    }

    private boolean admit(H2Exchange ex, Gate gate, long index) {
        if (!gate.admit(ex.streamId())) {
            return false; // above the GOAWAY's last stream id: never answered, the client sends it again
        }
        ledger.processed.incrementAndGet((int) index);
        return true;
    }

    /** Plays fault {@code f} of the request's own stream or connection, on a processed stream. */
    private void fault(H2Exchange ex, H2Fault f, H2RequestPlan p, int port) throws IOException, InterruptedException {
        switch (f) {
            case SLOW_BODY -> slowly(ex, p, 2 + (int) (p.index() % 4), 5 + (int) (p.index() % 26));
            case CANCELED, INTERRUPTED -> slowly(ex, p, 5, 60 + (int) (p.index() % 41));
            case RESET_BEFORE_HEAD -> ex.reset(p.resetCode());
            case RESET_MID_BODY -> {
                half(ex, p);
                ex.reset(p.resetCode());
            }
            case NEVER_ANSWERED -> { } // the stream stays open
            case STALL_MID_BODY -> half(ex, p);
            case CLOSE_MID_RESPONSE -> {
                markTroubled(troubled, port, f);
                half(ex, p);
                ex.connection().close();
            }
            case INVALID_FRAME -> {
                markTroubled(troubled, port, f);
                if (p.index() % 2 == 0) {
                    ex.connection().sendFrame(H2Frame.PING, 0, 0, new byte[7]); // FRAME_SIZE_ERROR
                } else {
                    ex.connection().sendFrame(H2Frame.DATA, 0, 0, new byte[0]); // PROTOCOL_ERROR
                }
            }
            // An empty DATA frame before any head: malformed (§8.1), no flow-control credit used; without
            // END_STREAM, so that the stream stays open (as the server counts it) until the client resets it.
            case MALFORMED -> ex.connection().sendFrame(H2Frame.DATA, 0, ex.streamId(), new byte[0]);
            default -> answer(ex, p); // NONE, WINDOW_CLOSED (when the body fit the window)
        }
    }

    private void answer(H2Exchange ex, H2RequestPlan p) throws IOException, InterruptedException {
        byte[] body = Payload.bytes(p.id(), p.responseSize());
        ex.headers(head(ex, p), body.length == 0);
        if (body.length > 0) {
            ex.data(body, true);
        }
    }

    /** Sends the head and the first half of the body, leaving the stream open. */
    private void half(H2Exchange ex, H2RequestPlan p) throws IOException, InterruptedException {
        byte[] body = Payload.bytes(p.id(), p.responseSize());
        ex.headers(head(ex, p), false);
        if (body.length >= 2) {
            ex.data(Arrays.copyOf(body, body.length / 2), false);
        }
    }

    /** Sends the head, then the body in {@code chunks} parts with {@code pauseMillis} before each. */
    private void slowly(H2Exchange ex, H2RequestPlan p, int chunks, int pauseMillis)
            throws IOException, InterruptedException {
        byte[] body = Payload.bytes(p.id(), p.responseSize());
        ex.headers(head(ex, p), body.length == 0);
        int off = 0;
        for (int i = 1; i <= chunks && off < body.length; i++) {
            Thread.sleep(pauseMillis);
            int end = i == chunks ? body.length : Math.max(off + 1, (int) ((long) body.length * i / chunks));
            ex.data(Arrays.copyOfRange(body, off, end), end == body.length);
            off = end;
        }
    }

    private List<String[]> head(H2Exchange ex, H2RequestPlan p) {
        List<String[]> f = new ArrayList<>(4);
        f.add(new String[] {":status", "200"});
        f.add(new String[] {ID, p.id()});
        f.add(new String[] {BODY_CRC, crc32(ex.request().body())});
        if (p.index() % 2 == 0) {
            f.add(new String[] {"content-length", Integer.toString(p.responseSize())});
        }
        return f;
    }

    static String crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return Long.toHexString(c.getValue()).toUpperCase(Locale.ROOT);
    }
}
