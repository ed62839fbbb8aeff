package dev.roundtrip.soak;

import dev.roundtrip.Client;
import dev.roundtrip.Http2Config;
import dev.roundtrip.PoolStats;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.tls.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * H2SoakRun drives one HTTP/2 soak: four {@link H2TestServer}s, each answering through an {@link
 * H2FaultHandler} (h2c, whose connection receive window is {@link #H2C_CONNECTION_WINDOW}; TLS with
 * ALPN h2 allowing 16 concurrent streams per connection; h2c allowing one stream per connection; h2c
 * that never answers PINGs; the last three with the initial window of 65,535) and three Transports (default
 * HTTP/2 settings, for the first three; receive windows of 65,535 octets, so that bodies above 64
 * KiB need this client's WINDOW_UPDATEs, for the first server too; a health check after 300 ms of
 * silence, for the deaf server). Senders, half of them virtual threads where the JDK has them, send
 * the planned requests until the count or the time is reached, while a watchdog flags hangs.
 *
 * <p>Steps, in order: count descriptors; start; send; wait for the senders; check every pool has
 * nothing in use, no stream and no leak; close the Transports and the servers; check the server
 * threads ended, descriptors, that no request without an idempotency key was processed twice, and
 * that no stream went past a server's limit.
 */
final class H2SoakRun {
    /** The per-phase timeouts (response head, body read, write): short, so stalls cost little. */
    static final Duration PHASE_TIMEOUT = Duration.ofSeconds(2);
    /** The overall timeout of the requests sent through a Client. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(6);
    /**
     * The connection receive window of the busiest server (h2c, default settings), as Go's server
     * opens it (1 MiB). With the initial 65,535 octets, this client's uploads to it were bound by
     * one window per round trip: in a run where every request was refused once (so sent twice),
     * 64 callers on one connection took up to 6.3 s for a 410 KB body and missed the 6 s
     * timeout; with 1 MiB, the longest request took 2.1 s. The other servers keep 65,535, so
     * uploads that wait for connection credit are still soaked.
     */
    static final int H2C_CONNECTION_WINDOW = 1 << 20;
    /** The TLS server's SETTINGS_MAX_CONCURRENT_STREAMS. */
    static final int TLS_STREAM_LIMIT = 16;

    private final SoakSettings settings;
    private final FaultMix<H2Fault> mix;

    H2SoakRun(SoakSettings settings) {
        this.settings = settings;
        this.mix = H2RequestPlan.mix(settings.faultList());
    }

    H2RequestPlan plan(long index) {
        return H2RequestPlan.of(settings.seed(), index, mix);
    }

    /** The soak's Transport configuration with {@code h2}; every timeout finite. */
    static TransportConfig config(Http2Config h2) {
        return TransportConfig.builder()
                .protocols(Protocol.H2C, Protocol.HTTP_2, Protocol.HTTP_1_1)
                .sslContext(TestCertificates.clientTrustingCa())
                .connectTimeout(Duration.ofSeconds(2))
                .tlsHandshakeTimeout(Duration.ofSeconds(2))
                .responseHeaderTimeout(PHASE_TIMEOUT)
                .readTimeout(PHASE_TIMEOUT)
                .writeTimeout(PHASE_TIMEOUT)
                .connectionWaitTimeout(Duration.ofSeconds(5))
                .http2(h2)
                .build();
    }

    SoakResult run() throws Exception {
        warmUp();
        FdCount.Snapshot fdBefore = FdCount.now();
        Tally tally = new Tally(H2Fault.values());
        H2FaultHandler.Ledger ledger = new H2FaultHandler.Ledger(settings.requests());
        H2Options base = H2Options.defaults().keepHistory(false).withholdStreamCredit(H2FaultHandler.WITHHOLD);
        H2TestServer h2c = H2TestServer.start(base.connectionWindow(H2C_CONNECTION_WINDOW));
        H2TestServer tls = H2TestServer.startTls(TestCertificates.serverContext(), base.settings(3, TLS_STREAM_LIMIT));
        H2TestServer single = H2TestServer.start(base.settings(3, 1));
        H2TestServer deaf = H2TestServer.start(base.answerPings(false));
        List<H2TestServer> servers = List.of(h2c, tls, single, deaf);
        Map<H2TestServer, H2FaultHandler> handlers = new LinkedHashMap<>();
        for (H2TestServer s : servers) {
            H2FaultHandler h = new H2FaultHandler(settings.seed(), mix, ledger);
            s.setDispatcher(h);
            handlers.put(s, h);
        }
        Transport main = Transport.create(config(Http2Config.defaults()));
        Transport small = Transport.create(config(Http2Config.builder().initialStreamWindow(65535)
                .initialConnectionWindow(65535).build()));
        Transport quick = Transport.create(config(Http2Config.builder().readIdleTimeout(Duration.ofMillis(300))
                .pingTimeout(Duration.ofMillis(500)).build()));
        Map<H2RequestPlan.Target, H2SoakCall.Endpoint> endpoints = new EnumMap<>(H2RequestPlan.Target.class);
        endpoints.put(H2RequestPlan.Target.H2C, endpoint(h2c, main, handlers));
        endpoints.put(H2RequestPlan.Target.H2C_SMALL_WINDOWS, endpoint(h2c, small, handlers));
        endpoints.put(H2RequestPlan.Target.TLS, endpoint(tls, main, handlers));
        endpoints.put(H2RequestPlan.Target.H2C_ONE_STREAM, endpoint(single, main, handlers));
        endpoints.put(H2RequestPlan.Target.DEAF_TO_PINGS, endpoint(deaf, quick, handlers));
        ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-canceller");
            t.setDaemon(true);
            return t;
        });
        H2SoakCall call = new H2SoakCall(endpoints, canceller);

        long start = System.nanoTime();
        long deadline = start + settings.duration().toNanos();
        int c = settings.concurrency();
        SoakWatch.Senders senders = new SoakWatch.Senders(new Thread[c]);
        LongAccumulator longest = new LongAccumulator(Math::max, 0);
        int virtual = 0;
        for (int w = 0; w < c; w++) {
            int slot = w;
            Runnable loop = () -> {
                while (true) {
                    long i = senders.next().getAndIncrement();
                    if (i >= settings.requests() || System.nanoTime() - deadline > 0) {
                        return;
                    }
                    H2RequestPlan p = plan(i);
                    senders.current().set(slot, i);
                    long began = System.nanoTime();
                    senders.startedAt().set(slot, began);
                    Outcome o = call.run(p);
                    senders.startedAt().set(slot, 0);
                    longest.accumulate(System.nanoTime() - began);
                    tally.add(p.fault(), o, () -> p.describe(settings.seed()));
                    if (o.failureType() != null && o.defect() == null) {
                        tally.note("failures explained by: " + o.detail());
                    }
                }
            };
            senders.workers()[w] = newThread(w % 2 == 0, "h2soak-sender-" + w, loop);
            virtual += senders.workers()[w].getClass() == Thread.class ? 0 : 1;
            senders.workers()[w].start();
        }
        tally.note("senders on virtual threads (of " + c + ")", virtual);
        SoakWatch.watch(senders, settings, tally, start, i -> plan(i).fault(), i -> plan(i).describe(settings.seed()));
        long sent = Math.min(senders.next().get(), settings.requests());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        canceller.shutdownNow();
        tally.note("the longest request, in ms", longest.get() / 1_000_000);

        Map<String, PoolStats> pools = new LinkedHashMap<>();
        pools.put("main Transport", SoakWatch.checkIdle(main, "main Transport", tally));
        pools.put("small-window Transport", SoakWatch.checkIdle(small, "small-window Transport", tally));
        pools.put("health-check Transport", SoakWatch.checkIdle(quick, "health-check Transport", tally));
        main.close();
        small.close();
        quick.close();
        Map<String, Long> goAways = new LinkedHashMap<>();
        String[] names = {"h2c", "TLS", "one-stream h2c", "PING-deaf h2c"};
        for (int i = 0; i < servers.size(); i++) {
            goAways.put(names[i], handlers.get(servers.get(i)).goAwaysSent());
        }
        for (H2TestServer s : servers) {
            s.close();
        }
        for (H2TestServer s : servers) {
            if (!SoakWatch.eventually(() -> s.runningThreads() == 0, Duration.ofSeconds(5))) {
                tally.runDefect(Defect.SERVER_THREAD_LEAK, s.runningThreads(), s.toString());
            }
            tally.note("connections accepted by " + s, s.acceptedConnections());
        }
        for (H2TestServer s : List.of(tls, single)) {
            tally.runDefect(Defect.STREAM_LIMIT_EXCEEDED, s.streamLimitViolations(), s.streamLimitViolations()
                    + " streams opened past the SETTINGS_MAX_CONCURRENT_STREAMS of " + s);
        }
        FdCount.Snapshot fdAfter = SoakWatch.checkDescriptors(fdBefore, tally);
        judgeProcessing(ledger, sent, tally);
        return new SoakResult("roundtrip HTTP/2 fault soak", settings, tally, null, sent, elapsed,
                ledger.dispatched.sum(), pools, goAways, fdBefore, fdAfter);
    }

    /** A request processed twice was retried after the server acted on it: a defect unless it is idempotent. */
    private void judgeProcessing(H2FaultHandler.Ledger ledger, long sent, Tally tally) {
        for (int i = 0; i < sent; i++) {
            int n = ledger.processed.get(i);
            if (n < 2) {
                continue;
            }
            H2RequestPlan p = plan(i);
            if (p.idempotent()) {
                tally.note("idempotent requests processed twice (sent again after a connection was lost)");
            } else {
                tally.judgedDefect(p.fault(), Defect.RETRIED_AFTER_PROCESSED, p.describe(settings.seed())
                        + "\n      -> processed " + n + " times, " + ledger.attempts.get(i) + " attempts reached a handler");
            }
        }
    }

    private static H2SoakCall.Endpoint endpoint(H2TestServer s, Transport t, Map<H2TestServer, H2FaultHandler> handlers) {
        URI base = URI.create((s.isTls() ? "https://localhost:" : "http://127.0.0.1:") + s.port() + "/");
        Client client = Client.builder().timeout(CLIENT_TIMEOUT).transport(t).build();
        return new H2SoakCall.Endpoint(base, t, client, handlers.get(s).troubled());
    }

    /** A new sender: a virtual thread if asked and the JDK has them, else a daemon platform thread. */
    static Thread newThread(boolean virtual, String name, Runnable r) {
        if (virtual) {
            try {
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                Class<?> type = Class.forName("java.lang.Thread$Builder");
                builder = type.getMethod("name", String.class).invoke(builder, name);
                return (Thread) type.getMethod("unstarted", Runnable.class).invoke(builder, r);
            } catch (ReflectiveOperationException e) {
                // no virtual threads before JDK 21
            }
        }
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Sends one request over h2c and one over TLS through a throwaway server and Transport, so that
     * what the JDK opens once per process (and keeps) is open before the descriptors are counted.
     */
    private static void warmUp() throws Exception {
        try (H2TestServer c = H2TestServer.start();
             H2TestServer s = H2TestServer.startTls(TestCertificates.serverContext(), H2Options.defaults());
             Transport t = Transport.create(config(Http2Config.defaults()))) {
            for (H2TestServer server : List.of(c, s)) {
                String url = (server.isTls() ? "https://localhost:" : "http://127.0.0.1:") + server.port() + "/warm-up";
                try (Response r = t.roundTrip(Request.get(url))) {
                    r.bodyBytes();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("warm-up request failed", e);
        }
    }
}
