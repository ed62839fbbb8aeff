package dev.roundtrip;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.internal.conn.ConnSettings;
import dev.roundtrip.internal.conn.OutgoingRequest;
import dev.roundtrip.internal.conn.PersistentConnection;
import dev.roundtrip.internal.conn.ReadWatchdog;
import dev.roundtrip.internal.conn.ResponseBodyStream;
import dev.roundtrip.internal.dial.Connector;
import dev.roundtrip.internal.dial.Dialer;
import dev.roundtrip.internal.dial.TlsSettings;
import dev.roundtrip.internal.pool.ConnectionPool;
import dev.roundtrip.internal.pool.LeakTracker;
import dev.roundtrip.internal.pool.PoolEntry;
import dev.roundtrip.internal.pool.PoolLimits;
import dev.roundtrip.internal.pool.PoolSnapshot;
import dev.roundtrip.internal.transport.CancelHook;
import dev.roundtrip.internal.transport.Connections;
import dev.roundtrip.internal.transport.ExchangeClock;
import dev.roundtrip.internal.transport.Route;
import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.SafeTrace;
import dev.roundtrip.internal.util.Scheduler;
import dev.roundtrip.internal.wire.BodyFraming;
import dev.roundtrip.internal.wire.BodySource;
import dev.roundtrip.internal.wire.GzipSource;
import dev.roundtrip.internal.wire.RequestHeadWriter;
import dev.roundtrip.internal.wire.ResponseHead;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Transport is the {@link RoundTripper} that owns a connection pool and opens connections: the
 * one object to create once and share between all threads for the life of the application.
 *
 * <p>A round trip: validate and prepare the request; take the most recently used idle connection
 * of its key (checking, without waiting, that the server has not closed it), or wait for whichever
 * comes first, a connection another request returns or a new dial; write the request; read the
 * response head; return a {@link Response} whose body releases the connection when read to the end
 * or closed. A replayable request that fails on a reused connection before any response byte is
 * retried once on another connection (Go's rules). Response bodies that are never closed are
 * detected when collected: logged as leaks and their connections reclaimed.
 *
 * <p>The pool key is (proxy, scheme, host:port). Plain HTTP/1.1 over TCP for now.
 */
public final class Transport implements RoundTripper, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Transport.class.getName());
    private static final String[] ACCEPT_GZIP = {"Accept-Encoding", "gzip"};

    private final TransportConfig config;
    private final ConnectionPool<PersistentConnection> pool;
    private final Connections connections;
    private final LeakTracker leaks = new LeakTracker();
    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder leakCount = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Transport(TransportConfig config, Clock clock) {
        this.config = config;
        Scheduler scheduler = new Scheduler("roundtrip-housekeeper", clock);
        Headers ch = config.proxyConnectHeaders();
        String[] connectHeaders = new String[ch.size() * 2];
        for (int i = 0; i < ch.size(); i++) {
            connectHeaders[2 * i] = ch.name(i);
            connectHeaders[2 * i + 1] = ch.value(i);
        }
        Connector connector = new Connector(new Dialer(config.resolver()::resolve, config.connectTimeout().toNanos()),
                new TlsSettings(config.sslContext(), config.verifyHostnames(), config.tlsHandshakeTimeout().toNanos()),
                new TlsSettings(config.proxySslContext() != null ? config.proxySslContext() : config.sslContext(),
                        config.verifyProxyHostnames(), config.tlsHandshakeTimeout().toNanos()),
                config.maxResponseHeaderBytes(), config.proxyConnectTimeout().toNanos(), config.userAgent(),
                connectHeaders);
        ConnSettings connSettings = new ConnSettings(config.readBufferSize(), config.writeBufferSize(),
                config.maxResponseHeaderBytes(), config.responseHeaderTimeout().toNanos(),
                config.readTimeout().toNanos(), config.writeTimeout().toNanos(), config.maxDrainBytes(),
                config.maxDrainTime().toNanos(), config.expectContinueTimeout().toNanos(), scheduler, new ReadWatchdog(scheduler));
        this.connections = new Connections(config, hooks -> new ConnectionPool<>(new PoolLimits(config.maxIdleConns(),
                config.maxIdleConnsPerHost(), config.maxConnsPerHost(), config.idleConnTimeout().toNanos(),
                config.disableKeepAlives()), clock, hooks, scheduler), connector, connSettings);
        this.pool = connections.pool();
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
     *                                  {@link dev.roundtrip.error} or a {@link java.net.ConnectException}
     * @throws IllegalStateException    if the Transport is closed
     */
    @Override
    public Response roundTrip(Request request) throws IOException {
        if (closed.get()) {
            discardBody(request);
            throw new IllegalStateException("the Transport is closed");
        }
        reclaimLeaks();
        requests.increment();
        ExchangeClock clock = new ExchangeClock();
        long deadline = deadlineNanos(request);
        // Go's composition rule: the newer (per-request) trace first, then the Transport's.
        // Each guarded on its own, so a per-request hook that throws cannot silence the Transport's.
        ClientTrace trace = ClientTrace.compose(SafeTrace.of(request.trace()), SafeTrace.of(config.trace()));
        if (trace == ClientTrace.NONE) {
            trace = null;
        }
        CancelToken token = request.cancelToken();
        if (token != null && token.isCanceled()) {
            discardBody(request);
            throw new RequestCanceledException("request canceled before it was sent: " + request);
        }
        Route route;
        try {
            route = Route.of(request.scheme, request.host, request.port, request.hostPort,
                    config.proxy().proxyFor(request));
        } catch (IOException | RuntimeException e) {
            discardBody(request);
            throw e;
        }
        boolean askGzip = asksForGzip(request);
        OutgoingRequest out = outgoing(request, askGzip, route);
        CancelHook cancelHook = token == null ? null : token::onCancel;
        boolean retried = false;
        while (true) {
            PoolEntry<PersistentConnection> entry;
            try {
                entry = connections.get(route, deadline, cancelHook, trace, clock);
            } catch (IOException | RuntimeException e) {
                discardBody(request);
                throw e;
            }
            PersistentConnection c = entry.connection();
            Runnable unregister = token == null ? null : token.onCancel(() -> c.abort(PersistentConnection.Abort.CANCELED));
            try {
                c.writeRequest(out, deadline, trace);
                discardBody(request); // closes a one-shot body never opened (a final answer before 100)
                ResponseHead head = c.readResponseHead(deadline, trace);
                clock.exchanged(c.wroteNanos(), c.responseNanos());
                return response(request, out, entry, c, head, deadline, unregister, trace, askGzip, clock);
            } catch (IOException e) {
                if (unregister != null) unregister.run();
                pool.discard(entry, "exchange failed");
                if (!retried && shouldRetry(entry, c, request, e, token)) {
                    retried = true;
                    retries.increment();
                    clock.retried();
                    continue;
                }
                throw e;
            } catch (RuntimeException | Error e) {
                if (unregister != null) unregister.run();
                pool.discard(entry, "exchange failed");
                throw e;
            }
        }
    }

    private static void discardBody(Request request) {
        if (request.body() != null) {
            request.body().discard();
        }
    }

    private static long deadlineNanos(Request r) {
        long d = Long.MAX_VALUE;
        long now = System.nanoTime();
        if (r.timeout() != null) {
            d = now + r.timeout().toNanos();
        }
        if (r.deadline() != null) {
            long left = Duration.between(Instant.now(), r.deadline()).toNanos();
            d = Math.min(d, now + left);
        }
        return d;
    }

    /** Go's rule (reference §3.8): ask for gzip only when the caller said nothing about encodings. */
    private boolean asksForGzip(Request r) {
        return !config.disableCompression() && !r.method().equals("HEAD")
                && !r.headers().contains("Accept-Encoding") && !r.headers().contains("Range");
    }

    private OutgoingRequest outgoing(Request r, boolean askGzip, Route route) {
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
        return new OutgoingRequest(r.method(), target, r.hostHeader, ua, h.raw(), h.size(), close, length,
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

    /** Go's shouldRetryRequest (reference §4), once: only reused connections, only safe requests. */
    private static boolean shouldRetry(PoolEntry<PersistentConnection> entry, PersistentConnection c, Request r,
                                       IOException e, CancelToken token) {
        if (e instanceof HttpTimeoutException || e instanceof RequestCanceledException) {
            return false;
        }
        if ((token != null && token.isCanceled()) || Thread.currentThread().isInterrupted()) {
            return false;
        }
        if (!entry.reused() || c.bodySourceFailed()) {
            return false; // a fresh connection failing, or the body's own stream failing: never loop
        }
        RequestBody b = r.body();
        boolean bodyReplayable = b == null || b.isReplayable();
        if (c.wroteNothing()) {
            return bodyReplayable;
        }
        if (!bodyReplayable || !idempotent(r)) {
            return false;
        }
        return c.failedBeforeResponse();
    }

    private static boolean idempotent(Request r) {
        switch (r.method()) {
            case "GET": case "HEAD": case "OPTIONS": case "TRACE":
                return true;
            default:
                return r.headers().contains("Idempotency-Key") || r.headers().contains("X-Idempotency-Key");
        }
    }

    private Response response(Request request, OutgoingRequest out, PoolEntry<PersistentConnection> entry,
                              PersistentConnection c, ResponseHead head, long deadline, Runnable unregister,
                              ClientTrace trace, boolean askedGzip, ExchangeClock clock) throws IOException {
        BodyFraming f;
        if (head.status() == 101) {
            // Protocol switch: the rest of the connection belongs to the caller (Go #26161).
            f = new BodyFraming(BodyFraming.Kind.UNTIL_CLOSE, -1, -1, false, false, -1);
        } else {
            f = BodyFraming.of(request.method(), head);
        }
        String[] fields = head.fields();
        int count = head.fieldCount();
        if (f.dropContentLength()) {
            fields = withoutField(fields, count, "Content-Length");
            count = fields.length / 2;
        }
        // Go #7569: a connection whose request body was not fully written is never reused.
        boolean keepAlive = f.keepAlive() && !out.close() && !c.bodyWriteFailed();
        long hint = f.keepAliveTimeoutSeconds() < 0 ? -1
                : Math.max(0, f.keepAliveTimeoutSeconds() * 1_000_000_000L - 1_000_000_000L);
        BodySource source = BodySource.of(f, c.input(), config.maxResponseHeaderBytes());
        ResponseBodyStream body = new ResponseBodyStream(c, source, keepAlive, deadline,
                (reusable, reason) -> {
                    clock.bodyEnded();
                    release(entry, reusable, reason, hint, trace);
                }, unregister);
        Response resp;
        String encoding = askedGzip && f.kind() != BodyFraming.Kind.NONE ? head.field("Content-Encoding") : null;
        if (encoding != null && encoding.trim().equalsIgnoreCase("gzip")) {
            fields = withoutField(withoutField(fields, count, "Content-Encoding"), "Content-Length");
            resp = new Response(request, head.status(), head.reason(), head.protocol(),
                    new Headers(fields, fields.length / 2), -1, new GzipSource(body, config.maxDecompressedBytes(),
                            config.maxDecompressionRatio(), () -> body.abort("gzip response body could not be decoded")),
                    body::trailers, true, clock);
        } else {
            resp = new Response(request, head.status(), head.reason(), head.protocol(),
                    new Headers(fields, count), f.contentLength(), body, body::trailers, false, clock);
        }
        body.owner(resp);
        if (!body.finishIfComplete()) {
            leaks.track(resp, entry, request,
                    config.leakTracing() ? new Throwable("response created here") : null);
        }
        return resp;
    }

    private static String[] withoutField(String[] fields, String name) {
        return withoutField(fields, fields.length / 2, name);
    }

    private static String[] withoutField(String[] fields, int count, String name) {
        List<String> kept = new ArrayList<>(count * 2);
        for (int i = 0; i < count; i++) {
            if (!fields[2 * i].equalsIgnoreCase(name)) {
                kept.add(fields[2 * i]);
                kept.add(fields[2 * i + 1]);
            }
        }
        return kept.toArray(new String[0]);
    }

    private void release(PoolEntry<PersistentConnection> entry, boolean reusable, String reason, long hint,
                         ClientTrace trace) {
        LeakTracker.finished(entry);
        if (!reusable) {
            pool.discard(entry, reason);
            return;
        }
        String refused = pool.put(entry, hint);
        if (trace != null && !ConnectionPool.KEEP_ALIVES_DISABLED.equals(refused)) {
            trace.putIdleConn(refused == null ? null : new IOException(refused));
        }
    }

    private void reclaimLeaks() {
        LeakTracker.LeakRef ref;
        while ((ref = leaks.poll()) != null) {
            if (!ref.stillOpen()) {
                continue;
            }
            leakCount.increment();
            @SuppressWarnings("unchecked")
            PoolEntry<PersistentConnection> e = (PoolEntry<PersistentConnection>) ref.entry();
            LeakTracker.finished(e);
            pool.discard(e, "leaked: response never closed");
            String msg = "A connection for " + ref.description() + " was leaked: its response was never closed"
                    + " nor read to the end. Close every Response (try-with-resources). The connection was"
                    + " closed and its slot reclaimed.";
            if (ref.createdAt() != null) {
                LOG.log(System.Logger.Level.WARNING, msg + " The response was created at:", ref.createdAt());
            } else {
                LOG.log(System.Logger.Level.WARNING, msg
                        + " Enable TransportConfig.Builder.leakTracing(true) to see where it was created.");
            }
        }
    }

    /** Closes every idle connection; in-use connections are not touched. */
    public void closeIdleConnections() {
        pool.closeIdleConnections();
    }

    /** Returns a snapshot of the pool: per-key counts and counters. */
    public PoolStats stats() {
        reclaimLeaks();
        PoolSnapshot s = pool.snapshot();
        List<PoolStats.HostStats> hosts = new ArrayList<>(s.keys().size());
        for (PoolSnapshot.KeyStats k : s.keys()) {
            hosts.add(new PoolStats.HostStats(k.key(), k.idle(), k.inUse(), k.dialing(), k.waiting()));
        }
        return new PoolStats(List.copyOf(hosts), s.idleTotal(), requests.sum(), s.dials(), s.dialFailures(),
                s.idleReuses(), s.handoffs(), retries.sum(), leakCount.sum(), s.closes());
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
