package dev.roundtrip.cli;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Timings;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * DemoCommand is {@code roundtrip demo}: on the embedded test server (127.0.0.1, in this process),
 * in about ten seconds, it shows
 * <ol>
 *   <li>(a) the timing waterfall of a request on a new connection, then of the same request on the
 *       reused connection (no DNS, no connect: {@code reused});</li>
 *   <li>(b) Go's default pool (2 idle connections per host) against roundtrip's default under 16
 *       closed-loop workers: connections opened and requests/s side by side ({@link PoolComparison});</li>
 *   <li>(c) a response that is never closed, reported by leak detection with where it was created
 *       ({@link LeakDemo}).</li>
 * </ol>
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        header = "Show roundtrip at work on an embedded loopback server (about 10 s).",
        description = {"Show what roundtrip does, on an embedded test server on 127.0.0.1 (about 10 s):",
            "  (a) the timing waterfall of a new connection, then of a reused one;",
            "  (b) Go's default pool (2 idle per host) versus roundtrip's, 16 workers in bursts: connections opened,"
                    + " requests/s;",
            "  (c) a response that is never closed, caught by leak detection with where it was created."})
final class DemoCommand implements Callable<Integer>, Main.Verbosity {
    /** Body size of the section (a) responses: 64 KiB. */
    static final int WATERFALL_BODY_BYTES = 64 * 1024;
    /** The server's think time in section (a): 15 ms. */
    static final Duration WATERFALL_SERVER_DELAY = Duration.ofMillis(15);

    @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.class, defaultValue = "3s",
            description = "How long each pool of section (b) runs (default: ${DEFAULT-VALUE}, at most 30s).")
    Duration duration;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the waterfalls: auto (on a terminal, unless NO_COLOR), always, never.")
    Terminal.ColorMode color;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of failures.")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() throws Exception {
        if (duration.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new CliException(ExitCodes.USAGE, "--duration is at most 30s");
        }
        PrintStream out = System.out;
        boolean colour = Terminal.colorStdout(color);
        long start = System.nanoTime();
        try (EmbeddedServer server = EmbeddedServer.start()) {
            out.println(Terminal.paint(colour, Terminal.BOLD, "roundtrip demo") + ": on an embedded test server at"
                    + " 127.0.0.1:" + server.port() + " (loopback only, in this process)");
            out.println();
            waterfalls(server, out, colour);
            PoolComparison.run(server, duration, out, colour);
            LeakDemo.run(server, out, colour);
        }
        out.printf(java.util.Locale.ROOT, "demo done in %.1f s. Try: roundtrip get --trace URL, roundtrip bench --help%n",
                (System.nanoTime() - start) / 1e9);
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Sends two requests to {@code 127.0.0.1} (another pool key than {@code localhost}), so that
     * loading the classes of a first request does not show in the waterfalls.
     */
    private static void warmUp(Transport transport, EmbeddedServer server) throws java.io.IOException {
        for (int i = 0; i < 2; i++) {
            try (Response r = transport.roundTrip(Request.get(server.url("/warm-up")))) {
                r.body().transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
    }

    /** Section (a): one request on a new connection, the same on the reused connection. */
    private static void waterfalls(EmbeddedServer server, PrintStream out, boolean colour) throws Exception {
        out.println(Terminal.paint(colour, Terminal.BOLD, "(a) Where the time goes: a new connection, then a reused one"));
        URI url = URI.create("http://localhost:" + server.port() + "/hello");
        out.println("    GET " + url + "  (the server waits " + Durations.human(WATERFALL_SERVER_DELAY)
                + ", then sends " + WATERFALL_BODY_BYTES / 1024 + " KiB in 8 KiB writes)");
        AtomicReference<GotConnInfo> conn = new AtomicReference<>();
        ClientTrace trace = new ClientTrace() {
            @Override
            public void gotConn(GotConnInfo info) {
                conn.set(info);
            }
        };
        ScriptedResponse answer = ScriptedResponse.status(200).header("Content-Type", "application/octet-stream")
                .body(new byte[WATERFALL_BODY_BYTES]).delay(WATERFALL_SERVER_DELAY).throttle(8 * 1024, Duration.ofMillis(1));
        try (Transport transport = Transport.create(TransportConfig.builder().resolver(new LoopbackResolver())
                .trace(trace).build())) {
            warmUp(transport, server);
            for (int i = 0; i < 2; i++) {
                server.enqueue(answer);
                Timings t;
                int status;
                try (Response r = transport.roundTrip(Request.get(url))) {
                    status = r.status();
                    r.body().transferTo(java.io.OutputStream.nullOutputStream());
                    t = r.timings();
                }
                GotConnInfo c = conn.get();
                out.println();
                out.println("    " + (i == 0 ? "1st request" : "2nd request") + " -> " + status + ", "
                        + (t.reused() ? "reused connection" : "new connection"));
                String note = c == null || c.localAddress() == null ? null : "local port " + c.localAddress().getPort();
                out.print(Waterfall.render(t, colour, note).indent(2));
            }
        }
        out.println("    The 2nd request skipped DNS, TCP connect (and TLS, for https): it reused the idle connection,");
        out.println("    as the same local port shows.");
        out.println();
        out.flush();
    }
}
