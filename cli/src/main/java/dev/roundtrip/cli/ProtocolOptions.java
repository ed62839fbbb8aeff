package dev.roundtrip.cli;

import dev.roundtrip.Protocol;
import dev.roundtrip.TransportConfig;
import java.io.PrintStream;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * ProtocolOptions are the options of {@code get} and {@code bench} that choose the HTTP version,
 * with curl's names and meaning; as in curl they exclude each other and the last one given wins.
 * {@link #apply} puts the choice into a Transport's configuration as {@link Protocol}s:
 * <ul>
 *   <li>none, or {@code --http2}: {@link TransportConfig#DEFAULT_PROTOCOLS} (HTTP/1.1 and HTTP/2):
 *       https offers {@code h2} and {@code http/1.1} by ALPN and the server chooses; http uses
 *       HTTP/1.1 (curl's {@code --http2} would try {@code Upgrade: h2c} there, which roundtrip
 *       does not do: RFC 9113 §3.1 deprecates it; {@link #warnings} says so);</li>
 *   <li>{@code --http1.1}: HTTP/1.1 only (ALPN offers {@code http/1.1} alone);</li>
 *   <li>{@code --http2-prior-knowledge}: http speaks HTTP/2 from the first byte ({@link Protocol#H2C});
 *       https still negotiates by ALPN, as curl does.</li>
 * </ul>
 */
final class ProtocolOptions {
    /** Version is the choice the options made. */
    enum Version {
        /** No option: the Transport's default protocols. */
        DEFAULT,
        /** {@code --http1.1}. */
        HTTP1_1,
        /** {@code --http2}. */
        HTTP2,
        /** {@code --http2-prior-knowledge}. */
        HTTP2_PRIOR_KNOWLEDGE
    }

    /** What the options chose: the last one given. */
    Version version = Version.DEFAULT;

    @Option(names = "--http1.1", description = "Use HTTP/1.1 only (https: ALPN offers http/1.1 alone).")
    void http11(boolean on) {
        version = on ? Version.HTTP1_1 : Version.DEFAULT;
    }

    @Option(names = "--http2",
            description = "Use HTTP/2 where the server agrees: https offers h2 and http/1.1 by ALPN (the default); an"
                    + " http:// URL stays HTTP/1.1 (no Upgrade: h2c; see --http2-prior-knowledge).")
    void http2(boolean on) {
        version = on ? Version.HTTP2 : Version.DEFAULT;
    }

    @Option(names = "--http2-prior-knowledge",
            description = "Speak HTTP/2 to http:// URLs from the first byte (h2c; the server must speak it); https"
                    + " still negotiates by ALPN.")
    void http2PriorKnowledge(boolean on) {
        version = on ? Version.HTTP2_PRIOR_KNOWLEDGE : Version.DEFAULT;
    }

    /** Returns the protocols the choice stands for. */
    Set<Protocol> protocols() {
        switch (version) {
            case HTTP1_1:
                return EnumSet.of(Protocol.HTTP_1_1);
            case HTTP2_PRIOR_KNOWLEDGE:
                return EnumSet.of(Protocol.HTTP_1_1, Protocol.HTTP_2, Protocol.H2C);
            default:
                return TransportConfig.DEFAULT_PROTOCOLS;
        }
    }

    /** Sets the chosen protocols on {@code b}. */
    TransportConfig.Builder apply(TransportConfig.Builder b) {
        return b.protocols(protocols());
    }

    /** Returns true when plain-http requests speak HTTP/2 (prior knowledge). */
    boolean h2c() {
        return version == Version.HTTP2_PRIOR_KNOWLEDGE;
    }

    /**
     * Warns on {@code warnings} (null: -s) when the choice does not do what curl's would for
     * {@code target}: {@code --http2} on an http:// URL speaks HTTP/1.1 here.
     */
    void warnings(URI target, PrintStream warnings) {
        if (warnings != null && version == Version.HTTP2 && "http".equalsIgnoreCase(target.getScheme())) {
            warnings.println("roundtrip: warning: --http2 on an http:// URL uses HTTP/1.1: roundtrip does not send"
                    + " Upgrade: h2c (RFC 9113 deprecates it); for HTTP/2 without TLS use --http2-prior-knowledge");
        }
    }

    /**
     * Returns how {@code protocol}, a {@link dev.roundtrip.Response#protocol()}, is written in curl's
     * output: {@code HTTP/2} for {@code HTTP/2.0}, else unchanged.
     */
    static String curlName(String protocol) {
        return "HTTP/2.0".equals(protocol) ? "HTTP/2" : protocol;
    }
}
