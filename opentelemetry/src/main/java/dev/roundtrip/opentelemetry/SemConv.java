package dev.roundtrip.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * SemConv holds the attribute keys, metric names and bucket boundaries this module emits: those of
 * the stable HTTP client semantic conventions (spelled out here rather than taken from the
 * {@code opentelemetry-semconv} artifact, so the module depends on {@code opentelemetry-api} only),
 * and roundtrip's own, all under the {@code roundtrip.} prefix.
 */
final class SemConv {
    private SemConv() {
    }

    // Stable HTTP client span and metric attributes.
    static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
    static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> HTTP_REQUEST_RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> NETWORK_PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> NETWORK_PEER_ADDRESS = AttributeKey.stringKey("network.peer.address");
    static final AttributeKey<Long> NETWORK_PEER_PORT = AttributeKey.longKey("network.peer.port");
    static final AttributeKey<Long> NETWORK_LOCAL_PORT = AttributeKey.longKey("network.local.port");
    static final AttributeKey<String> HTTP_CONNECTION_STATE = AttributeKey.stringKey("http.connection.state");
    static final AttributeKey<String> DNS_QUESTION_NAME = AttributeKey.stringKey("dns.question.name");
    static final AttributeKey<String> TLS_PROTOCOL_VERSION = AttributeKey.stringKey("tls.protocol.version");
    static final AttributeKey<String> TLS_CIPHER = AttributeKey.stringKey("tls.cipher");

    // roundtrip's own attributes.
    static final AttributeKey<Boolean> CONNECTION_REUSED = AttributeKey.booleanKey("roundtrip.connection.reused");
    static final AttributeKey<Boolean> CONNECTION_WAS_IDLE = AttributeKey.booleanKey("roundtrip.connection.was_idle");
    static final AttributeKey<Double> CONNECTION_IDLE_TIME = AttributeKey.doubleKey("roundtrip.connection.idle_time");
    static final AttributeKey<Boolean> RESPONSE_LEAKED = AttributeKey.booleanKey("roundtrip.response.leaked");
    static final AttributeKey<String> CONNECTION_CLOSE_REASON = AttributeKey.stringKey("roundtrip.connection.close_reason");

    // Metric names: the conventions' where they exist, else under roundtrip.
    static final String REQUEST_DURATION = "http.client.request.duration";
    static final String ACTIVE_REQUESTS = "http.client.active_requests";
    static final String OPEN_CONNECTIONS = "http.client.open_connections";
    static final String CONNECTION_DURATION = "http.client.connection.duration";
    static final String DNS_LOOKUP_DURATION = "dns.lookup.duration";
    static final String CONNECTION_WAIT_DURATION = "roundtrip.http.client.connection_wait.duration";
    static final String CONNECT_DURATION = "roundtrip.http.client.connect.duration";
    static final String TLS_HANDSHAKE_DURATION = "roundtrip.http.client.tls_handshake.duration";
    static final String TIME_TO_FIRST_BYTE = "roundtrip.http.client.time_to_first_byte";

    /** The bucket boundaries the conventions advise for {@code http.client.request.duration}, in seconds. */
    static final List<Double> REQUEST_DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    /**
     * The bucket boundaries of the phase histograms, in seconds: the request's, with 1 ms and 2.5 ms
     * in front, since a phase is a part of a request (a DNS lookup or a connect on a LAN takes a few
     * milliseconds; the request's first bucket, 5 ms, would hold them all).
     */
    static final List<Double> PHASE_BUCKETS = List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
            0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    /**
     * The bucket boundaries of {@code http.client.connection.duration}, in seconds: 10 ms to 5
     * minutes, since a connection lives from one short exchange (a {@code Connection: close}) to
     * many requests followed by the idle timeout (30 s by default), or longer under steady traffic.
     */
    static final List<Double> CONNECTION_DURATION_BUCKETS = List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0,
            10.0, 30.0, 60.0, 120.0, 300.0);

    /** The {@code error.type} of a response whose body was never closed nor read to its end. */
    static final String LEAKED_ERROR_TYPE = "response_body_leaked";
}
