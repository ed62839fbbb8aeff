package dev.roundtrip.cli;

import dev.roundtrip.Client;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.cache.CacheStatus;
import dev.roundtrip.cache.CachingRoundTripper;
import dev.roundtrip.cache.DiskStore;
import dev.roundtrip.logging.Redactor;
import dev.roundtrip.RedirectPolicy;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.Timings;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.trace.GotConnInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * GetCommand is {@code roundtrip get URL}: one request with curl's habits, the body on standard
 * output (or {@code -o FILE}), and with {@code --trace} the timing waterfall on standard error.
 *
 * <p>Steps: parse the URL and options; build the request (method, headers, body); build a
 * Transport from the connection options and a Client (redirects only with {@code -L}, one overall
 * {@code --timeout}); send; write head ({@code -i}) and body; draw the waterfall from
 * {@link Response#timings()} once the body is consumed.
 */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        header = "Send one request, curl style; --trace draws where the time went.",
        description = {"Send one request and print the response body, curl style.",
            "Any HTTP status is a success (exit 0) unless --fail. On failure: one line on stderr and curl's exit"
                    + " code: 1 unsupported protocol, 3 bad URL, 5 proxy, 6 unknown host, 7 connection refused,"
                    + " 8 bad HTTP, 18 body cut short, 22 --fail and status >= 400, 23 write error, 26 --data file"
                    + " unreadable, 28 timeout, 35 TLS, 47 too many redirects, 52 empty reply, 56 other network"
                    + " error, 60 certificate not trusted, 77 --cacert unreadable."},
        footer = {"", "Examples:",
            "  roundtrip get --trace http://127.0.0.1:8080/",
            "  roundtrip get -X PUT -H 'Content-Type: application/json' -d '{\"a\":1}' http://127.0.0.1:8080/items/1",
            "  roundtrip get -L -o page.html --timeout 5s https://example.test/"})
final class GetCommand implements Callable<Integer>, Main.Verbosity {
    /** Size bound of the {@code --cache} directory: 256 MiB. */
    static final long DEFAULT_CACHE_BYTES = 256L << 20;

    @Parameters(index = "0", paramLabel = "URL", description = "http:// or https:// URL (http:// is assumed without one).")
    String url;

    @Option(names = {"-X", "--request"}, paramLabel = "METHOD",
            description = "Request method (default GET, or POST with --data).")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "Add a request header (repeatable); 'Name;' sends an empty value.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-d", "--data"}, paramLabel = "DATA",
            description = "Send DATA as the body (POST unless -X). @FILE sends a file, @- standard input; several are"
                    + " joined with &. Content-Type defaults to application/x-www-form-urlencoded.")
    List<String> data = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE instead of stdout.")
    Path output;

    @Option(names = {"-i", "--include"}, description = "Write the response head before the body.")
    boolean include;

    @Option(names = {"-v", "--verbose"},
            description = "Show the connection, the request and response heads on stderr (> and <), credentials"
                    + " redacted (Authorization, Cookie, X-Api-Key, X-Auth-Token..., URL user info) and control"
                    + " characters escaped; show stack traces of failures.")
    boolean verbose;

    @Option(names = "--redact-header", paramLabel = "NAME",
            description = "Also show this header's values as *** in -v output (repeatable).")
    List<String> redactHeaders = new ArrayList<>();

    @Option(names = "--redact-query-param", paramLabel = "NAME",
            description = "Show this query parameter's values as *** wherever the URL is shown, e.g. access_token"
                    + " (repeatable; none by default).")
    List<String> redactQueryParams = new ArrayList<>();

    @Option(names = {"-L", "--location"}, description = "Follow redirects (Go's rules; default: do not follow).")
    boolean location;

    @Option(names = "--max-redirs", paramLabel = "N", defaultValue = "10",
            description = "Most requests per call with -L, 0 or more (default: ${DEFAULT-VALUE}).")
    int maxRedirects;

    @Option(names = {"-m", "--timeout", "--max-time"}, paramLabel = "DURATION", converter = Durations.class,
            description = "One deadline for the whole exchange, body included, e.g. 5s, 500ms (default: none beyond"
                    + " the Transport's per-phase timeouts).")
    Duration timeout;

    @Option(names = {"-f", "--fail"}, description = "Exit 22 without printing the body when the status is 400 or more.")
    boolean fail;

    @Option(names = "--trace",
            description = "After the response, draw where the time went (DNS, connect, TLS, wait, write, server,"
                    + " transfer) on stderr. A warm-up request to an in-process loopback server goes first, so the"
                    + " JVM's class loading is not counted.")
    boolean trace;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Keep responses in an RFC 9111 cache on disk in DIR (created if missing, at most 256 MiB) and"
                    + " answer from it when allowed; the response's Cache-Status field (shown by -i, -v and --trace)"
                    + " says hit, miss or revalidated.")
    Path cacheDir;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the waterfall: auto (on a terminal, unless NO_COLOR), always, never.")
    Terminal.ColorMode color;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() throws IOException {
        if (maxRedirects < 0) {
            throw new CliException(ExitCodes.USAGE, "--max-redirs must be 0 or more, not " + maxRedirects);
        }
        PrintStream err = System.err;
        URI uri = Urls.parse(url);
        Request request = request(uri);
        Output out = new Output(output);
        TransportConfig.Builder config = connection.apply(TransportConfig.builder(), err);
        boolean absoluteForm = connection.proxy != null && connection.proxy.getScheme() != null
                && connection.proxy.getScheme().toLowerCase(java.util.Locale.ROOT).startsWith("http");
        TransportConfig built = config.build();
        if (trace) {
            WarmUp.run(uri.getScheme().equalsIgnoreCase("https"), built.sslContext());
        }
        Transport transport = Transport.create(built);
        CachingRoundTripper cache = cacheDir == null ? null : openCache(transport);
        RoundTripper next = cache != null ? cache : transport;
        Redactor redactor = redactor();
        ExchangeLog log = new ExchangeLog(next, verbose ? err : null, include ? out : null, absoluteForm, redactor,
                output == null && Terminal.stdoutInteractive());
        request = request.toBuilder().trace(log).build(); // a request's trace follows it through redirects
        Client.Builder cb = Client.builder().transport(log)
                .redirectPolicy(location ? RedirectPolicy.limit(maxRedirects) : RedirectPolicy.never());
        if (timeout != null) {
            cb.timeout(timeout);
        }
        Client client = cb.build();
        try {
            Timings timings;
            String summary;
            String cacheLine = null;
            try (Response r = client.send(request)) {
                if (fail && r.status() >= 400) {
                    throw new CliException(ExitCodes.HTTP_ERROR, "the requested URL returned error: " + r.status()
                            + (r.reason().isEmpty() ? "" : " " + r.reason()));
                }
                long bytes = copyBody(r, out, err);
                out.finish();
                timings = r.timings(); // the body is consumed: the transfer phase is known
                if (cache != null) {
                    CacheStatus status = CacheStatus.of(r);
                    cacheLine = Terminal.escapeControls("cache: " + (status == null ? "not consulted"
                            : status.outcome() + " (Cache-Status: " + r.headers().first("Cache-Status") + ")"));
                }
                summary = Terminal.escapeControls(r.request().method() + " " + redactor.url(r.request().uri())
                        + " -> " + r.status() + (r.reason().isEmpty() ? "" : " " + r.reason()) + ", " + bytes
                        + " body bytes" + (log.requests() > 1 ? " (the last of " + log.requests() + " requests)" : ""));
            }
            if (trace) {
                GotConnInfo conn = log.lastConnection();
                String note = conn == null || conn.localAddress() == null ? null
                        : "local port " + conn.localAddress().getPort();
                boolean colour = Terminal.colorStderr(color);
                err.print("\n  " + Terminal.paint(colour, Terminal.BOLD, summary) + "\n"
                        + (cacheLine != null ? "  " + cacheLine + "\n" : "")
                        + (timings.fromNetwork() ? Waterfall.render(timings, colour, note)
                                : "  served from the cache: no connection, no network phases\n"));
                err.flush();
            }
            return ExitCodes.OK;
        } catch (RuntimeException | IOException e) {
            out.abandon();
            throw e;
        } finally {
            if (cache != null) {
                cache.close();
            }
            transport.close();
        }
    }

    private Redactor redactor() {
        Redactor.Builder b = Redactor.builder();
        try {
            redactHeaders.forEach(b::header);
            redactQueryParams.forEach(b::queryParam);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad --redact-header or --redact-query-param: " + e.getMessage(), e);
        }
        return b.build();
    }

    private CachingRoundTripper openCache(Transport transport) {
        if (java.nio.file.Files.exists(cacheDir) && !java.nio.file.Files.isDirectory(cacheDir)) {
            transport.close();
            throw new CliException(ExitCodes.USAGE, "cannot use --cache " + cacheDir + ": it is not a directory");
        }
        try {
            return new CachingRoundTripper(transport, DiskStore.open(cacheDir, DEFAULT_CACHE_BYTES));
        } catch (IOException | RuntimeException e) {
            transport.close();
            throw new CliException(ExitCodes.USAGE, "cannot use --cache " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    private Request request(URI uri) {
        byte[] body = RequestData.read(data);
        String m = method != null ? method : body != null ? "POST" : "GET";
        Request.Builder b;
        try {
            b = Request.newBuilder(uri).method(m, body == null ? null : RequestBody.of(body));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad -X: " + e.getMessage(), e);
        }
        boolean contentType = HeaderOptions.addAll(b, headers);
        if (body != null && !contentType) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_URL, "bad URL '" + Urls.redact(url) + "': " + e.getMessage(), e);
        }
    }

    /** Copies the body to {@code out}, with a progress line for a large download to a file on a terminal. */
    private long copyBody(Response r, Output out, PrintStream err) throws IOException {
        DownloadProgress progress = output != null && DownloadProgress.wanted(r.contentLength(), Terminal.stderrInteractive())
                ? new DownloadProgress(err, r.contentLength()) : null;
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        InputStream in = r.body();
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            total += n;
            if (progress != null) {
                progress.update(total);
            }
        }
        if (progress != null) {
            progress.finish(total);
        }
        return total;
    }
}
