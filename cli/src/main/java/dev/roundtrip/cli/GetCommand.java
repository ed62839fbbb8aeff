package dev.roundtrip.cli;

import dev.roundtrip.Client;
import dev.roundtrip.RedirectPolicy;
import dev.roundtrip.Request;
import dev.roundtrip.Resolver;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.cache.CacheStatus;
import dev.roundtrip.cache.CachingRoundTripper;
import dev.roundtrip.cache.DiskStore;
import dev.roundtrip.logging.Redactor;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * GetCommand is {@code roundtrip get URL}: one request with curl's options and their meaning, the
 * body on standard output (or {@code -o FILE}), and with {@code --trace} the timing waterfall on
 * standard error.
 *
 * <p>Steps: check the options; with {@code --trace} or a {@code -w} time variable, turn the JVM's
 * name cache off and warm up ({@link WarmUp}); build the request ({@link GetRequest}); build the
 * pipeline: Client (redirects only with {@code -L}, cookies with {@code -b FILE}/{@code -c}, one
 * {@code --max-time} per attempt) → {@link ExchangeLog} ({@code -v}, {@code -i}; an HTTP proxy's
 * CONNECT too) → {@link TransferRecord} (what {@code -w} and {@code --trace} report) → an optional cache →
 * Transport; run the {@link Fetch}; then draw the waterfall, print {@code -w} (also after a
 * failure, as curl does) and write the cookie jar.
 *
 * <p>What goes to standard error ({@code -v}, the {@code --trace} summary, warnings, the failure's
 * line) shows URLs and fields as {@link RedactionOptions} says and a server's control characters
 * escaped ({@link Terminal#escapeControls}); {@code -w} writes curl's values (URL user info as
 * {@code ***}).
 */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        header = "Send one request, curl style; --trace draws where the time went.",
        description = {"Send one request and print the response body, with curl's options and their meaning.",
            "Any HTTP status is a success (exit 0) unless --fail. On failure: one line on stderr (none with -s) and"
                    + " curl's exit code: 1 unsupported protocol, 2 usage, 3 bad URL, 5 proxy, 6 unknown host,"
                    + " 7 connection refused, 8 bad HTTP, 18 body cut short, 22 --fail and status >= 400, 23 write"
                    + " error, 26 --data file unreadable, 28 timeout, 35 TLS, 47 too many redirects, 52 empty reply,"
                    + " 56 other network error, 60 certificate not trusted, 61 --compressed body undecodable,"
                    + " 77 --cacert unreadable."},
        footer = {"", "Examples:",
            "  roundtrip get --trace https://127.0.0.1:8443/",
            "  roundtrip get -s -o /dev/null -w '%%{http_code} %%{time_total}\\n' http://127.0.0.1:8080/",
            "  roundtrip get --json '{\"a\":1}' -X PUT http://127.0.0.1:8080/items/1",
            "  roundtrip get -L --compressed -O --retry 3 https://example.test/file.tar",
            "",
            "Differences from curl: --trace draws a waterfall (curl's --trace writes a dump); -m also reads 5s or"
                    + " 500ms."})
final class GetCommand implements Callable<Integer>, Main.Verbosity {
    /** Size bound of the {@code --cache} directory: 256 MiB. */
    static final long DEFAULT_CACHE_BYTES = 256L << 20;
    /** How many redirects {@code -L} follows without {@code --max-redirs}: 50, curl's default. */
    static final int DEFAULT_MAX_REDIRECTS = 50;

    private final Streams streams;

    @Parameters(index = "0", paramLabel = "URL", description = "http:// or https:// URL (http:// is assumed without one).")
    String url;

    @Option(names = {"-X", "--request"}, paramLabel = "METHOD",
            description = "Specify request method to use (default GET, HEAD with -I, POST with data).")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'",
            description = "Pass custom header(s) to server (repeatable): 'Name;' sends an empty value, 'Name:' removes"
                    + " a field the command would add (Content-Type, Accept, User-Agent, ...).")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-A", "--user-agent"}, paramLabel = "NAME", description = "Send User-Agent NAME to server.")
    String userAgent;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:PASSWORD]",
            description = "Server user and password (Basic authentication, for this host only); without a password it"
                    + " is asked for on the terminal.")
    String user;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = {"-I", "--head"}, description = "Show document info only: send HEAD and print the response head.")
    boolean head;

    @Option(names = {"-i", "--include"},
            description = "Include protocol response headers in the output: each head as received, before the body"
                    + " (control characters escaped when the output is a terminal).")
    boolean include;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to file instead of stdout (- is stdout).")
    String output;

    @Option(names = {"-O", "--remote-name"},
            description = "Write output to a file named as the remote file (the last segment of the URL's path), in"
                    + " the current directory.")
    boolean remoteName;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Directory to save files in (-o FILE and -O are relative to it).")
    Path outputDir;

    @Option(names = {"-w", "--write-out"}, paramLabel = "FORMAT",
            description = {"Use output FORMAT after completion, on stdout (also after a failure), with curl's variables:",
                "%%{name}: http_code, time_namelookup, time_connect, time_appconnect, time_pretransfer,"
                    + " time_starttransfer, time_total, time_redirect, size_download, size_header, size_request,"
                    + " num_connects, num_redirects, remote_ip, remote_port, local_ip, local_port, url_effective,"
                    + " redirect_url, content_type, method, exitcode, errormsg, json, header_json, stderr, onerror,"
                    + " ...;", "%%header{NAME}; escapes \\n \\t \\r; @FILE or @- reads the format. A URL's user info"
                    + " shows as ***."})
    String writeOut;

    @Option(names = {"-s", "--silent"}, description = "Silent mode: no error messages, warnings or progress line.")
    boolean silent;

    @Option(names = {"-S", "--show-error"}, description = "Show error even when -s is used.")
    boolean showError;

    @Option(names = {"-v", "--verbose"},
            description = "Make the operation more talkative: the connection, the request and response heads on"
                    + " stderr (> and <), credentials redacted (Authorization, Cookie, X-Api-Key, X-Auth-Token...,"
                    + " URL user info) and control characters escaped; stack traces of failures.")
    boolean verbose;

    @Mixin
    RedactionOptions redaction = new RedactionOptions();

    @Option(names = {"-L", "--location"}, description = "Follow redirects (Go's rules for methods and credentials).")
    boolean location;

    @Option(names = "--max-redirs", paramLabel = "NUM", defaultValue = "" + DEFAULT_MAX_REDIRECTS,
            description = "Maximum number of redirects allowed with -L (default: ${DEFAULT-VALUE}; -1: no limit).")
    int maxRedirects;

    @Option(names = {"-m", "--max-time", "--timeout"}, paramLabel = "SECONDS", converter = Durations.class,
            description = "Maximum time allowed for transfer, body included, per attempt: 5, 0.5, 5s or 500ms"
                    + " (default: none beyond the Transport's per-phase timeouts).")
    Duration timeout;

    @Option(names = {"-f", "--fail"}, description = "Fail fast with no output on HTTP errors (status >= 400): exit 22.")
    boolean fail;

    @Option(names = "--compressed",
            description = "Request compressed response (gzip, deflate) and decompress it; -i and -v show the head as"
                    + " received.")
    boolean compressed;

    @Mixin
    CookieOptions cookies = new CookieOptions();

    @Mixin
    RetryOptions retry = new RetryOptions();

    @Option(names = "--trace",
            description = "After the response, draw where the time went (DNS, connect, TLS, wait, write, server,"
                    + " transfer) on stderr. Every path the request takes is warmed up first on in-process loopback"
                    + " servers, and the output says what that excludes.")
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
    AddressOptions address = new AddressOptions();

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    /** Creates the command on the process's standard streams. */
    GetCommand() {
        this(Streams.system());
    }

    /** Creates the command on {@code streams}. */
    GetCommand(Streams streams) {
        this.streams = streams;
    }

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public boolean silent() {
        return silent && !showError;
    }

    @Override
    public Redactor redactor() {
        return redaction.redactorForErrors();
    }

    @Override
    public Integer call() throws IOException {
        validate();
        Redactor redactor = redaction.redactor();
        PrintStream err = streams.err();
        PrintStream warnings = silent ? null : err;
        String format = writeOut == null ? null : readFormat(writeOut);
        boolean timed = trace || (format != null && format.contains("%{time_"));
        if (timed) {
            // before the first name lookup: no lookup is answered from the JVM's cache, the warm-up's included
            java.security.Security.setProperty("networkaddress.cache.ttl", "0");
            java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
        }
        GetRequest built = GetRequest.build(this, streams.in());
        AddressResolver resolver = address.resolver(Resolver.system());
        TransportConfig.Builder cb = connection.apply(TransportConfig.builder(),
                warnings == null ? new PrintStream(OutputStream.nullOutputStream()) : warnings)
                .resolver(resolver).dialTarget(resolver).disableCompression(true); // --compressed decodes itself
        if (userAgent != null || built.headers().removed().contains("user-agent")) {
            cb.userAgent(userAgent != null ? userAgent : "");
        }
        TransportConfig config = cb.build();
        CookieFile.Jar jar = cookies.engine() ? new CookieFile.Jar() : null;
        for (String file : cookies.files()) {
            CookieFile.read(file, streams.in(), jar);
        }
        WarmUp.Result warmed = timed ? WarmUp.run(config, new WarmUp.Plan(
                built.request().uri().getScheme().equalsIgnoreCase("https"), connection.proxy, compressed)) : null;
        Path file = outputFile(built.request().uri());
        Output out = new Output(file, streams.out());
        boolean absoluteForm = connection.proxy != null && connection.proxy.getScheme() != null
                && connection.proxy.getScheme().toLowerCase(Locale.ROOT).startsWith("http");
        Transport transport = Transport.create(config);
        CachingRoundTripper cache = cacheDir == null ? null : openCache(transport);
        TransferRecord record = new TransferRecord(cache != null ? cache : transport, absoluteForm);
        ExchangeLog log = new ExchangeLog(record, verbose ? err : null,
                include || head ? out : null, absoluteForm, redactor, file == null && Terminal.stdoutInteractive());
        Request request = built.request().toBuilder()
                .trace(ClientTrace.compose(log, record)).build();
        Client.Builder clientBuilder = Client.builder().transport(log).redirectPolicy(location
                ? RedirectLimit.of(maxRedirects) : RedirectPolicy.never()).cookieJar(jar);
        if (timeout != null) {
            clientBuilder.timeout(timeout);
        }
        Fetch fetch = new Fetch(clientBuilder.build(), out, retry, fail, compressed, warnings, redactor, record,
                file != null && !silent && Terminal.stderrInteractive() ? err : null);
        long start = System.nanoTime();
        Fetch.Result result = null;
        RuntimeException failure = null;
        try {
            result = fetch.run(request);
        } catch (IOException | RuntimeException e) {
            out.abandon();
            failure = Failures.inUserTerms(e, connection.proxy, record);
        } finally {
            long end = System.nanoTime();
            if (cache != null) {
                cache.close();
            }
            transport.close();
            if (result != null && trace) {
                traceReport(result, record, cache != null, warmed, redactor, err);
            }
            if (format != null) {
                int code = failure == null ? ExitCodes.OK : ExitCodes.of(failure);
                writeOut(format, new WriteOut.Transfer(record.hops(), url, start, end, result == null ? 0
                        : result.bodyBytes(), code, failure == null ? "" : ExitCodes.message(failure),
                        file == null ? "" : file.toString()), warnings);
            }
            if (jar != null && cookies.jar != null) {
                CookieFile.write(cookies.jar, jar, streams.out());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return ExitCodes.OK;
    }

    private void validate() {
        if (maxRedirects < -1) {
            throw new CliException(ExitCodes.USAGE, "--max-redirs must be -1 (no limit) or more, not " + maxRedirects);
        }
        if (head && ((!data.data.isEmpty() && !data.get) || !data.form.isEmpty())) {
            throw new CliException(ExitCodes.USAGE, "you can only select one HTTP request method: you asked for both"
                    + " POST (-d, --data, --json, -F) and HEAD (-I, --head)");
        }
        if (!data.form.isEmpty() && (!data.data.isEmpty() || data.get)) {
            throw new CliException(ExitCodes.USAGE, "you can only select one HTTP request method: you asked for both"
                    + " a multipart form (-F, --form) and " + (data.get ? "-G, --get" : "POST data (-d, --data, --json)"));
        }
        retry.validate();
    }

    /** Returns the output file: -o FILE, -O's remote name, or null for standard output (also -o -). */
    private Path outputFile(URI uri) {
        if (output != null) {
            return output.equals("-") ? null : inOutputDir(Path.of(output));
        }
        if (!remoteName) {
            return null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new CliException(ExitCodes.WRITE_ERROR, "remote file name has no length: -O needs a URL whose path"
                    + " ends with a file name (or use -o FILE)");
        }
        return inOutputDir(Path.of(name));
    }

    private Path inOutputDir(Path file) {
        return outputDir == null || file.isAbsolute() ? file : outputDir.resolve(file);
    }

    private String readFormat(String w) {
        if (!w.startsWith("@")) {
            return w;
        }
        String name = w.substring(1);
        try {
            return new String(name.equals("-") ? streams.in().readAllBytes() : Files.readAllBytes(Path.of(name)),
                    StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new CliException(ExitCodes.READ_ERROR, "cannot read the -w format file " + name + ": " + e, e);
        }
    }

    private void writeOut(String format, WriteOut.Transfer t, PrintStream warnings) {
        for (WriteOut.Chunk c : WriteOut.render(format, t, w -> {
            if (warnings != null) {
                warnings.println("roundtrip: warning: " + w);
            }
        })) {
            byte[] bytes = c.text().getBytes(StandardCharsets.UTF_8);
            try {
                if (c.stderr()) {
                    streams.err().write(bytes);
                    streams.err().flush();
                } else {
                    streams.out().write(bytes);
                    streams.out().flush();
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.WRITE_ERROR, "cannot write the -w output: " + e.getMessage(), e);
            }
        }
    }

    private void traceReport(Fetch.Result result, TransferRecord record, boolean cached, WarmUp.Result warmed,
                             Redactor redactor, PrintStream err) {
        Response r = result.response();
        List<TransferRecord.Hop> hops = record.hops();
        TransferRecord.Hop last = hops.isEmpty() ? null : hops.get(hops.size() - 1);
        String note = last == null || last.connection == null || last.connection.localAddress() == null ? null
                : "local port " + last.connection.localAddress().getPort();
        boolean colour = Terminal.colorStderr(color);
        // the server chose the reason phrase and the Cache-Status text: escaped, as in -v
        String summary = Terminal.escapeControls(r.request().method() + " " + redactor.url(r.request().uri())
                + " -> " + r.status() + (r.reason().isEmpty() ? "" : " " + r.reason()) + ", " + result.bodyBytes()
                + " body bytes" + (hops.size() > 1 ? " (the last of " + hops.size() + " requests)" : ""));
        String cacheLine = null;
        if (cached) {
            CacheStatus status = CacheStatus.of(r);
            cacheLine = Terminal.escapeControls("cache: " + (status == null ? "not consulted"
                    : status.outcome() + " (Cache-Status: " + r.headers().first("Cache-Status") + ")"));
        }
        err.print("\n  " + Terminal.paint(colour, Terminal.BOLD, summary) + "\n"
                + (cacheLine != null ? "  " + cacheLine + "\n" : "")
                + (r.timings().fromNetwork() ? Waterfall.render(r.timings(), colour, note)
                        : "  served from the cache: no connection, no network phases\n")
                + (warmed == null ? "" : "  " + Terminal.paint(colour, Terminal.DIM, warmed.excludedLine()) + "\n"));
        err.flush();
    }

    private CachingRoundTripper openCache(Transport transport) {
        if (Files.exists(cacheDir) && !Files.isDirectory(cacheDir)) {
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
}
