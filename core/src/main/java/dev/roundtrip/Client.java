package dev.roundtrip;

import dev.roundtrip.error.InsecureRedirectException;
import dev.roundtrip.error.RedirectException;
import dev.roundtrip.internal.client.ClientBodyStream;
import dev.roundtrip.internal.client.ClientErrors;
import dev.roundtrip.internal.client.ClientTimeout;
import dev.roundtrip.internal.client.Redirects;
import dev.roundtrip.internal.url.Urls;
import dev.roundtrip.internal.util.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Client is what application code holds: it sends a request through a {@link RoundTripper}
 * (by default the process-wide {@link Transport#defaultTransport()}) and applies policy, as Go's
 * {@code http.Client} does: default headers, one overall timeout for the whole call (waiting for a
 * connection, connecting, every redirect hop and reading the body), redirects, cookies, and Basic
 * authentication from the URL's user info.
 *
 * <p>A send, hop by hop:
 * <ol>
 *   <li>add the default headers the request lacks, and the overall deadline;</li>
 *   <li>add {@code Authorization: Basic} from the URL's user info (unless set) and the jar's
 *       cookies, then call the RoundTripper; store the response's cookies;</li>
 *   <li>for 301/302/303/307/308 with a {@code Location}: build the next request as Go does
 *       (method and body rules, sensitive headers dropped for good once the host is neither the
 *       original nor a subdomain of it or once the scheme changes, {@code Referer}), refuse https
 *       to http unless allowed, ask
 *       the {@link RedirectPolicy}, drain and close the redirect, and go on; otherwise return.</li>
 * </ol>
 * Every exception names the method and URL (user information as {@code ***}), keeps its type and keeps
 * the original as its cause. Immutable and thread-safe: build one and share it.
 */
public final class Client {
    /** Default most requests per call, redirects included: 10, as Go. */
    public static final int DEFAULT_MAX_REDIRECTS = 10;
    /** Default size of the bounded executor for {@link #sendAsync} on JDKs without virtual threads: 64. */
    public static final int DEFAULT_ASYNC_THREADS = 64;
    /** Most bytes of a redirect response read before closing it, so its connection can be reused (Go: 2 KiB). */
    static final int REDIRECT_DRAIN_BYTES = 2048;


    private final RoundTripper transport;
    private final Headers defaultHeaders;
    private final Duration timeout;
    private final RedirectPolicy redirectPolicy;
    private final CookieJar cookieJar;
    private final boolean allowHttpsToHttp;
    private final Executor executor;

    private Client(Builder b) {
        this.transport = b.transport != null ? b.transport : Transport.defaultTransport();
        this.defaultHeaders = b.headers.build();
        this.timeout = b.timeout;
        this.redirectPolicy = b.redirectPolicy;
        this.cookieJar = b.cookieJar;
        this.allowHttpsToHttp = b.allowHttpsToHttp;
        this.executor = b.executor != null ? b.executor : AsyncExecutor.get();
    }

    /** Returns a Client with the defaults, on the process-wide default Transport. */
    public static Client create() {
        return new Builder().build();
    }

    /** Returns a builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the RoundTripper this Client sends through. */
    public RoundTripper transport() {
        return transport;
    }

    /** Closes the idle connections of the underlying Transport, if it is one. */
    public void closeIdleConnections() {
        if (transport instanceof Transport) {
            ((Transport) transport).closeIdleConnections();
        }
    }

    /**
     * Sends {@code request}, following redirects, and returns the final response; the caller must
     * close it. A non-2xx status is a response, not an exception.
     *
     * @throws IOException a typed failure naming the method and URL; see {@link dev.roundtrip.error}
     */
    public Response send(Request request) throws IOException {
        Objects.requireNonNull(request, "request");
        ClientTimeout callTimeout = ClientTimeout.start(timeout);
        Request first = prepare(request, callTimeout);
        List<Request> via = new ArrayList<>(2);
        Set<String> cookiesSetOnTheWay = cookieJar == null ? null : new HashSet<>();
        boolean stripSensitive = false;
        boolean bodyDropped = false;
        Request req = first;
        while (true) {
            Response resp;
            try {
                resp = transport.roundTrip(forWire(req, cookiesSetOnTheWay));
            } catch (IOException e) {
                throw ClientErrors.decorate(e, req, callTimeout == null ? null : callTimeout.noteFor(e));
            }
            if (resp == null) {
                throw new IOException(req.method() + " " + Urls.redact(req.uri()) + ": the RoundTripper "
                        + transport.getClass().getName() + " returned no response and no exception");
            }
            storeCookies(req.uri(), resp, cookiesSetOnTheWay);
            String location = resp.headers().first("Location");
            int status = resp.status();
            boolean redirect = (status >= 301 && status <= 303) || status == 307 || status == 308;
            if (!redirect || location == null) {
                return withDecoratedBody(resp, req, callTimeout);
            }
            boolean keepsBody = status == 307 || status == 308;
            if (keepsBody && req.body() != null && !req.body().isReplayable()) {
                return withDecoratedBody(resp, req, callTimeout); // Go: a 307/308 body that cannot be resent
            }
            Redirects.Target target;
            try {
                target = Redirects.resolve(req.uri(), location);
            } catch (RedirectException e) {
                resp.close();
                throw ClientErrors.decorate(e, req, null);
            }
            URI next = target.uri();
            if (req.scheme.equals("https") && next.getScheme().equalsIgnoreCase("http") && !allowHttpsToHttp) {
                resp.close();
                throw ClientErrors.decorate(new InsecureRedirectException("refusing redirect from https to "
                        + Urls.redact(next) + "; allow it with Client.Builder.allowHttpsToHttpRedirects(true)"),
                        req, null);
            }
            bodyDropped = bodyDropped || !keepsBody; // 301-303 drop the body and Content-*, for good
            Request nextReq;
            try {
                // credentials go for good once the host leaves the first one's domain (Go), or the
                // scheme changes, whatever the host: not in clear over http, not to another service
                stripSensitive = stripSensitive || !req.scheme.equalsIgnoreCase(next.getScheme())
                        || !Redirects.sameOrSubdomain(first.host, next);
                nextReq = Redirects.nextHop(first, req, next, target.relative(), keepsBody, bodyDropped, stripSensitive);
            } catch (IllegalArgumentException e) { // a target no request can have, e.g. port 99999
                resp.close();
                throw ClientErrors.decorate(new RedirectException("unusable redirect to "
                        + dev.roundtrip.internal.wire.Tokens.quote(location) + ": " + e.getMessage(), e), req, null);
            }
            via.add(req);
            RedirectPolicy.Action action;
            try {
                action = redirectPolicy.check(nextReq, Collections.unmodifiableList(new ArrayList<>(via)));
            } catch (IOException e) {
                resp.close();
                throw ClientErrors.decorate(e, nextReq, null);
            } catch (RuntimeException e) {
                resp.close();
                throw e;
            }
            if (action == RedirectPolicy.Action.STOP) {
                return withDecoratedBody(resp, req, callTimeout);
            }
            drainAndClose(resp);
            req = nextReq;
        }
    }

    /**
     * Adds the default headers the request lacks and the overall deadline: a shallow copy of the
     * request (no re-parsing of its URI per send), unless a default {@code Host} is added, which
     * changes what the request derived from its headers.
     */
    private Request prepare(Request r, ClientTimeout callTimeout) {
        Headers.Builder h = null;
        boolean addsHost = false;
        for (int i = 0; i < defaultHeaders.size(); i++) {
            String name = defaultHeaders.name(i);
            if (!r.headers().contains(name)) {
                if (h == null) {
                    h = r.headers().toBuilder();
                }
                h.add(name, defaultHeaders.value(i));
                addsHost = addsHost || name.equalsIgnoreCase("Host");
            }
        }
        if (h == null && callTimeout == null) {
            return r;
        }
        Instant deadline = callTimeout == null ? r.deadline() : callTimeout.deadlineFor(r.deadline());
        if (addsHost) {
            return r.toBuilder().headers(h.build()).deadline(deadline).build();
        }
        return r.withHeadersAndDeadline(h == null ? r.headers() : h.build(), deadline);
    }

    /** The request as sent: Basic auth from user info (unless set) and the jar's cookies. */
    private Request forWire(Request r, Set<String> cookiesSetOnTheWay) {
        String userInfo = r.uri().getRawUserInfo();
        boolean auth = userInfo != null && !r.headers().contains("Authorization");
        List<Cookie> cookies = cookieJar == null ? List.of() : cookieJar.cookies(r.uri());
        boolean filter = cookiesSetOnTheWay != null && !cookiesSetOnTheWay.isEmpty() && r.headers().contains("Cookie");
        if (!auth && cookies.isEmpty() && !filter) {
            return r;
        }
        Headers.Builder h = r.headers().toBuilder();
        if (auth) {
            h.add("Authorization", BasicAuth.header(r.uri()));
        }
        if (!cookies.isEmpty() || filter) {
            String existing = withoutCookies(r.headers().all("Cookie"), cookiesSetOnTheWay);
            String fromJar = Cookie.toHeaderValue(cookies);
            String merged = existing.isEmpty() ? fromJar : fromJar.isEmpty() ? existing : existing + "; " + fromJar;
            h.remove("Cookie");
            if (!merged.isEmpty()) {
                h.add("Cookie", merged);
            }
        }
        return r.toBuilder().headers(h.build()).build();
    }

    /**
     * Removes from an explicit {@code Cookie} header the cookies a response in this chain set, so
     * the jar's newer value is the one sent (Go #17494).
     */
    private static String withoutCookies(List<String> headerLines, Set<String> names) {
        StringBuilder kept = new StringBuilder();
        for (String line : headerLines) {
            for (String pair : line.split(";")) {
                String p = pair.trim();
                int eq = p.indexOf('=');
                String name = eq < 0 ? p : p.substring(0, eq).trim();
                if (!p.isEmpty() && (names == null || !names.contains(name))) {
                    kept.append(kept.length() == 0 ? "" : "; ").append(p);
                }
            }
        }
        return kept.toString();
    }

    private void storeCookies(URI uri, Response resp, Set<String> cookiesSetOnTheWay) {
        if (cookieJar == null) {
            return;
        }
        List<Cookie> set = Cookie.parseAll(resp.headers());
        if (!set.isEmpty()) {
            cookieJar.setCookies(uri, set);
            for (Cookie c : set) {
                cookiesSetOnTheWay.add(c.name());
            }
        }
    }

    /** Reads up to 2 KiB of a small redirect body so the next hop can reuse the connection, then closes it. */
    private static void drainAndClose(Response resp) {
        try (InputStream in = resp.body()) {
            if (resp.contentLength() < 0 || resp.contentLength() <= REDIRECT_DRAIN_BYTES) {
                in.readNBytes(REDIRECT_DRAIN_BYTES);
            }
        } catch (IOException ignored) {
            // the redirect's body is not the caller's business; a failed drain closes the connection
        }
    }

    private static Response withDecoratedBody(Response resp, Request req, ClientTimeout callTimeout) {
        return resp.withBody(resp.request(), new ClientBodyStream(resp.body(), req, callTimeout));
    }

    /**
     * Sends {@code request} on a virtual thread (JDK 21+) or on the configured or default bounded
     * executor. Canceling the future cancels the request; a response that arrives after the
     * future was canceled is closed.
     */
    public CompletableFuture<Response> sendAsync(Request request) {
        CancelToken token = CancelToken.create();
        Request r = request.withCancelToken(token);
        CompletableFuture<Response> f = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean canceled = super.cancel(mayInterruptIfRunning); // first: the future says canceled
                token.cancel();
                return canceled;
            }
        };
        if (request.cancelToken() != null) {
            Runnable unregister = request.cancelToken().onCancel(token::cancel);
            f.whenComplete((resp, e) -> unregister.run());
        }
        try {
            executor.execute(() -> run(r, f));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private void run(Request r, CompletableFuture<Response> f) {
        try {
            Response resp = send(r);
            if (!f.complete(resp)) {
                resp.close(); // canceled meanwhile: nobody will close it
            }
        } catch (IOException | RuntimeException | Error e) {
            f.completeExceptionally(e);
        }
    }

    /** The default executor of {@link #sendAsync}. */
    private static final class AsyncExecutor {
        private static volatile Executor instance;

        static Executor get() {
            Executor e = instance;
            if (e == null) {
                synchronized (AsyncExecutor.class) { // creation only, no I/O
                    e = instance;
                    if (e == null) {
                        e = Threads.virtualThreadsAvailable()
                                ? task -> Threads.start("roundtrip-async", task)
                                : boundedPool();
                        instance = e;
                    }
                }
            }
            return e;
        }

        private static Executor boundedPool() {
            java.util.concurrent.ThreadPoolExecutor p = new java.util.concurrent.ThreadPoolExecutor(
                    DEFAULT_ASYNC_THREADS, DEFAULT_ASYNC_THREADS, 60, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "roundtrip-async");
                        t.setDaemon(true);
                        return t;
                    });
            p.allowCoreThreadTimeOut(true);
            return p;
        }
    }

    /** Builder of {@link Client}; not thread-safe. */
    public static final class Builder {
        private RoundTripper transport;
        private final Headers.Builder headers = Headers.builder();
        private Duration timeout;
        private RedirectPolicy redirectPolicy = RedirectPolicy.limit(DEFAULT_MAX_REDIRECTS);
        private CookieJar cookieJar;
        private boolean allowHttpsToHttp;
        private Executor executor;

        private Builder() {
        }

        /** Sends through {@code rt} instead of the default Transport. */
        public Builder transport(RoundTripper rt) { transport = Objects.requireNonNull(rt, "transport"); return this; }

        /** Adds a header sent with every request that does not set it itself. */
        public Builder header(String name, String value) { headers.add(name, value); return this; }

        /**
         * Sets one timeout for each whole call: waiting for a connection, connecting, every hop
         * and reading the body to its end. Null (the default) means none beyond the Transport's
         * per-phase timeouts.
         */
        public Builder timeout(Duration d) {
            if (d != null && (d.isZero() || d.isNegative())) {
                throw new IllegalArgumentException("timeout must be positive, got " + d);
            }
            timeout = d;
            return this;
        }

        /** Sets the redirect policy. Default: {@link RedirectPolicy#limit} of {@link #DEFAULT_MAX_REDIRECTS}. */
        public Builder redirectPolicy(RedirectPolicy p) { redirectPolicy = Objects.requireNonNull(p, "policy"); return this; }

        /** Sets the cookie jar (default: none). */
        public Builder cookieJar(CookieJar jar) { cookieJar = jar; return this; }

        /** Allows redirects from https to http (default: refused with an InsecureRedirectException). */
        public Builder allowHttpsToHttpRedirects(boolean allow) { allowHttpsToHttp = allow; return this; }

        /** Sets the executor of {@link Client#sendAsync}. */
        public Builder executor(Executor e) { executor = e; return this; }

        /** Builds the Client. */
        public Client build() {
            return new Client(this);
        }
    }

    /** Basic authentication from URL user info. */
    static final class BasicAuth {
        private BasicAuth() {
        }

        static String header(URI uri) {
            String info = uri.getUserInfo(); // decoded
            String user = info;
            String pass = "";
            int colon = info.indexOf(':');
            if (colon >= 0) {
                user = info.substring(0, colon);
                pass = info.substring(colon + 1);
            }
            byte[] raw = (user + ":" + pass).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return "Basic " + java.util.Base64.getEncoder().encodeToString(raw);
        }
    }
}
