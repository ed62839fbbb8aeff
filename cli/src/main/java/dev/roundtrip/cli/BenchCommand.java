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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * BenchCommand is {@code roundtrip bench [URL]}: a load run through one Transport, closed-loop by
 * default or open-loop at a fixed rate ({@code --rate}, hey's {@code -q}), then a report of
 * throughput, latency (corrected and uncorrected in the open loop), statuses, errors and what the
 * connection pool did. Without a URL it starts the embedded test server on 127.0.0.1 and loads that.
 * hey's options mean what they mean in hey where they fit ({@code -n -c -z -q -m -H -d -D -T -A -a
 * -t -x}).
 *
 * <p>Always bounded: by {@code -z} (default {@link #DEFAULT_DURATION} when neither {@code -z} nor
 * {@code -n} is given), by {@code -n}, and in any case by {@link LoadPlan#HARD_CAP}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        header = "Load a URL, or the embedded loopback server: closed loop, or open loop at a fixed rate.",
        description = {"Closed loop (the default): N workers each send the next request as soon as the previous"
                + " response has been read. Open loop (--rate or -q): requests are scheduled at a fixed rate whatever"
                + " the responses do; latency is measured from each request's scheduled time (coordinated omission"
                + " corrected, as wrk2 does) and from its actual send, and requests sent late are counted.",
            "Reports requests/s, latency percentiles and histogram, status codes, errors by type, and connections"
                    + " opened versus requests. hey's options keep hey's meaning (-n -c -z -q -m -H -d -D -T -A -a -t).",
            "Without URL: loads the embedded test server on 127.0.0.1 (a fixed 13-byte 200 response)."},
        footer = {"", "Examples:",
            "  roundtrip bench                                  # embedded server, 16 workers, 10 s",
            "  roundtrip bench --rate 2000 -z 5s -c 32          # open loop: 2000 requests/s for 5 s",
            "  roundtrip bench -c 16 -z 3s --bursts --go-defaults   # Go's 2 idle connections per host",
            "  roundtrip bench -c 64 -z 5s --cacert ca.pem https://127.0.0.1:8443/   # HTTP/2 if the server chooses h2",
            "  roundtrip bench --http2-prior-knowledge -c 64 http://127.0.0.1:8080/   # h2c",
            "  roundtrip bench -n 10000 -c 8 -m POST -d 'a=1' -T application/x-www-form-urlencoded http://127.0.0.1:8080/"})
final class BenchCommand implements Callable<Integer>, Main.Verbosity {
    /** How long a run lasts when neither -z nor -n is given: 10 s. */
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

    private final Streams streams;

    @Parameters(index = "0", arity = "0..1", paramLabel = "URL",
            description = "Target URL (default: the embedded test server on 127.0.0.1; required with -x).")
    String url;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "16",
            description = "Workers, each with at most one request in flight (default: ${DEFAULT-VALUE}); in the open"
                    + " loop the most requests in flight.")
    int concurrency;

    @Option(names = {"-z", "--duration"}, paramLabel = "DURATION", converter = Durations.class,
            description = "Duration of application to send requests, e.g. 3s, 2m (default: 10s when -n is not"
                    + " given; at most 10m). With -n, whichever comes first.")
    Duration duration;

    @Option(names = {"-n", "--requests"}, paramLabel = "N", description = "Number of requests to run.")
    long requests;

    @Option(names = {"-R", "--rate"}, paramLabel = "REQUESTS/S",
            description = "Open loop: schedule requests at this rate whatever the responses do (wrk2's -R).")
    double rate;

    @Option(names = "-q", paramLabel = "QPS",
            description = "Rate limit, in queries per second (QPS) per worker (hey's -q): an open loop at QPS x -c"
                    + " requests/s.")
    double perWorkerRate;

    @Option(names = "--threads", paramLabel = "KIND", defaultValue = "platform",
            description = "Worker threads: platform or virtual (JDK 21+) (default: ${DEFAULT-VALUE}).")
    Threads threads;

    @Option(names = "--bursts",
            description = "Closed loop: workers wait for each other after each request: bursts of N requests that"
                    + " start and return their connections together, as a fan-out does.")
    boolean bursts;

    @Option(names = "--go-defaults",
            description = "Use the pool of Go's DefaultTransport: 2 idle connections per host (roundtrip's default"
                    + " is " + TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST + "), 100 idle in all, idle timeout 90 s.")
    boolean goDefaults;

    @Option(names = "--max-idle-per-host", paramLabel = "N", description = "Idle connections kept per host, 0 or more"
            + " (default: " + TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST + ", or 2 with --go-defaults).")
    Integer maxIdlePerHost;

    @Option(names = "--max-conns-per-host", paramLabel = "N",
            description = "Connections per host, queueing requests beyond (default: 0 = unlimited).")
    Integer maxConnsPerHost;

    @Option(names = {"-m", "-X", "--request"}, paramLabel = "METHOD", defaultValue = "GET",
            description = "HTTP method, one of GET, POST, PUT, DELETE, HEAD, OPTIONS, ... (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'",
            description = "Custom HTTP header (repeatable); 'Name;' sends an empty value, 'Name:' removes the"
                    + " command's own.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-d", "--body"}, paramLabel = "DATA", description = "HTTP request body (@FILE for a file's bytes).")
    String body;

    @Option(names = "-D", paramLabel = "FILE", description = "HTTP request body from file.")
    String bodyFile;

    @Option(names = "-T", paramLabel = "TYPE", description = "Content-type of the body.")
    String contentType;

    @Option(names = "-A", paramLabel = "TYPE", description = "HTTP Accept header.")
    String accept;

    @Option(names = "-a", paramLabel = "USER:PASSWORD", description = "Basic authentication, username:password.")
    String basicAuth;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", converter = Durations.ZeroAllowed.class,
            defaultValue = "10s",
            description = "Timeout for each request, body included: 20, 0.5 or 500ms; 0 for none beyond the"
                    + " Transport's per-phase timeouts (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of failures.")
    boolean verbose;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    ProtocolOptions protocol = new ProtocolOptions();

    /** Creates the command on the process's standard streams. */
    BenchCommand() {
        this(Streams.system());
    }

    /** Creates the command on {@code streams}. */
    BenchCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        double scheduled = rate > 0 ? rate : perWorkerRate * concurrency;
        Duration runFor = duration != null ? duration : requests > 0 ? null : DEFAULT_DURATION;
        ThreadFactory factory = threadFactory();
        PrintStream out = new PrintStream(streams.out(), true, StandardCharsets.UTF_8);
        PrintStream err = streams.err();
        if (body != null && body.trim().matches("\\d+(\\.\\d+)?\\s*(ms|s|m|h)")) {
            err.println("roundtrip: warning: -d " + body + " is the request body (hey's -d); for a duration use -z "
                    + body);
        }
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
            TransportConfig.Builder config = protocol.apply(connection.apply(TransportConfig.builder(), err));
            protocol.warnings(target, err);
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
            out.printf(Locale.ROOT, "  %s, %s, pool: %d idle per host%s%n", scheduled > 0
                    ? String.format(Locale.ROOT, "open loop at %,.1f requests/s, at most %d in flight on %s threads",
                            scheduled, concurrency, threads)
                    : String.format(Locale.ROOT, "%d workers%s on %s threads", concurrency, bursts ? " in bursts" : "",
                            threads), limit, idle, goDefaults && maxIdlePerHost == null ? " (Go's default)"
                            : idle == TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST ? " (roundtrip's default)" : "");
            out.flush();
            LoadResult result;
            try (Transport transport = Transport.create(config.build())) {
                LiveLine live = Terminal.stderrInteractive() ? new LiveLine(err) : null;
                LoadPlan plan = LoadPlan.closedLoop(concurrency, factory).withDuration(runFor).withRequests(requests)
                        .withBursts(bursts).withRate(scheduled);
                TransportExchange exchange = new TransportExchange(transport, request);
                result = LoadRun.start(plan, exchange).finish(live == null ? null : live::show);
                if (live != null) {
                    live.clear();
                }
                out.print(BenchReport.render(result, transport.stats(), scheduled, exchange.protocols()));
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

    private void validate() {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new CliException(ExitCodes.USAGE, "-c must be between 1 and " + MAX_CONCURRENCY + ", not " + concurrency);
        }
        if (requests < 0) {
            throw new CliException(ExitCodes.USAGE, "-n must be positive, not " + requests);
        }
        if (rate < 0 || perWorkerRate < 0 || (rate > 0 && perWorkerRate > 0)) {
            throw new CliException(ExitCodes.USAGE, "--rate and -q are positive rates, and exclude each other");
        }
        double scheduled = rate > 0 ? rate : perWorkerRate * concurrency;
        if (scheduled > LoadPlan.MAX_RATE) {
            throw new CliException(ExitCodes.USAGE, String.format(Locale.ROOT, "the rate is at most %,d requests/s,"
                    + " not %,.0f", (long) LoadPlan.MAX_RATE, scheduled));
        }
        if (scheduled > 0 && bursts) {
            throw new CliException(ExitCodes.USAGE, "--bursts is for the closed loop: not with --rate or -q");
        }
        if (body != null && bodyFile != null) {
            throw new CliException(ExitCodes.USAGE, "-d and -D both give the body: use one");
        }
        if (url == null && protocol.version != ProtocolOptions.Version.DEFAULT
                && protocol.version != ProtocolOptions.Version.HTTP1_1) {
            throw new CliException(ExitCodes.USAGE, "--http2 and --http2-prior-knowledge need a URL: the embedded server"
                    + " speaks HTTP/1.1 only (give an https:// URL of an HTTP/2 server, or an http:// one with"
                    + " --http2-prior-knowledge)");
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
        if (duration != null && duration.compareTo(LoadPlan.HARD_CAP) > 0) {
            throw new CliException(ExitCodes.USAGE, "-z is at most " + Durations.human(LoadPlan.HARD_CAP));
        }
    }

    private ThreadFactory threadFactory() {
        try {
            return WorkerThreads.factory(threads == Threads.virtual, "bench-worker");
        } catch (UnsupportedOperationException e) {
            throw new CliException(ExitCodes.USAGE, "--threads virtual needs JDK 21 or later; this is Java "
                    + System.getProperty("java.version") + " (use --threads platform, or run with a newer JDK,"
                    + " e.g. JAVA_HOME=/path/to/jdk-21 ./roundtrip ...)", e);
        }
    }

    /** Sets the pool limits of Go's {@code http.DefaultTransport} on {@code b}. */
    static TransportConfig.Builder goDefaults(TransportConfig.Builder b) {
        return b.maxIdleConnsPerHost(GO_MAX_IDLE_CONNS_PER_HOST).maxIdleConns(GO_MAX_IDLE_CONNS)
                .idleConnTimeout(GO_IDLE_CONN_TIMEOUT);
    }

    private Request request(URI target) {
        RequestData data = new RequestData();
        if (body != null) {
            data.add(RequestData.Kind.BINARY, body);
        } else if (bodyFile != null) {
            data.add(RequestData.Kind.BINARY, "@" + bodyFile);
        }
        byte[] bytes = data.isEmpty() ? null : data.read(streams.in());
        Request.Builder b;
        try {
            b = Request.newBuilder(target).method(method, bytes == null ? null : RequestBody.of(bytes));
            if (!timeout.isZero()) {
                b.timeout(timeout);
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad -m or -t: " + e.getMessage(), e);
        }
        HeaderOptions.Given given = HeaderOptions.addAll(b, headers);
        try {
            if (contentType != null && !given.mentions("Content-Type")) {
                b.header("Content-Type", contentType);
            }
            if (accept != null && !given.mentions("Accept")) {
                b.header("Accept", accept);
            }
            if (basicAuth != null && !given.mentions("Authorization")) {
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        basicAuth.getBytes(StandardCharsets.UTF_8)));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_URL, "bad URL or field '" + Urls.redact(target) + "': "
                    + e.getMessage(), e);
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
