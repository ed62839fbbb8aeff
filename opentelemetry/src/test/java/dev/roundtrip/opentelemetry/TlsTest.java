package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Transport;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A new TLS connection: the handshake is a span beneath the wait, after the connect, and a histogram. */
class TlsTest extends OtelTestSupport {

    @Test
    void aNewTlsConnectionShowsTheHandshakeAfterTheConnect() throws Exception {
        try (TestServer tls = TestServer.startTls(TestCertificates.serverContext());
             Transport t = Transport.create(config().sslContext(TestCertificates.clientTrustingCa()).build())) {
            URI uri = URI.create("https://target.test:" + tls.port() + "/secure");
            assertThat(get(OpenTelemetryRoundTripper.create(otel, t), uri)).isEqualTo("ok");
            SpanData get = only("GET");
            assertThat(attr(get, SemConv.SERVER_PORT)).isEqualTo(tls.port());
            assertThat(tls.takeRequest().header("traceparent")).isEqualTo(traceparent(get));
            SpanData wait = only(ConnectionTrace.WAIT_SPAN);
            List<SpanData> dial = children(wait);
            assertThat(dial).extracting(SpanData::getName).containsExactly(ConnectionTrace.DNS_SPAN,
                    ConnectionTrace.CONNECT_SPAN, ConnectionTrace.TLS_SPAN);
            SpanData handshake = dial.get(2);
            assertThat(attr(handshake, SemConv.TLS_PROTOCOL_VERSION)).isIn("1.2", "1.3");
            assertThat(attr(handshake, SemConv.TLS_CIPHER)).startsWith("TLS_");
            assertThat(dial.get(1).getEndEpochNanos()).isLessThanOrEqualTo(handshake.getStartEpochNanos());
            assertNested(wait, handshake);
            assertNested(get, wait);

            List<HistogramPointData> handshakes = histogram(SemConv.TLS_HANDSHAKE_DURATION);
            assertThat(handshakes).singleElement().satisfies(p -> {
                assertThat(p.getCount()).isEqualTo(1);
                assertThat(p.getAttributes().get(SemConv.SERVER_ADDRESS)).isEqualTo("target.test");
                assertThat(p.getAttributes().get(SemConv.TLS_PROTOCOL_VERSION))
                        .isEqualTo(attr(handshake, SemConv.TLS_PROTOCOL_VERSION));
                assertThat(p.getSum()).isEqualTo((handshake.getEndEpochNanos() - handshake.getStartEpochNanos()) / 1e9);
            });
        }
    }
}
