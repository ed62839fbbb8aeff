package dev.roundtrip;

import dev.roundtrip.trace.ClientTrace;
import java.time.Duration;
import java.util.Objects;

/**
 * TransportConfig is the immutable configuration of a {@link Transport}. Every default is a named
 * constant here, with its reason; {@link #toBuilder()} derives a changed copy.
 *
 * <p>The defaults are chosen so that nothing blocks forever and a burst to one host does not
 * churn connections: every timeout is finite, and the per-host idle cap is far above Go's 2.
 * A zero {@link Duration} means "no limit" where stated.
 */
public final class TransportConfig {
    /**
     * Default global cap on idle connections over all hosts: 1024. Bounds sockets and buffers
     * held for reuse (about 16 KiB each), while leaving room for the per-host cap below.
     */
    public static final int DEFAULT_MAX_IDLE_CONNS = 1024;
    /**
     * Default idle connections kept per host: 256. Go's 2 makes a burst of 16 concurrent
     * requests close 14 connections after every round and open them again (thousands of
     * connections per second, TIME_WAIT, lost throughput; Go issue #13801). 256 covers the
     * concurrency a service usually sends to one host; the idle timeout reclaims the rest.
     */
    public static final int DEFAULT_MAX_IDLE_CONNS_PER_HOST = 256;
    /** Default cap on connections per host (dialing + in use + idle): 0, no cap, as in Go. */
    public static final int DEFAULT_MAX_CONNS_PER_HOST = 0;
    /**
     * Default idle timeout: 30 s. Below common server keep-alive timeouts (nginx 75 s, cloud load
     * balancers 60 s) so the client, not the server, closes idle connections, which avoids
     * sending requests on connections the server is closing. A server's {@code Keep-Alive:
     * timeout=} hint shortens it per connection.
     */
    public static final Duration DEFAULT_IDLE_CONN_TIMEOUT = Duration.ofSeconds(30);
    /** Default connect timeout (DNS and TCP connect): 10 s, instead of the OS's minutes. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Default wait for a connection (from the pool, a hand-off, or a dial): 30 s. Only reached
     * when {@code maxConnsPerHost} queues requests or a dial hangs.
     */
    public static final Duration DEFAULT_CONNECTION_WAIT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Default wait for the response head after the request was written: 60 s. Finite (Go has
     * none), yet long enough for slow endpoints; raise it for long polling.
     */
    public static final Duration DEFAULT_RESPONSE_HEADER_TIMEOUT = Duration.ofSeconds(60);
    /** Default longest wait for any read of a response body (inactivity, not total): 30 s. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Default longest time without progress while writing a request body: 30 s. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Default cap on a response head (status line and headers, 1xx heads included): 256 KiB.
     * Real heads are a few KiB; Go allows 10 MiB, which only helps a hostile server.
     */
    public static final int DEFAULT_MAX_RESPONSE_HEADER_BYTES = 256 * 1024;
    /** Default read buffer per connection: 8 KiB (larger body reads bypass it). */
    public static final int DEFAULT_READ_BUFFER_SIZE = 8 * 1024;
    /** Default write buffer: 8 KiB; a body up to this size is sent in the same write as the head. */
    public static final int DEFAULT_WRITE_BUFFER_SIZE = 8 * 1024;
    /**
     * Default most unread body bytes drained when a response is closed early, to keep its
     * connection: 256 KiB (as Go 1.27). Larger remainders close the connection instead.
     */
    public static final long DEFAULT_MAX_DRAIN_BYTES = 256 * 1024;
    /** Default most time spent draining on close: 50 ms (as Go 1.27). */
    public static final Duration DEFAULT_MAX_DRAIN_TIME = Duration.ofMillis(50);
    /**
     * Default bound on a transparently decompressed body: 32 MiB. Callers usually hold a decoded
     * body in memory ({@code bodyString()}, a JSON tree), and gzip turns each megabyte received
     * into up to a gigabyte: 256 MiB (the old default) let one 1 MB response take 256 MiB of heap.
     * At 32 MiB, eight such responses in flight fit in 256 MiB; together with
     * {@link #DEFAULT_MAX_DECOMPRESSION_RATIO}, which stops a zip bomb after about 1 MiB of
     * output, a service with a small heap survives several at once. Past the bound reading fails
     * with an {@link dev.roundtrip.error.HttpProtocolException} and the connection is closed.
     * Raise it (the ratio bound still applies) for large compressed downloads.
     */
    public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 32L * 1024 * 1024;
    /**
     * Default bound on decoded bytes per compressed byte received: 100, applied once a body has
     * decoded 1 MiB (small bodies may compress better). Text, HTML and JSON compress 3 to 20
     * times, repetitive logs and tables rarely past 50; a zip bomb reaches about 1,000 (1 MB of
     * gzip inflates to 1 GB). So real bodies pass, a bomb fails after about 1 MiB of output, and
     * a hostile server must send one byte for every 100 the client holds, whatever
     * {@link #maxDecompressedBytes()} allows. Past the bound reading fails with an
     * {@link dev.roundtrip.error.HttpProtocolException} and the connection is closed.
     */
    public static final int DEFAULT_MAX_DECOMPRESSION_RATIO = 100;
    /** Default bound on one TLS handshake: 10 s, as Go's DefaultTransport. */
    public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Default bound on a proxy's answer to {@code CONNECT} or to the SOCKS5 handshake: 30 s (Go
     * hard-codes 1 minute). A proxy that hangs or streams an endless answer cannot hold a request.
     */
    public static final Duration DEFAULT_PROXY_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Default wait for a {@code 100 Continue} before sending a request body anyway, when the
     * request says {@code Expect: 100-continue}: 1 s, as Go's DefaultTransport.
     */
    public static final Duration DEFAULT_EXPECT_CONTINUE_TIMEOUT = Duration.ofSeconds(1);
    /** Default {@code User-Agent}: {@code roundtrip/0.1}. */
    public static final String DEFAULT_USER_AGENT = "roundtrip/0.1";
    /**
     * Default protocols: {@link Protocol#HTTP_1_1} and {@link Protocol#HTTP_2}, as Go's
     * DefaultTransport: https offers {@code h2} and {@code http/1.1} by ALPN and the server
     * chooses; plain http uses HTTP/1.1 (prior-knowledge HTTP/2 needs {@link Protocol#H2C}, since a
     * plain connection cannot negotiate).
     */
    public static final java.util.Set<Protocol> DEFAULT_PROTOCOLS =
            java.util.Collections.unmodifiableSet(java.util.EnumSet.of(Protocol.HTTP_1_1, Protocol.HTTP_2));

    private final int maxIdleConns;
    private final int maxIdleConnsPerHost;
    private final int maxConnsPerHost;
    private final Duration idleConnTimeout;
    private final Duration connectTimeout;
    private final Duration connectionWaitTimeout;
    private final Duration responseHeaderTimeout;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final int maxResponseHeaderBytes;
    private final int readBufferSize;
    private final int writeBufferSize;
    private final long maxDrainBytes;
    private final Duration maxDrainTime;
    private final boolean disableKeepAlives;
    private final boolean disableCompression;
    private final long maxDecompressedBytes;
    private final int maxDecompressionRatio;
    private final String userAgent;
    private final Resolver resolver;
    private final DialTarget dialTarget;
    private final ClientTrace trace;
    private final ConnectionListener connectionListener;
    private final boolean leakTracing;
    private final javax.net.ssl.SSLContext sslContext;
    private final boolean verifyHostnames;
    private final javax.net.ssl.SSLContext proxySslContext;
    private final boolean verifyProxyHostnames;
    private final Duration tlsHandshakeTimeout;
    private final ProxyPolicy proxy;
    private final Headers proxyConnectHeaders;
    private final Duration proxyConnectTimeout;
    private final Duration expectContinueTimeout;
    private final java.util.Set<Protocol> protocols;
    private final Http2Config http2;

    private TransportConfig(Builder b) {
        maxIdleConns = b.maxIdleConns;
        maxIdleConnsPerHost = b.maxIdleConnsPerHost;
        maxConnsPerHost = b.maxConnsPerHost;
        idleConnTimeout = b.idleConnTimeout;
        connectTimeout = b.connectTimeout;
        connectionWaitTimeout = b.connectionWaitTimeout;
        responseHeaderTimeout = b.responseHeaderTimeout;
        readTimeout = b.readTimeout;
        writeTimeout = b.writeTimeout;
        maxResponseHeaderBytes = b.maxResponseHeaderBytes;
        readBufferSize = b.readBufferSize;
        writeBufferSize = b.writeBufferSize;
        maxDrainBytes = b.maxDrainBytes;
        maxDrainTime = b.maxDrainTime;
        disableKeepAlives = b.disableKeepAlives;
        disableCompression = b.disableCompression;
        maxDecompressedBytes = b.maxDecompressedBytes;
        maxDecompressionRatio = b.maxDecompressionRatio;
        userAgent = b.userAgent;
        resolver = b.resolver;
        dialTarget = b.dialTarget;
        trace = b.trace;
        connectionListener = b.connectionListener;
        leakTracing = b.leakTracing;
        sslContext = b.sslContext;
        verifyHostnames = b.verifyHostnames;
        proxySslContext = b.proxySslContext;
        verifyProxyHostnames = b.verifyProxyHostnames;
        tlsHandshakeTimeout = b.tlsHandshakeTimeout;
        proxy = b.proxy;
        proxyConnectHeaders = b.proxyConnectHeaders;
        proxyConnectTimeout = b.proxyConnectTimeout;
        expectContinueTimeout = b.expectContinueTimeout;
        protocols = b.protocols;
        http2 = b.http2;
    }

    /** Returns the configuration with every default. */
    public static TransportConfig defaults() {
        return new Builder().build();
    }

    /** Returns a builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxIdleConns = maxIdleConns;
        b.maxIdleConnsPerHost = maxIdleConnsPerHost;
        b.maxConnsPerHost = maxConnsPerHost;
        b.idleConnTimeout = idleConnTimeout;
        b.connectTimeout = connectTimeout;
        b.connectionWaitTimeout = connectionWaitTimeout;
        b.responseHeaderTimeout = responseHeaderTimeout;
        b.readTimeout = readTimeout;
        b.writeTimeout = writeTimeout;
        b.maxResponseHeaderBytes = maxResponseHeaderBytes;
        b.readBufferSize = readBufferSize;
        b.writeBufferSize = writeBufferSize;
        b.maxDrainBytes = maxDrainBytes;
        b.maxDrainTime = maxDrainTime;
        b.disableKeepAlives = disableKeepAlives;
        b.disableCompression = disableCompression;
        b.maxDecompressedBytes = maxDecompressedBytes;
        b.maxDecompressionRatio = maxDecompressionRatio;
        b.userAgent = userAgent;
        b.resolver = resolver;
        b.dialTarget = dialTarget;
        b.trace = trace;
        b.connectionListener = connectionListener;
        b.leakTracing = leakTracing;
        b.sslContext = sslContext;
        b.verifyHostnames = verifyHostnames;
        b.proxySslContext = proxySslContext;
        b.verifyProxyHostnames = verifyProxyHostnames;
        b.tlsHandshakeTimeout = tlsHandshakeTimeout;
        b.proxy = proxy;
        b.proxyConnectHeaders = proxyConnectHeaders;
        b.proxyConnectTimeout = proxyConnectTimeout;
        b.expectContinueTimeout = expectContinueTimeout;
        b.protocols = protocols;
        b.http2 = http2;
        return b;
    }

    /** Global idle cap; 0 = none. Default {@link #DEFAULT_MAX_IDLE_CONNS}. */
    public int maxIdleConns() { return maxIdleConns; }
    /**
     * Idle cap per host; 0 keeps no idle connection (unlike Go, where 0 means its default of 2);
     * negative = never pool. Default {@link #DEFAULT_MAX_IDLE_CONNS_PER_HOST}.
     */
    public int maxIdleConnsPerHost() { return maxIdleConnsPerHost; }
    /** Connection cap per host; 0 = none. Default {@link #DEFAULT_MAX_CONNS_PER_HOST}. */
    public int maxConnsPerHost() { return maxConnsPerHost; }
    /** Idle timeout; zero = none. Default {@link #DEFAULT_IDLE_CONN_TIMEOUT}. */
    public Duration idleConnTimeout() { return idleConnTimeout; }
    /** Connect timeout; zero = the OS's. Default {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public Duration connectTimeout() { return connectTimeout; }
    /** Connection wait timeout; zero = none. Default {@link #DEFAULT_CONNECTION_WAIT_TIMEOUT}. */
    public Duration connectionWaitTimeout() { return connectionWaitTimeout; }
    /** Response header timeout; zero = none. Default {@link #DEFAULT_RESPONSE_HEADER_TIMEOUT}. */
    public Duration responseHeaderTimeout() { return responseHeaderTimeout; }
    /** Body read inactivity timeout; zero = none. Default {@link #DEFAULT_READ_TIMEOUT}. */
    public Duration readTimeout() { return readTimeout; }
    /** Body write inactivity timeout; zero = none. Default {@link #DEFAULT_WRITE_TIMEOUT}. */
    public Duration writeTimeout() { return writeTimeout; }
    /** Response head cap in bytes. Default {@link #DEFAULT_MAX_RESPONSE_HEADER_BYTES}. */
    public int maxResponseHeaderBytes() { return maxResponseHeaderBytes; }
    /** Read buffer size. Default {@link #DEFAULT_READ_BUFFER_SIZE}. */
    public int readBufferSize() { return readBufferSize; }
    /** Write buffer size. Default {@link #DEFAULT_WRITE_BUFFER_SIZE}. */
    public int writeBufferSize() { return writeBufferSize; }
    /** Most bytes drained on an early close. Default {@link #DEFAULT_MAX_DRAIN_BYTES}. */
    public long maxDrainBytes() { return maxDrainBytes; }
    /** Most time drained on an early close. Default {@link #DEFAULT_MAX_DRAIN_TIME}. */
    public Duration maxDrainTime() { return maxDrainTime; }
    /** Whether every request sends {@code Connection: close} and nothing is pooled. Default false. */
    public boolean disableKeepAlives() { return disableKeepAlives; }
    /**
     * Whether transparent gzip is off. Default false: when a request has no {@code Accept-Encoding}
     * and no {@code Range} and is not HEAD, the Transport asks for gzip and decodes a gzip response,
     * removing {@code Content-Encoding} and {@code Content-Length} ({@link Response#uncompressed()}).
     */
    public boolean disableCompression() { return disableCompression; }
    /** Bound on a decompressed body in bytes; 0 = none. Default {@link #DEFAULT_MAX_DECOMPRESSED_BYTES} (32 MiB). */
    public long maxDecompressedBytes() { return maxDecompressedBytes; }
    /**
     * Bound on decoded bytes per compressed byte received, applied past the first MiB of a
     * decompressed body; 0 = none. Default {@link #DEFAULT_MAX_DECOMPRESSION_RATIO} (100).
     */
    public int maxDecompressionRatio() { return maxDecompressionRatio; }
    /** The default User-Agent; empty = send none. Default {@link #DEFAULT_USER_AGENT}. */
    public String userAgent() { return userAgent; }
    /** The resolver for new connections. Default {@link Resolver#system()}. */
    public Resolver resolver() { return resolver; }
    /**
     * Where new connections' TCP connects go instead of their first hop, or null to connect there
     * (Go's {@code DialContext}, minimal). Default null.
     */
    public DialTarget dialTarget() { return dialTarget; }
    /** The trace every request gets, or null. Default null. */
    public ClientTrace trace() { return trace; }
    /** The listener told when each connection opens and closes, or null for none. Default null. */
    public ConnectionListener connectionListener() { return connectionListener; }
    /** Whether leak reports say where the response was created (costs a stack trace per response). Default false. */
    public boolean leakTracing() { return leakTracing; }
    /**
     * The TLS context (trust material, client certificate, protocols), or null for the JDK's
     * default ({@code SSLContext.getDefault()}: TLS 1.2 and 1.3, the JDK's trusted roots, session
     * resumption through its session cache). Default null.
     */
    public javax.net.ssl.SSLContext sslContext() { return sslContext; }
    /** Whether server certificates must match the host name (RFC 2818); not for proxies. Default true. */
    public boolean verifyHostnames() { return verifyHostnames; }
    /**
     * The TLS context for {@code https://} proxies, or null to use {@link #sslContext()} (then the
     * JDK's default) as Go does. Set it when the proxy needs other trust than the servers, e.g. a
     * private CA for the proxy only, or when {@link #sslContext()} trusts every server (a test
     * setting) and the proxy must still be verified. Default null.
     */
    public javax.net.ssl.SSLContext proxySslContext() { return proxySslContext; }
    /**
     * Whether an {@code https://} proxy's certificate must match its host name, whatever
     * {@link #verifyHostnames()} says: turning verification off for servers does not turn it off
     * for the proxy, which sees every request (and its credentials). Default true.
     */
    public boolean verifyProxyHostnames() { return verifyProxyHostnames; }
    /** Bound on one TLS handshake; zero = none. Default {@link #DEFAULT_TLS_HANDSHAKE_TIMEOUT}. */
    public Duration tlsHandshakeTimeout() { return tlsHandshakeTimeout; }
    /** Chooses the proxy of each request. Default {@link ProxyPolicy#direct()}. */
    public ProxyPolicy proxy() { return proxy; }
    /** Extra headers sent with every {@code CONNECT} to a proxy. Default none. */
    public Headers proxyConnectHeaders() { return proxyConnectHeaders; }
    /** Bound on a proxy's CONNECT or SOCKS5 answer; zero = none. Default {@link #DEFAULT_PROXY_CONNECT_TIMEOUT}. */
    public Duration proxyConnectTimeout() { return proxyConnectTimeout; }
    /**
     * Wait for {@code 100 Continue} before sending the body of an {@code Expect: 100-continue}
     * request; zero = send the body at once. Default {@link #DEFAULT_EXPECT_CONTINUE_TIMEOUT}.
     */
    public Duration expectContinueTimeout() { return expectContinueTimeout; }
    /**
     * The protocols this Transport may speak (see {@link Protocol} for how each URL scheme uses
     * them), never empty. Default {@link #DEFAULT_PROTOCOLS}: HTTP/1.1 and HTTP/2 by ALPN.
     * {@link Response#protocol()} says which one carried each response.
     */
    public java.util.Set<Protocol> protocols() { return protocols; }
    /** The HTTP/2 limits, health check and stream-slot policy. Default {@link Http2Config#defaults()}. */
    public Http2Config http2() { return http2; }

    /** Builder of {@link TransportConfig}; not thread-safe. */
    public static final class Builder {
        private int maxIdleConns = DEFAULT_MAX_IDLE_CONNS;
        private int maxIdleConnsPerHost = DEFAULT_MAX_IDLE_CONNS_PER_HOST;
        private int maxConnsPerHost = DEFAULT_MAX_CONNS_PER_HOST;
        private Duration idleConnTimeout = DEFAULT_IDLE_CONN_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration connectionWaitTimeout = DEFAULT_CONNECTION_WAIT_TIMEOUT;
        private Duration responseHeaderTimeout = DEFAULT_RESPONSE_HEADER_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private int maxResponseHeaderBytes = DEFAULT_MAX_RESPONSE_HEADER_BYTES;
        private int readBufferSize = DEFAULT_READ_BUFFER_SIZE;
        private int writeBufferSize = DEFAULT_WRITE_BUFFER_SIZE;
        private long maxDrainBytes = DEFAULT_MAX_DRAIN_BYTES;
        private Duration maxDrainTime = DEFAULT_MAX_DRAIN_TIME;
        private boolean disableKeepAlives;
        private boolean disableCompression;
        private long maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES;
        private int maxDecompressionRatio = DEFAULT_MAX_DECOMPRESSION_RATIO;
        private String userAgent = DEFAULT_USER_AGENT;
        private Resolver resolver = Resolver.system();
        private DialTarget dialTarget;
        private ClientTrace trace;
        private ConnectionListener connectionListener;
        private boolean leakTracing;
        private javax.net.ssl.SSLContext sslContext;
        private boolean verifyHostnames = true;
        private javax.net.ssl.SSLContext proxySslContext;
        private boolean verifyProxyHostnames = true;
        private Duration tlsHandshakeTimeout = DEFAULT_TLS_HANDSHAKE_TIMEOUT;
        private Duration expectContinueTimeout = DEFAULT_EXPECT_CONTINUE_TIMEOUT;
        private ProxyPolicy proxy = ProxyPolicy.direct();
        private Headers proxyConnectHeaders = Headers.empty();
        private Duration proxyConnectTimeout = DEFAULT_PROXY_CONNECT_TIMEOUT;
        private java.util.Set<Protocol> protocols = DEFAULT_PROTOCOLS;
        private Http2Config http2 = Http2Config.defaults();

        private Builder() {
        }

        private static Duration nonNegative(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, got " + d);
            }
            return d;
        }

        private static int positive(String what, int n) {
            if (n <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + n);
            }
            return n;
        }

        /** Sets the global idle cap; 0 = none. */
        public Builder maxIdleConns(int n) {
            if (n < 0) throw new IllegalArgumentException("maxIdleConns must be >= 0, got " + n);
            maxIdleConns = n;
            return this;
        }
        /** Sets the idle cap per host; negative = never pool. */
        public Builder maxIdleConnsPerHost(int n) { maxIdleConnsPerHost = n; return this; }
        /** Sets the connection cap per host; 0 = none. */
        public Builder maxConnsPerHost(int n) {
            if (n < 0) throw new IllegalArgumentException("maxConnsPerHost must be >= 0, got " + n);
            maxConnsPerHost = n;
            return this;
        }
        /** Sets the idle timeout; zero = none. */
        public Builder idleConnTimeout(Duration d) { idleConnTimeout = nonNegative("idleConnTimeout", d); return this; }
        /** Sets the connect timeout; zero = the OS's. */
        public Builder connectTimeout(Duration d) { connectTimeout = nonNegative("connectTimeout", d); return this; }
        /** Sets the connection wait timeout; zero = none. */
        public Builder connectionWaitTimeout(Duration d) {
            connectionWaitTimeout = nonNegative("connectionWaitTimeout", d);
            return this;
        }
        /** Sets the response header timeout; zero = none. */
        public Builder responseHeaderTimeout(Duration d) {
            responseHeaderTimeout = nonNegative("responseHeaderTimeout", d);
            return this;
        }
        /** Sets the body read inactivity timeout; zero = none. */
        public Builder readTimeout(Duration d) { readTimeout = nonNegative("readTimeout", d); return this; }
        /** Sets the body write inactivity timeout; zero = none. */
        public Builder writeTimeout(Duration d) { writeTimeout = nonNegative("writeTimeout", d); return this; }
        /** Sets the response head cap. */
        public Builder maxResponseHeaderBytes(int n) {
            maxResponseHeaderBytes = positive("maxResponseHeaderBytes", n);
            return this;
        }
        /** Sets the read buffer size. */
        public Builder readBufferSize(int n) { readBufferSize = positive("readBufferSize", n); return this; }
        /** Sets the write buffer size. */
        public Builder writeBufferSize(int n) { writeBufferSize = positive("writeBufferSize", n); return this; }
        /** Sets the most bytes drained on an early close; 0 = never drain. */
        public Builder maxDrainBytes(long n) {
            if (n < 0) throw new IllegalArgumentException("maxDrainBytes must be >= 0, got " + n);
            maxDrainBytes = n;
            return this;
        }
        /** Sets the most time drained on an early close. */
        public Builder maxDrainTime(Duration d) { maxDrainTime = nonNegative("maxDrainTime", d); return this; }
        /** Disables keep-alive: {@code Connection: close} on every request, no pooling. */
        public Builder disableKeepAlives(boolean b) { disableKeepAlives = b; return this; }
        /** Turns transparent gzip off. */
        public Builder disableCompression(boolean b) { disableCompression = b; return this; }
        /** Sets the bound on a decompressed body in bytes; 0 = none. */
        public Builder maxDecompressedBytes(long n) {
            if (n < 0) throw new IllegalArgumentException("maxDecompressedBytes must be >= 0, got " + n);
            maxDecompressedBytes = n;
            return this;
        }
        /** Sets the bound on decoded bytes per compressed byte past the first MiB; 0 = none. */
        public Builder maxDecompressionRatio(int ratio) {
            if (ratio < 0) throw new IllegalArgumentException("maxDecompressionRatio must be >= 0, got " + ratio);
            maxDecompressionRatio = ratio;
            return this;
        }
        /** Sets the default User-Agent; empty = none. */
        public Builder userAgent(String ua) {
            Objects.requireNonNull(ua, "userAgent");
            Headers.of("User-Agent", ua.isEmpty() ? "x" : ua); // validates
            userAgent = ua;
            return this;
        }
        /** Sets the resolver. */
        public Builder resolver(Resolver r) { resolver = Objects.requireNonNull(r, "resolver"); return this; }
        /**
         * Sets where new connections connect instead of their first hop ({@link DialTarget}: TLS
         * names, {@code Host} and pooling keep the original target); null (the default) for none.
         */
        public Builder dialTarget(DialTarget t) { dialTarget = t; return this; }
        /** Sets a trace that every request gets (before the request's own). */
        public Builder trace(ClientTrace t) { trace = t; return this; }
        /**
         * Sets the listener told when each connection opens and closes (lifetime metrics, logs); null
         * (the default) for none. Use {@link ConnectionListener#compose} for several.
         */
        public Builder connectionListener(ConnectionListener l) { connectionListener = l; return this; }
        /** Records where each response is created, so leak reports can name it. */
        public Builder leakTracing(boolean b) { leakTracing = b; return this; }
        /** Sets the TLS context: trust a private CA, present a client certificate, choose protocols. */
        public Builder sslContext(javax.net.ssl.SSLContext c) { sslContext = c; return this; }
        /** Turns host name verification of servers off (for tests against self-made certificates only); proxies keep theirs. */
        public Builder verifyHostnames(boolean b) { verifyHostnames = b; return this; }
        /** Sets the TLS context for {@code https://} proxies; null (the default) uses {@link #sslContext}. */
        public Builder proxySslContext(javax.net.ssl.SSLContext c) { proxySslContext = c; return this; }
        /** Turns host name verification of {@code https://} proxies off (for tests only). */
        public Builder verifyProxyHostnames(boolean b) { verifyProxyHostnames = b; return this; }
        /** Sets the TLS handshake bound; zero = none. */
        public Builder tlsHandshakeTimeout(Duration d) {
            tlsHandshakeTimeout = nonNegative("tlsHandshakeTimeout", d);
            return this;
        }
        /** Sets the wait for {@code 100 Continue}; zero = send the body at once. */
        public Builder expectContinueTimeout(Duration d) {
            expectContinueTimeout = nonNegative("expectContinueTimeout", d);
            return this;
        }
        /** Sets how each request's proxy is chosen. */
        public Builder proxy(ProxyPolicy p) { proxy = Objects.requireNonNull(p, "proxy"); return this; }
        /** Sets extra headers for CONNECT requests to proxies. */
        public Builder proxyConnectHeaders(Headers h) { proxyConnectHeaders = Objects.requireNonNull(h, "headers"); return this; }
        /** Sets the bound on a proxy's CONNECT or SOCKS5 answer; zero = none. */
        public Builder proxyConnectTimeout(Duration d) {
            proxyConnectTimeout = nonNegative("proxyConnectTimeout", d);
            return this;
        }

        /**
         * Sets the protocols the Transport may speak, e.g. {@code protocols(Protocol.HTTP_1_1)} for
         * HTTP/1.1 only, or {@code protocols(Protocol.HTTP_2, Protocol.H2C)} for HTTP/2 only (https
         * then fails when the server does not choose {@code h2}).
         *
         * @throws IllegalArgumentException if none is given
         */
        public Builder protocols(Protocol first, Protocol... more) {
            java.util.EnumSet<Protocol> set = java.util.EnumSet.of(Objects.requireNonNull(first, "protocol"));
            for (Protocol p : more) {
                set.add(Objects.requireNonNull(p, "protocol"));
            }
            protocols = java.util.Collections.unmodifiableSet(set);
            return this;
        }
        /**
         * Sets the protocols the Transport may speak.
         *
         * @throws IllegalArgumentException if the set is empty
         */
        public Builder protocols(java.util.Set<Protocol> set) {
            if (set.isEmpty()) {
                throw new IllegalArgumentException("protocols must name at least one protocol");
            }
            protocols = java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(set));
            return this;
        }
        /** Sets the HTTP/2 configuration. */
        public Builder http2(Http2Config c) { http2 = Objects.requireNonNull(c, "http2"); return this; }

        /** Returns the immutable configuration. */
        public TransportConfig build() {
            return new TransportConfig(this);
        }
    }
}
