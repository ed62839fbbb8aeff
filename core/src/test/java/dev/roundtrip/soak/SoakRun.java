package dev.roundtrip.soak;

import dev.roundtrip.Client;
import dev.roundtrip.PoolStats;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.ClientViolation;
import dev.roundtrip.testserver.Fault;
import dev.roundtrip.testserver.HostileServer;
import java.time.Duration;

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

    private final SoakSettings settings;
    private final FaultMix<Fault> mix;

    SoakRun(SoakSettings settings) {
        this.settings = settings;
        this.mix = FaultMix.http1(settings.only());
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
        int c = settings.concurrency();
        SoakWatch.Senders senders = new SoakWatch.Senders(new Thread[c]);
        for (int w = 0; w < c; w++) {
            int slot = w;
            senders.workers()[w] = new Thread(() -> {
                while (true) {
                    long i = senders.next().getAndIncrement();
                    if (i >= settings.requests() || System.nanoTime() - deadline > 0) {
                        return;
                    }
                    RequestPlan p = plan(i);
                    senders.current().set(slot, i);
                    senders.startedAt().set(slot, System.nanoTime());
                    Outcome o = call.run(p, attempts.trace(i));
                    senders.startedAt().set(slot, 0);
                    tally.add(p, o, settings.seed());
                }
            }, "soak-sender-" + w);
            senders.workers()[w].setDaemon(true);
            senders.workers()[w].start();
        }
        SoakWatch.watch(senders, settings, tally, start, i -> plan(i).fault(), i -> plan(i).describe(settings.seed()));
        long sent = Math.min(senders.next().get(), settings.requests());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        PoolStats idleStats = SoakWatch.checkIdle(idle, "idle-pool Transport", tally);
        PoolStats handoffStats = SoakWatch.checkIdle(handoff, "handoff-pool Transport", tally);
        idle.close();
        handoff.close();
        server.close();
        if (server.runningThreads() > 0) {
            tally.runDefect(Defect.SERVER_THREAD_LEAK, server.runningThreads(), server.toString());
        }
        FdCount.Snapshot fdAfter = SoakWatch.checkDescriptors(fdBefore, tally);
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
        java.util.Map<String, PoolStats> pools = new java.util.LinkedHashMap<>();
        pools.put("idle-pool Transport", idleStats);
        pools.put("handoff-pool Transport", handoffStats);
        return new SoakResult("roundtrip fault soak", settings, tally, figures, sent, elapsed, server.requestCount(),
                pools, java.util.Map.of(), fdBefore, fdAfter);
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
}
