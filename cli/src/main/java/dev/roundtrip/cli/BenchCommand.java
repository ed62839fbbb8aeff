package dev.roundtrip.cli;

import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.load.LoadPlan;
import dev.roundtrip.load.LoadResult;
import dev.roundtrip.load.LoadRun;
import dev.roundtrip.load.Progress;
import dev.roundtrip.load.WorkerThreads;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * BenchCommand is {@code roundtrip bench [URL]}: a closed-loop load run through one Transport,
 * then a report of throughput, latency, statuses, errors and what the connection pool did.
 * Without a URL it starts the embedded test server on 127.0.0.1 and benchmarks that.
 *
 * <p>Always bounded: by {@code -d} (default {@link #DEFAULT_DURATION} when neither {@code -d} nor
 * {@code -n} is given), by {@code -n}, and in any case by {@link LoadPlan#HARD_CAP}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        header = "Closed-loop load on a URL, or on the embedded loopback server.",
        description = {"Closed-loop load: N workers each send the next request as soon as the previous response"
                + " has been read. Reports requests/s, latency percentiles and histogram, status codes, errors by"
                + " type, and connections opened versus requests.",
            "Without URL: benchmarks the embedded test server on 127.0.0.1 (a fixed 13-byte 200 response)."},
        footer = {"", "Examples:",
            "  roundtrip bench                                  # embedded server, 16 workers, 10 s",
            "  roundtrip bench -c 16 -d 3s --bursts --go-defaults   # Go's 2 idle connections per host",
            "  roundtrip bench -n 10000 -c 8 http://127.0.0.1:8080/"})
final class BenchCommand implements Callable<Integer>, Main.Verbosity {
    /** How long a run lasts when neither -d nor -n is given: 10 s. */
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    /** Most workers: 10,000. */
    static final int MAX_CONCURRENCY = 10_000;
    /** Go's default idle connections per host ({@code DefaultMaxIdleConnsPerHost}). */
    static final int GO_MAX_IDLE_CONNS_PER_HOST = 2;
    /** Go's {@code DefaultTransport.MaxIdleConns}. */
    static final int GO_MAX_IDLE_CONNS = 100;
    /** Go's {@code DefaultTransport.IdleConnTimeout}. */
    static final Duration GO_IDLE_CONN_TIMEOUT = Duration.ofSeconds(90);

    /** Which threads run the workers. */
    enum Threads { platform, virtual }

    @Parameters(index = "0", arity = "0..1", paramLabel = "URL",
            description = "Target URL (default: the embedded test server on 127.0.0.1; required with -x).")
    String url;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "16",
            description = "Workers, each with at most one request in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = Durations.class,
            description = "How long to run, e.g. 3s (default: 10s when -n is not given; at most 10m).")
    Duration duration;

    @Option(names = {"-n", "--requests"}, paramLabel = "COUNT", description = "How many requests to send.")
    long requests;

    @Option(names = "--threads", paramLabel = "KIND", defaultValue = "platform",
            description = "Worker threads: platform or virtual (JDK 21+) (default: ${DEFAULT-VALUE}).")
    Threads threads;

    @Option(names = "--bursts",
            description = "Workers wait for each other after each request: bursts of N requests that start and"
                    + " return their connections together, as a fan-out does.")
    boolean bursts;

    @Option(names = "--go-defaults",
            description = "Use the pool of Go's DefaultTransport: 2 idle connections per host (roundtrip's default"
                    + " is " + TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST + "), 100 idle in all, idle timeout 90 s.")
    boolean goDefaults;

    @Option(names = "--max-idle-per-host", paramLabel = "N", description = "Idle connections kept per host, 0 or more (default: "
                    + TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST + ", or 2 with --go-defaults).")
    Integer maxIdlePerHost;

    @Option(names = "--max-conns-per-host", paramLabel = "N",
            description = "Connections per host, queueing requests beyond (default: 0 = unlimited).")
    Integer maxConnsPerHost;

    @Option(names = {"-X", "--request"}, paramLabel = "METHOD", defaultValue = "GET", description = "Request method.")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "Add a request header (repeatable); 'Name;' sends an empty value.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--body", paramLabel = "DATA", description = "Request body; @FILE for a file's bytes.")
    String body;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class, defaultValue = "10s",
            description = "Deadline of each request, body included (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of failures.")
    boolean verbose;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() throws Exception {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new CliException(ExitCodes.USAGE, "-c must be between 1 and " + MAX_CONCURRENCY + ", not " + concurrency);
        }
        if (requests < 0) {
            throw new CliException(ExitCodes.USAGE, "-n must be positive, not " + requests);
        }
        if (url == null && connection.proxy != null) {
            throw new CliException(ExitCodes.USAGE, "-x/--proxy needs a URL: without one, bench loads its embedded"
                    + " server on 127.0.0.1, and through a proxy that traffic would go to the proxy instead");
        }
        if (maxIdlePerHost != null && maxIdlePerHost < 0) {
            throw new CliException(ExitCodes.USAGE, "--max-idle-per-host must be 0 or more, not " + maxIdlePerHost);
        }
        if (maxConnsPerHost != null && maxConnsPerHost < 0) {
            throw new CliException(ExitCodes.USAGE, "--max-conns-per-host must be 0 (unlimited) or more, not "
                    + maxConnsPerHost);
        }
        Duration runFor = duration != null ? duration : requests > 0 ? null : DEFAULT_DURATION;
        if (runFor != null && runFor.compareTo(LoadPlan.HARD_CAP) > 0) {
            throw new CliException(ExitCodes.USAGE, "-d is at most " + Durations.human(LoadPlan.HARD_CAP));
        }
        boolean virtual = threads == Threads.virtual;
        java.util.concurrent.ThreadFactory factory;
        try {
            factory = WorkerThreads.factory(virtual, "bench-worker");
        } catch (UnsupportedOperationException e) {
            throw new CliException(ExitCodes.USAGE, "--threads virtual needs JDK 21 or later; this is Java "
                    + System.getProperty("java.version") + " (use --threads platform, or run with a newer JDK,"
                    + " e.g. JAVA_HOME=/path/to/jdk-21 ./roundtrip ...)", e);
        }
        PrintStream out = System.out;
        EmbeddedServer embedded = null;
        try {
            URI target;
            if (url == null) {
                embedded = EmbeddedServer.start();
                target = embedded.url("/");
            } else {
                target = Urls.parse(url);
            }
            Request request = request(target);
            TransportConfig.Builder config = connection.apply(TransportConfig.builder(), System.err);
            if (goDefaults) {
                goDefaults(config);
            }
            int idle = maxIdlePerHost != null ? maxIdlePerHost
                    : goDefaults ? GO_MAX_IDLE_CONNS_PER_HOST : TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST;
            config.maxIdleConnsPerHost(idle);
            if (maxConnsPerHost != null) {
                config.maxConnsPerHost(maxConnsPerHost);
            }
            String limit = (runFor != null ? Durations.human(runFor) : "") + (runFor != null && requests > 0 ? " or " : "")
                    + (requests > 0 ? String.format(Locale.ROOT, "%,d requests", requests) : "");
            out.println("roundtrip bench " + Urls.redact(target) + (embedded != null ? "  (embedded test server, loopback)" : ""));
            out.printf(Locale.ROOT, "  %d workers%s on %s threads, %s, pool: %d idle per host%s%n", concurrency,
                    bursts ? " in bursts" : "", threads, limit, idle, goDefaults && maxIdlePerHost == null ? " (Go's default)"
                            : idle == TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST ? " (roundtrip's default)" : "");
            out.flush();
            LoadResult result;
            try (Transport transport = Transport.create(config.build())) {
                LiveLine live = Terminal.stderrInteractive() ? new LiveLine(System.err) : null;
                LoadPlan plan = LoadPlan.closedLoop(concurrency, factory).withDuration(runFor).withRequests(requests)
                        .withBursts(bursts);
                result = LoadRun.start(plan, new TransportExchange(transport, request)).finish(live == null ? null
                        : live::show);
                if (live != null) {
                    live.clear();
                }
                out.print(BenchReport.render(result, transport.stats()));
                out.flush();
            }
            if (result.completed() == 0 && result.firstError() != null) {
                throw new CliException(ExitCodes.of(result.firstError()), "no request succeeded: "
                        + ExitCodes.message(result.firstError()), result.firstError());
            }
            return ExitCodes.OK;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Sets the pool limits of Go's {@code http.DefaultTransport} on {@code b}. */
    static TransportConfig.Builder goDefaults(TransportConfig.Builder b) {
        return b.maxIdleConnsPerHost(GO_MAX_IDLE_CONNS_PER_HOST).maxIdleConns(GO_MAX_IDLE_CONNS)
                .idleConnTimeout(GO_IDLE_CONN_TIMEOUT);
    }

    private Request request(URI target) {
        byte[] bytes = body == null ? null : RequestData.read(List.of(body));
        Request.Builder b;
        try {
            b = Request.newBuilder(target).method(method, bytes == null ? null : RequestBody.of(bytes)).timeout(timeout);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad -X or --timeout: " + e.getMessage(), e);
        }
        HeaderOptions.addAll(b, headers);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_URL, "bad URL '" + Urls.redact(target) + "': " + e.getMessage(), e);
        }
    }

    /** LiveLine is the progress line on a terminal, redrawn in place. */
    static final class LiveLine {
        private final PrintStream err;

        LiveLine(PrintStream err) {
            this.err = err;
        }

        void show(Progress p) {
            err.printf(Locale.ROOT, "\r  %5.1f s  %,12d requests  %,10.0f req/s  p99 %s  errors %,d   ",
                    p.elapsed().toNanos() / 1e9, p.completed(), p.intervalRate(), BenchReport.ms(p.intervalP99Nanos()),
                    p.errors());
            err.flush();
        }

        void clear() {
            err.print("\r" + " ".repeat(90) + "\r");
            err.flush();
        }
    }
}
