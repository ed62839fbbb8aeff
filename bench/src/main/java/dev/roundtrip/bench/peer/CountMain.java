package dev.roundtrip.bench.peer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CountMain counts what a fixed number of requests cost in events that do not depend on how loaded
 * the machine is: context switches of every thread of this JVM (voluntary: a thread blocked and
 * was woken; involuntary: it was preempted), read from {@code /proc/self/task/N/status} before and
 * after, grouped by thread name, and the bytes allocated per request (every platform thread).
 * Run it under {@code perf stat -p PID} or {@code strace -f -c -p PID} for system calls: it prints
 * {@code READY pid} after its warm-up and waits (at most 60 s) for the file named by {@code --go}
 * to exist before it measures, so that the tracer attaches to the measured requests only.
 * Roundtrip only: {@code --post-bytes N} POSTs N bytes from a stream instead of a GET;
 * {@code --via-client true} sends through a {@code Client} with a timeout and a default header.
 * <pre>
 * java -cp roundtrip-bench.jar dev.roundtrip.bench.peer.CountMain --client roundtrip \
 *     --url http://127.0.0.1:PORT/ --concurrency 64 [--threads platform|virtual] \
 *     [--warmup-requests 200000] [--requests 100000] [--go /tmp/go] [--post-bytes N] [--via-client true]
 * </pre>
 * Every loop is bounded: by its request count and by {@value #MAX_SECONDS} s of wall time.
 */
public final class CountMain {
    /** The longest a warm-up or a measured phase may run. */
    static final long MAX_SECONDS = 120;

    private CountMain() {
    }

    public static void main(String[] args) throws Exception {
        Args opts = Args.parse(args, java.util.Set.of(), CountMain::usage);
        String client = opts.required("client");
        URI url = URI.create(opts.required("url"));
        PeerPoint.requireLoopback(url);
        int c = Integer.parseInt(opts.required("concurrency"));
        boolean virtual = opts.get("threads", "platform").equals("virtual");
        long warm = Long.parseLong(opts.get("warmup-requests", "200000"));
        long n = Long.parseLong(opts.get("requests", "100000"));
        String go = opts.get("go", "");
        int postBytes = Integer.parseInt(opts.get("post-bytes", "0"));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        boolean viaClient = opts.get("via-client", "false").equals("true");
        try (PeerClient pc = postBytes > 0 || viaClient ? new ViaTransport(client, c, postBytes, viaClient)
                : Clients.open(client, c)) {
            long errs = run(pc, url, c, virtual, warm, new CountDownLatch(0));
            out.println("READY " + ProcessHandle.current().pid() + " warm-up errors " + errs);
            if (!go.isEmpty()) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(Path.of(go)) && System.nanoTime() - until < 0) {
                    Thread.sleep(50);
                }
            }
            // Called through PeerPoint: newer JDKs' --release 17 data lack the method.
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)
                    java.lang.management.ManagementFactory.getThreadMXBean();
            Map<String, long[]> before = switches();
            long a0 = PeerPoint.totalAllocated(mx);
            long t0 = System.nanoTime();
            CountDownLatch release = new CountDownLatch(1);
            errs = run(pc, url, c, virtual, n, release);
            long t1 = System.nanoTime();
            long a1 = PeerPoint.totalAllocated(mx);
            Map<String, long[]> after = switches(); // the workers are still alive: their counts are in
            release.countDown();
            out.printf(Locale.ROOT,
                    "client %s c=%d %s requests %d errors %d (%.0f req/s, unreliable on a loaded host)%n",
                    client, c, virtual ? "virtual" : "platform", n, errs, n / ((t1 - t0) / 1e9));
            out.printf(Locale.ROOT, "allocated %.0f B per request (all platform threads)%n", (a1 - a0) / (double) n);
            report(out, before, after, n);
        }
        out.println("DONE");
        System.exit(0);
    }

    /**
     * Runs {@code total} requests over {@code c} new workers; returns the error count once all are
     * done. The workers then wait (at most 60 s) for {@code release} before they end.
     */
    static long run(PeerClient pc, URI url, int c, boolean virtual, long total, CountDownLatch release)
            throws InterruptedException {
        AtomicLong left = new AtomicLong(total);
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
        CountDownLatch done = new CountDownLatch(c);
        Runnable worker = () -> {
            byte[] scratch = new byte[16384];
            try {
                while (left.getAndDecrement() > 0 && System.nanoTime() - deadline < 0) {
                    try {
                        pc.get(url, scratch);
                    } catch (Exception e) {
                        if (errors.getAndIncrement() == 0) {
                            e.printStackTrace();
                        }
                    }
                }
            } finally {
                done.countDown();
            }
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        java.util.concurrent.ThreadFactory f = dev.roundtrip.load.WorkerThreads.factory(virtual, "worker");
        for (int i = 0; i < c; i++) {
            f.newThread(worker).start();
        }
        done.await(MAX_SECONDS + 10, TimeUnit.SECONDS);
        return errors.get();
    }

    /** Context switches per thread name: [voluntary, involuntary, threads]. */
    static Map<String, long[]> switches() throws IOException {
        Map<String, long[]> m = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String name;
                List<String> lines;
                try {
                    name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+$", "#");
                    lines = Files.readAllLines(t.resolve("status"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                long[] v = m.computeIfAbsent(name, k -> new long[3]);
                for (String l : lines) {
                    if (l.startsWith("voluntary_ctxt_switches:")) {
                        v[0] += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                    } else if (l.startsWith("nonvoluntary_ctxt_switches:")) {
                        v[1] += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                    }
                }
                v[2]++;
            }
        }
        return m;
    }

    private static void report(PrintStream out, Map<String, long[]> before, Map<String, long[]> after, long n) {
        double vol = 0;
        double inv = 0;
        out.println("per request: voluntary / involuntary context switches, by thread (threads alive after)");
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[3]);
            long[] a = e.getValue();
            double dv = (a[0] - b[0]) / (double) n;
            double di = (a[1] - b[1]) / (double) n;
            vol += dv;
            inv += di;
            if (dv >= 0.0005 || di >= 0.0005) {
                out.printf(Locale.ROOT, "  %-18s %8.4f %8.4f  (%d)%n", e.getKey(), dv, di, a[2]);
            }
        }
        out.printf(Locale.ROOT, "  %-18s %8.4f %8.4f%n", "all", vol, inv);
    }

    /**
     * ViaTransport is roundtrip sending what {@code --post-bytes} and {@code --via-client} ask
     * for: a POST of that many bytes from a stream (a body the exchange writes after the head,
     * under its write timeout; a small byte array would go out with the head), and/or through a
     * {@link dev.roundtrip.Client} with a 30 s timeout and one default header (as applications
     * configure it).
     */
    static final class ViaTransport implements PeerClient {
        private final dev.roundtrip.Transport transport;
        private final dev.roundtrip.Client client;
        private final byte[] body;

        ViaTransport(String name, int concurrency, int postBytes, boolean viaClient) {
            if (!name.equals(Clients.ROUNDTRIP)) {
                throw new IllegalArgumentException("--post-bytes and --via-client are for --client roundtrip only");
            }
            this.transport = dev.roundtrip.Transport.create(Clients.sized(concurrency));
            this.client = viaClient ? dev.roundtrip.Client.builder().transport(transport)
                    .timeout(java.time.Duration.ofSeconds(30)).header("X-App", "bench").build() : null;
            this.body = postBytes > 0 ? new byte[postBytes] : null;
        }

        @Override
        public long get(URI uri, byte[] scratch) throws Exception {
            dev.roundtrip.Request r = body == null ? dev.roundtrip.Request.get(uri)
                    : dev.roundtrip.Request.newBuilder(uri)
                            .POST(dev.roundtrip.RequestBody.ofStream(
                                    new java.io.ByteArrayInputStream(body), body.length))
                            .build();
            try (dev.roundtrip.Response resp = client != null ? client.send(r) : transport.roundTrip(r)) {
                PeerClient.expectOk(resp.status(), uri);
                return PeerClient.drain(resp.body(), scratch);
            }
        }

        @Override
        public void close() {
            transport.close();
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: CountMain --client NAME --url http://127.0.0.1:PORT/ --concurrency N"
                + " [--threads platform|virtual] [--warmup-requests N] [--requests N] [--go FILE]"
                + " [--post-bytes N] [--via-client true]");
        System.exit(2);
    }
}
