package dev.roundtrip;

import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.exchange.Exchange;
import dev.roundtrip.internal.exchange.ExchangeConnection;
import dev.roundtrip.internal.exchange.ExchangeFailure;
import dev.roundtrip.internal.exchange.ExchangeResponse;
import dev.roundtrip.internal.exchange.PreparedRequest;
import dev.roundtrip.internal.exchange.ResponseBody;
import dev.roundtrip.internal.pool.ConnectionPool;
import dev.roundtrip.internal.pool.PoolEntry;
import dev.roundtrip.internal.pool.PoolSnapshot;
import dev.roundtrip.internal.transport.CancelHook;
import dev.roundtrip.internal.transport.Connections;
import dev.roundtrip.internal.transport.ExchangeClock;
import dev.roundtrip.internal.transport.Lease;
import dev.roundtrip.internal.transport.Leaks;
import dev.roundtrip.internal.transport.RetryPolicy;
import dev.roundtrip.internal.transport.Route;
import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.SafeTrace;
import dev.roundtrip.internal.wire.GzipSource;
import dev.roundtrip.internal.wire.RequestHeadWriter;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Transport is the {@link RoundTripper} that owns a connection pool and opens connections: the
 * one object to create once and share between all threads for the life of the application.
 *
 * <p>A round trip, top to bottom ({@link #roundTrip}):
 * <ol>
 *   <li>validate and prepare the request: its route (proxy, pool key), the fields the Transport
 *       adds, the deadline;</li>
 *   <li>take a connection: the most recently used idle one of the key, checked without waiting
 *       (no bytes arrived since its last response, not closed by the server), or whichever comes
 *       first, a connection another request returns (checked the same way) or a new dial;</li>
 *   <li>hand the request to an exchange on that connection; get back the response head and a
 *       body whose end or close releases the connection;</li>
 *   <li>on a failure before any response: retry on another connection while each failure is on a
 *       reused connection, the exchange says nothing was written or nothing was received, and the
 *       request is replayable (Go's rules), at most 8 attempts in all; otherwise throw the typed
 *       exception.</li>
 * </ol>
 * Response bodies that are never closed are detected when collected: logged as leaks and their
 * connections reclaimed.
 *
 * <p>The pool key is (proxy, scheme, host:port). The protocol is chosen per connection
 * ({@link TransportConfig#protocols()}, see {@link Protocol}): by default TLS offers {@code h2} and
 * {@code http/1.1} by ALPN (inside a proxy's CONNECT tunnel too) and plain http speaks HTTP/1.1;
 * {@link Protocol#H2C} makes plain http HTTP/2 with prior knowledge. The same loop serves both:
 * <ul>
 *   <li>an HTTP/1.1 connection carries one exchange at a time, as above;</li>
 *   <li>an HTTP/2 connection carries one exchange per stream, up to the server's
 *       SETTINGS_MAX_CONCURRENT_STREAMS (learned from its first SETTINGS before a second stream is
 *       opened); a burst of first requests to an origin waits for the first dial's ALPN answer
 *       instead of dialing a connection each; at the limit another connection is dialed, or, with
 *       {@link Http2Config#strictMaxConcurrentStreams()} (or at {@link TransportConfig#maxConnsPerHost()}),
 *       the request waits for a stream slot ({@link Timings#streamWait()});</li>
 *   <li>a stream the server never processed (REFUSED_STREAM, above a GOAWAY's last stream id) is
 *       sent again on another stream or connection whatever its method, within the same bound of
 *       attempts; every other HTTP/2 failure is a {@link dev.roundtrip.error.Http2Exception} with its
 *       error code and whether the request may have been processed.</li>
 * </ul>
 * Connections are not coalesced across origins (RFC 9113 §9.1.1 allows reusing one for another
 * host its certificate covers): like Go, one origin's connections serve that origin only, so a
 * request never reaches a server its URL did not name (a shared certificate does not mean a
 * shared backend, and a 421 retry would be needed when it is not).
 */
public final class Transport implements RoundTripper, AutoCloseable {
    private static final String[] ACCEPT_GZIP = {"Accept-Encoding", "gzip"};

    private final TransportConfig config;
    private final Connections connections;
    private final ConnectionPool<ExchangeConnection> pool;
    private final Leaks leaks;
    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Transport(TransportConfig config, Clock clock) {
        this.config = config;
        this.connections = Connections.create(config, clock);
        this.pool = connections.pool();
        this.leaks = new Leaks(config.leakTracing());
    }

    /** Holds the process-wide Transport, created on first use. */
    private static final class DefaultHolder {
        static final Transport INSTANCE = create();
    }

    /**
     * Returns the process-wide Transport with the default configuration, shared by every
     * {@link Client} built without one (like Go's {@code DefaultTransport}), so even clients
     * created per request reuse connections. Closing it is refused.
     */
    public static Transport defaultTransport() {
        return DefaultHolder.INSTANCE;
    }

    /** Returns a Transport with the default configuration. */
    public static Transport create() {
        return new Transport(TransportConfig.defaults(), Clock.SYSTEM);
    }

    /** Returns a Transport with {@code config}. */
    public static Transport create(TransportConfig config) {
        return new Transport(config, Clock.SYSTEM);
    }

    /** Returns this Transport's configuration. */
    public TransportConfig config() {
        return config;
    }

    /**
     * Sends {@code request} and returns the response head with a streaming body.
     *
     * @throws IOException              when no response could be obtained: a typed exception from
     *                                  {@link dev.roundtrip.error}, a {@link java.net.ConnectException},
     *                                  or the exception the request body's own stream threw
     * @throws IllegalStateException    if the Transport is closed
     */
    @Override
    public Response roundTrip(Request request) throws IOException {
        try {
            if (closed.get()) {
                throw new IllegalStateException("the Transport is closed");
            }
            leaks.reclaim(pool);
            requests.increment();
            CancelToken token = request.cancelToken();
            if (token != null && token.isCanceled()) {
                throw new RequestCanceledException("request canceled before it was sent: " + request);
            }
            Route route = Route.of(request.scheme, request.host, request.port, request.hostPort,
                    config.proxy().proxyFor(request));
            connections.check(route);
            boolean askGzip = asksForGzip(request);
            return send(request, route, prepare(request, askGzip, route), askGzip);
        } catch (IOException | RuntimeException | Error e) {
            discardBody(request); // a one-shot body is closed whatever happened (Go #49621)
            throw e;
        }
    }

    /** The loop of attempts: take a connection, exchange, and retry only as {@link RetryPolicy} says. */
    private Response send(Request request, Route route, PreparedRequest prepared, boolean askGzip)
            throws IOException {
        ExchangeClock clock = new ExchangeClock();
        Deadline deadline = deadline(request);
        ClientTrace trace = trace(request);
        CancelToken token = request.cancelToken();
        CancelHook cancelHook = token == null ? null : token::onCancel;
        for (int attempt = 1; ; attempt++) {
            PoolEntry<ExchangeConnection> entry = connections.get(route, deadline, cancelHook, trace, clock);
            Lease lease = new Lease(pool, entry, trace, clock);
            Exchange exchange = entry.connection().newExchange(deadline, trace, lease);
            lease.cancelWith(cancelHook, exchange);
            try {
                ExchangeResponse r = exchange.roundTrip(prepared);
                clock.exchanged(r.wroteNanos(), r.responseNanos());
                clock.http2Waits(r.streamWaitNanos(), r.flowControlWaitNanos());
                discardBody(request); // a one-shot body never opened (a final answer before 100)
                return response(request, r, lease, askGzip, clock);
            } catch (ExchangeFailure f) {
                lease.failed();
                boolean byToken = token != null && token.isCanceled();
                RetryPolicy.Decision next = RetryPolicy.decide(f.verdict(), attempt, clock.reused(),
                        bodyReplayable(request), idempotent(request), byToken || Thread.currentThread().isInterrupted());
                if (next == RetryPolicy.Decision.FAIL) {
                    throw f.error();
                }
                if (next == RetryPolicy.Decision.CANCELED) {
                    throw canceledInsteadOf(f.error(), request, byToken);
                }
                retries.increment();
                clock.retried();
            } catch (RuntimeException | Error e) {
                lease.failed();
                throw e;
            }
        }
    }

    /**
     * The cancellation a caller sees when its request was canceled (or its thread interrupted, the
     * flag left set) as an attempt failed in a way that would have been retried: Go returns the
     * request context's error then, not the transport's (reference §4, {@code RetryPolicy}).
     */
    private static RequestCanceledException canceledInsteadOf(IOException error, Request request, boolean byToken) {
        if (error instanceof RequestCanceledException c) {
            return c;
        }
        return new RequestCanceledException((byToken ? "request canceled" : "thread interrupted")
                + " after an attempt failed, so it was not sent again: " + request, error);
    }

    private static void discardBody(Request request) {
        if (request.body() != null) {
            request.body().discard();
        }
    }

    /** Go's composition rule: the newer (per-request) trace first, then the Transport's. */
    private ClientTrace trace(Request request) {
        // Each guarded on its own, so a per-request hook that throws cannot silence the Transport's.
        ClientTrace trace = ClientTrace.compose(SafeTrace.of(request.trace()), SafeTrace.of(config.trace()));
        return trace == ClientTrace.NONE ? null : trace;
    }

    /** The sooner of the request's timeout (counted from now) and its deadline, named for messages. */
    private static Deadline deadline(Request r) {
        long now = System.nanoTime();
        long byTimeout = r.timeout() == null ? Long.MAX_VALUE : saturatedAdd(now, r.timeout());
        long byDeadline = r.deadline() == null ? Long.MAX_VALUE
                : saturatedAdd(now, Duration.between(Instant.now(), r.deadline()));
        if (byTimeout == Long.MAX_VALUE && byDeadline == Long.MAX_VALUE) {
            return Deadline.NONE;
        }
        return byTimeout - byDeadline <= 0
                ? new Deadline(byTimeout, "request timeout of " + r.timeout().toMillis() + " ms")
                : new Deadline(byDeadline, "request deadline");
    }

    private static long saturatedAdd(long now, Duration d) {
        try {
            return Math.addExact(now, d.toNanos());
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE + 1 : Long.MAX_VALUE - 1;
        }
    }

    /** Go's rule (reference §3.8): ask for gzip only when the caller said nothing about encodings. */
    private boolean asksForGzip(Request r) {
        return !config.disableCompression() && !r.method().equals("HEAD")
                && !r.headers().contains("Accept-Encoding") && !r.headers().contains("Range");
    }

    private PreparedRequest prepare(Request r, boolean askGzip, Route route) {
        Headers h = r.headers();
        String ua = h.first("User-Agent");
        if (ua == null) {
            ua = config.userAgent();
        }
        boolean close = r.close() || config.disableKeepAlives();
        RequestBody body = r.body();
        // No body is length 0: Go then sends Content-Length: 0 for POST, PUT and PATCH only.
        long length = body == null ? 0
                : body.contentLength() < 0 ? RequestHeadWriter.CHUNKED : body.contentLength();
        String proxyAuth = route.absoluteForm() ? route.proxy().basicAuthorization() : null;
        String[] extra = askGzip && proxyAuth != null ? new String[] {"Accept-Encoding", "gzip", "Proxy-Authorization", proxyAuth}
                : askGzip ? ACCEPT_GZIP
                : proxyAuth != null ? new String[] {"Proxy-Authorization", proxyAuth} : null;
        String target = route.absoluteForm() ? r.scheme + "://" + r.authority + r.target : r.target;
        return new PreparedRequest(r.method(), target, r.hostHeader, ua, h.raw(), h.size(), close, length,
                body == null ? null : body.bytesOrNull(), body == null ? null : body::open, extra,
                body != null && length != 0 && expectsContinue(h));
    }

    /** Returns true if an {@code Expect} field asks for {@code 100-continue} (RFC 9110 §10.1.1). */
    private static boolean expectsContinue(Headers h) {
        for (int i = 0; i < h.size(); i++) {
            if (h.name(i).equalsIgnoreCase("Expect") && h.value(i).trim().equalsIgnoreCase("100-continue")) {
                return true;
            }
        }
        return false;
    }

    /** Go's rewindBody: no body, a replayable one, or a one-shot body never opened (#25852's neighbour). */
    private static boolean bodyReplayable(Request r) {
        return r.body() == null || r.body().canSendAgain();
    }

    /** Go's isReplayable method rule (#19943): safe methods, or an idempotency key. */
    private static boolean idempotent(Request r) {
        switch (r.method()) {
            case "GET": case "HEAD": case "OPTIONS": case "TRACE":
                return true;
            default:
                return r.headers().contains("Idempotency-Key") || r.headers().contains("X-Idempotency-Key");
        }
    }

    /** Makes the public response of an exchange; a gzip body the Transport asked for is decoded. */
    private Response response(Request request, ExchangeResponse r, Lease lease, boolean askedGzip,
                              ExchangeClock clock) {
        ResponseBody body = r.body();
        String encoding = askedGzip && r.hasBody() ? r.field("Content-Encoding") : null;
        Response resp;
        if (encoding != null && encoding.trim().equalsIgnoreCase("gzip")) {
            String[] fields = r.fieldsWithout("Content-Encoding", "Content-Length");
            // A body that fails to decode (a zip bomb, corrupt data) closes its connection, undrained.
            InputStream decoded = new GzipSource(body, config.maxDecompressedBytes(), config.maxDecompressionRatio(),
                    body::abort);
            resp = new Response(request, r.status(), r.reason(), r.protocol(), new Headers(fields, fields.length / 2),
                    -1, decoded, body::trailers, true, clock);
        } else {
            resp = new Response(request, r.status(), r.reason(), r.protocol(), new Headers(r.fields(), r.fieldCount()),
                    r.contentLength(), body, body::trailers, false, clock);
        }
        body.owner(resp);
        if (!body.finishIfComplete()) {
            leaks.track(resp, lease, request, leaks.tracing() ? new Throwable("response created here") : null);
        }
        return resp;
    }

    /** Closes every idle connection; in-use connections are not touched. */
    public void closeIdleConnections() {
        pool.closeIdleConnections();
    }

    /** Returns a snapshot of the pool: per-key counts and counters. */
    public PoolStats stats() {
        leaks.reclaim(pool);
        PoolSnapshot s = pool.snapshot();
        List<PoolStats.HostStats> hosts = new ArrayList<>(s.keys().size());
        for (PoolSnapshot.KeyStats k : s.keys()) {
            hosts.add(new PoolStats.HostStats(k.key(), k.idle(), k.inUse(), k.dialing(), k.waiting(), k.multiplexed(),
                    k.streams()));
        }
        EnumMap<PoolStats.CloseReason, Long> closes = new EnumMap<>(PoolStats.CloseReason.class);
        s.closes().forEach((cause, n) -> closes.put(PoolStats.CloseReason.valueOf(cause.name()), n));
        return new PoolStats(List.copyOf(hosts), s.idleTotal(), requests.sum(), s.dials(), s.dialFailures(),
                s.idleReuses(), s.handoffs(), retries.sum(), leaks.count(), Collections.unmodifiableMap(closes));
    }

    /**
     * Closes the Transport: idle connections now, in-use connections when their responses finish;
     * waiting requests fail and new ones are refused. Idempotent.
     */
    @Override
    public void close() {
        if (this == DefaultHolder.INSTANCE) {
            throw new IllegalStateException("the default Transport is shared by the whole process and cannot be"
                    + " closed; use closeIdleConnections(), or create your own Transport");
        }
        if (closed.compareAndSet(false, true)) {
            pool.shutDown();
        }
    }
}
