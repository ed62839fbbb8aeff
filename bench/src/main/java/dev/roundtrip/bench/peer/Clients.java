package dev.roundtrip.bench.peer;

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

    /** Every client name, in report order. */
    public static final List<String> ALL = List.of(ROUNDTRIP, ROUNDTRIP_NO_READ_TIMEOUTS, OKHTTP, APACHE, JDK, JETTY);

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

    /** Opens client {@code name} set up for {@code concurrency} workers. */
    public static PeerClient open(String name, int concurrency) throws Exception {
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
            default:
                throw new IllegalArgumentException("unknown client " + name + "; known: " + ALL);
        }
    }
}
