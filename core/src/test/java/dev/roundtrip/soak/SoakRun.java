package dev.roundtrip.soak;

import dev.roundtrip.Client;
import dev.roundtrip.PoolStats;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.ClientViolation;
import dev.roundtrip.testserver.HostileServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;

/**
 * SoakRun drives one soak: it starts a {@link HostileServer} and two Transports (one with
 * unlimited connections, where requests take idle connections; one capped at an eighth of the
 * concurrency, where returning connections are handed to waiting requests), sends the planned
 * requests from {@code concurrency} threads until the count or the time is reached, watches for
 * hangs, then checks that nothing leaked and judges the unsolicited bytes.
 *
 * <p>Steps, in order: count descriptors; start; send (a watchdog flags any request running
 * longer than the hang limit, with its thread's stack); wait for the senders; check the pools
 * are idle; close the Transports and the server; check descriptors and server threads; judge.
 */
final class SoakRun {
    /** The per-phase timeouts of the soak's Transports: short, so stalls cost little. */
    static final Duration PHASE_TIMEOUT = Duration.ofSeconds(1);
    /** The overall timeout of the requests sent through a Client. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(8);
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final SoakSettings settings;
    private final FaultMix mix;

    SoakRun(SoakSettings settings) {
        this.settings = settings;
        this.mix = new FaultMix(settings.only());
    }

    /** The Transport configuration of the soak; {@code maxConnsPerHost} 0 means unlimited. */
    static TransportConfig config(int maxConnsPerHost) {
        return TransportConfig.builder()
                .connectTimeout(Duration.ofSeconds(2))
                .responseHeaderTimeout(PHASE_TIMEOUT)
                .readTimeout(PHASE_TIMEOUT)
                .writeTimeout(PHASE_TIMEOUT)
                .expectContinueTimeout(Duration.ofMillis(200))
                .connectionWaitTimeout(Duration.ofSeconds(5))
                .maxConnsPerHost(maxConnsPerHost)
                .build();
    }

    RequestPlan plan(long index) {
        return RequestPlan.of(settings.seed(), index, mix);
    }

    SoakResult run() throws InterruptedException {
        warmUp();
        FdCount.Snapshot fdBefore = FdCount.now();
        Tally tally = new Tally();
        AttemptLog attempts = new AttemptLog(settings.requests());
        HostileServer server;
        try {
            server = HostileServer.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the hostile server", e);
        }
        Transport idle = Transport.create(config(0));
        Transport handoff = Transport.create(config(Math.max(2, settings.concurrency() / 8)));
        SoakCall call = new SoakCall(new SoakCall.Targets(server.url("/"), idle, handoff,
                Client.builder().timeout(CLIENT_TIMEOUT).transport(idle).build(),
                Client.builder().timeout(CLIENT_TIMEOUT).transport(handoff).build()));

        long start = System.nanoTime();
        long deadline = start + settings.duration().toNanos();
        AtomicLong next = new AtomicLong();
        int c = settings.concurrency();
        AtomicLongArray startedAt = new AtomicLongArray(c); // 0: idle
        AtomicLongArray current = new AtomicLongArray(c);
        Thread[] workers = new Thread[c];
        for (int w = 0; w < c; w++) {
            int slot = w;
            workers[w] = new Thread(() -> {
                while (true) {
                    long i = next.getAndIncrement();
                    if (i >= settings.requests() || System.nanoTime() - deadline > 0) {
                        return;
                    }
                    RequestPlan p = plan(i);
                    current.set(slot, i);
                    startedAt.set(slot, System.nanoTime());
                    Outcome o = call.run(p, attempts.trace(i));
                    startedAt.set(slot, 0);
                    tally.add(p, o, settings.seed());
                }
            }, "soak-sender-" + w);
            workers[w].setDaemon(true);
            workers[w].start();
        }
        watch(workers, startedAt, current, tally, start, next);
        long sent = Math.min(next.get(), settings.requests());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        PoolStats idleStats = checkIdle(idle, "idle-pool Transport", tally);
        PoolStats handoffStats = checkIdle(handoff, "handoff-pool Transport", tally);
        idle.close();
        handoff.close();
        server.close();
        if (server.runningThreads() > 0) {
            tally.runDefect(Defect.SERVER_THREAD_LEAK, server.runningThreads(), server.toString());
        }
        FdCount.Snapshot fdAfter = fdBefore == null ? null : settle(fdBefore);
        if (fdAfter != null && fdAfter.socketCount() > fdBefore.socketCount()) {
            tally.runDefect(Defect.FD_LEAK, fdAfter.socketCount() - fdBefore.socketCount(),
                    "before " + fdBefore + ", after closing everything " + fdAfter + ": "
                            + FdCount.newSockets(fdBefore, fdAfter));
        }
        java.util.Set<Long> victims = new java.util.HashSet<>();
        tally.wrongAnswers().forEach(w -> victims.add(w.victimIndex()));
        for (ClientViolation v : server.violations()) {
            Defect d = v.kind() == ClientViolation.Kind.REUSED_AFTER_CLOSE ? Defect.REUSED_AFTER_CLOSE
                    : Defect.RETRIED_AFTER_RESPONSE_BYTES;
            if (d == Defect.REUSED_AFTER_CLOSE && victims.contains(RequestPlan.indexOf(v.causeRequestId()))) {
                // The client was off by one: it took something else for the closing answer's request.
                tally.note("reuses after a closing answer that the client had not read (after a wrong answer)");
                continue;
            }
            long index = RequestPlan.indexOf(v.requestId());
            tally.judgedDefect(v.fault(), d, (index >= 0 ? plan(index).describe(settings.seed()) : v.requestId())
                    + "\n      -> " + v.detail());
        }
        UnsolicitedJudge judge = new UnsolicitedJudge(attempts, settings.graceNanos(),
                i -> plan(i).describe(settings.seed()));
        UnsolicitedJudge.Figures figures = judge.judge(server.unsolicitedWrites(), tally.wrongAnswers(), tally);
        return new SoakResult(settings, tally, figures, sent, elapsed, server.requestCount(), idleStats,
                handoffStats, fdBefore, fdAfter);
    }

    /**
     * Sends one request through a throwaway server and Transport, so that what the JDK opens once
     * per process (and keeps) is open before the descriptors are counted.
     */
    private static void warmUp() {
        try (HostileServer s = HostileServer.start(); Transport t = Transport.create(config(0));
             dev.roundtrip.Response r = t.roundTrip(dev.roundtrip.Request.get(s.url("/warm-up")))) {
            r.bodyBytes();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("warm-up request failed", e);
        }
    }

    /**
     * Waits for the senders, flagging as a hang every request that runs longer than the hang
     * limit; gives up on senders still running a hang limit after the sending time is over.
     */
    private void watch(Thread[] workers, AtomicLongArray startedAt, AtomicLongArray current, Tally tally,
                       long start, AtomicLong next) throws InterruptedException {
        long hang = settings.hangLimit().toNanos();
        long giveUp = start + settings.duration().toNanos() + 2 * hang;
        long[] flagged = new long[workers.length];
        java.util.Arrays.fill(flagged, -1);
        long nextProgress = start + PROGRESS_NANOS;
        while (anyAlive(workers) && System.nanoTime() - giveUp < 0) {
            TimeUnit.MILLISECONDS.sleep(100);
            long now = System.nanoTime();
            for (int w = 0; w < workers.length; w++) {
                long s = startedAt.get(w);
                long i = current.get(w);
                if (s != 0 && now - s > hang && flagged[w] != i) {
                    flagged[w] = i;
                    tally.judgedDefect(plan(i).fault(), Defect.HANG, plan(i).describe(settings.seed())
                            + "\n      -> still running after " + TimeUnit.NANOSECONDS.toSeconds(now - s) + " s at"
                            + stack(workers[w]));
                }
            }
            if (now - nextProgress > 0) {
                nextProgress = now + PROGRESS_NANOS;
                System.out.printf(java.util.Locale.ROOT, "soak: %,d requests in %d s, defects so far %s%n",
                        Math.min(next.get(), settings.requests()), TimeUnit.NANOSECONDS.toSeconds(now - start),
                        tally.defectTotals());
            }
        }
    }

    private static boolean anyAlive(Thread[] threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    private static String stack(Thread t) {
        StringBuilder sb = new StringBuilder();
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(12, st.length); i++) {
            sb.append("\n        ").append(st[i]);
        }
        return sb.toString();
    }

    /** Waits (5 s at most) until {@code t} has nothing in use; counts a leak if it does not. */
    private static PoolStats checkIdle(Transport t, String name, Tally tally) throws InterruptedException {
        BooleanSupplier quiet = () -> t.stats().hosts().stream()
                .allMatch(h -> h.inUse() == 0 && h.dialing() == 0 && h.waiting() == 0);
        boolean ok = eventually(quiet, Duration.ofSeconds(5));
        PoolStats s = t.stats();
        if (!ok) {
            long busy = s.hosts().stream().mapToLong(h -> h.inUse() + h.dialing() + h.waiting()).sum();
            tally.runDefect(Defect.POOL_LEAK, busy, name + " still busy after the run: " + s);
        }
        tally.runDefect(Defect.POOL_LEAK, s.leaks(), name + " reported leaked responses: " + s);
        return s;
    }

    /** Waits (5 s at most) for the socket count to return to {@code before}; returns the last count. */
    private static FdCount.Snapshot settle(FdCount.Snapshot before) throws InterruptedException {
        FdCount.Snapshot[] last = {FdCount.now()};
        eventually(() -> {
            last[0] = FdCount.now();
            return last[0] != null && last[0].socketCount() <= before.socketCount();
        }, Duration.ofSeconds(5));
        return last[0];
    }

    private static boolean eventually(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }
}
