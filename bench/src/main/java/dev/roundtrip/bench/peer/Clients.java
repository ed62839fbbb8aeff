package dev.roundtrip.bench.peer;

import dev.roundtrip.Protocol;
import dev.roundtrip.TransportConfig;
import java.time.Duration;
import java.util.List;

/** Clients names the clients under test and opens one for a benchmark point. */
public final class Clients {
    /**
     * roundtrip with {@link TransportConfig#defaults()}; above {@link TransportConfig#DEFAULT_MAX_IDLE_CONNS_PER_HOST}
     * concurrent requests (the scale benchmark) its idle caps are raised to the concurrency, as the peers'
     * pools are sized to it.
     */
    public static final String ROUNDTRIP = "roundtrip";
    /**
     * roundtrip with the response-header and body-read timeouts off: every read is then an
     * untimed blocking read. An experiment to show what timed reads cost; not a recommendation.
     */
    public static final String ROUNDTRIP_NO_READ_TIMEOUTS = "roundtrip-untimed";
    /** OkHttp 5, pool sized to the concurrency. */
    public static final String OKHTTP = "okhttp";
    /** Apache HttpClient 5 classic, pool sized to the concurrency. */
    public static final String APACHE = "apache-hc5";
    /** The JDK HttpClient, HTTP/1.1. */
    public static final String JDK = "jdk";
    /** Jetty 12 HttpClient. */
    public static final String JETTY = "jetty";
    /** roundtrip over TLS with its default protocols, trusting {@link PeerTls}: HTTP/2 when the server chooses h2. */
    public static final String ROUNDTRIP_H2 = "roundtrip-h2";
    /** roundtrip over TLS with HTTP/1.1 only ({@code protocols(HTTP_1_1)}): the h2 points' own baseline. */
    public static final String ROUNDTRIP_H1_TLS = "roundtrip-h1tls";
    /** OkHttp 5 over TLS, its default protocols (h2 by ALPN), pool and dispatcher as {@link #OKHTTP}. */
    public static final String OKHTTP_H2 = "okhttp-h2";
    /** The JDK HttpClient asking for HTTP/2 over TLS. */
    public static final String JDK_H2 = "jdk-h2";
    /** Jetty 12 HttpClient on its HTTP/2 transport over TLS. */
    public static final String JETTY_H2 = "jetty-h2";

    /** The clients of the HTTP/2 points ({@code bench/run.sh --http2}), in report order. */
    public static final List<String> HTTP2 = List.of(ROUNDTRIP_H2, ROUNDTRIP_H1_TLS, OKHTTP_H2, JETTY_H2, JDK_H2);

    /** Every client name, in report order. */
    public static final List<String> ALL = List.of(ROUNDTRIP, ROUNDTRIP_NO_READ_TIMEOUTS, OKHTTP, APACHE, JDK, JETTY,
            ROUNDTRIP_H2, ROUNDTRIP_H1_TLS, OKHTTP_H2, JETTY_H2, JDK_H2);

    /** The {@code Response.protocol()} every response of {@link #ROUNDTRIP_H2} must have. */
    static final String HTTP2_PROTOCOL = "HTTP/2.0";

    private Clients() {
    }

    /** Returns roundtrip's defaults with the idle caps at least {@code concurrency}. */
    public static TransportConfig sized(int concurrency) {
        if (concurrency <= TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST) {
            return TransportConfig.defaults();
        }
        return TransportConfig.builder()
                .maxIdleConns(Math.max(TransportConfig.DEFAULT_MAX_IDLE_CONNS, concurrency))
                .maxIdleConnsPerHost(concurrency)
                .build();
    }

    /**
     * Opens client {@code name} set up for {@code concurrency} workers; the TLS clients trust the CA
     * of the system property {@link PeerTls#CA_PROPERTY}.
     */
    public static PeerClient open(String name, int concurrency) throws Exception {
        return open(name, concurrency, HTTP2.contains(name) ? PeerTls.fromSystemProperty() : null);
    }

    /** Opens client {@code name} set up for {@code concurrency} workers; the TLS clients trust {@code tls}. */
    public static PeerClient open(String name, int concurrency, PeerTls tls) throws Exception {
        switch (name) {
            case ROUNDTRIP:
                return new RoundtripPeer(sized(concurrency));
            case ROUNDTRIP_NO_READ_TIMEOUTS:
                return new RoundtripPeer(TransportConfig.builder()
                        .responseHeaderTimeout(Duration.ZERO)
                        .readTimeout(Duration.ZERO)
                        .build());
            case OKHTTP:
                return new OkHttpPeer(concurrency);
            case APACHE:
                return new ApachePeer(concurrency);
            case JDK:
                return new JdkPeer();
            case JETTY:
                return new JettyPeer(concurrency);
            case ROUNDTRIP_H2:
                return new RoundtripPeer(TransportConfig.builder().sslContext(PeerTls.require(tls, name).context())
                        .build(), HTTP2_PROTOCOL);
            case ROUNDTRIP_H1_TLS:
                return new RoundtripPeer(sized(concurrency).toBuilder().sslContext(PeerTls.require(tls, name).context())
                        .protocols(Protocol.HTTP_1_1).build(), "HTTP/1.1");
            case OKHTTP_H2:
                return new OkHttpPeer(concurrency, PeerTls.require(tls, name));
            case JDK_H2:
                return new JdkPeer(PeerTls.require(tls, name));
            case JETTY_H2:
                return new JettyPeer(concurrency, PeerTls.require(tls, name));
            default:
                throw new IllegalArgumentException("unknown client " + name + "; known: " + ALL);
        }
    }
}
