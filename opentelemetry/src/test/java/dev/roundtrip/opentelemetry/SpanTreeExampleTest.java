package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.tls.TestCertificates;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Renders the span tree of a request on a new TLS connection (the example in the README) into
 * {@code target/span-tree.txt}, and checks its shape.
 */
class SpanTreeExampleTest extends OtelTestSupport {

    @Test
    void aRequestOnANewTlsConnectionRendersAsATree() throws Exception {
        try (TestServer tls = TestServer.startTls(TestCertificates.serverContext());
             Transport t = Transport.create(config().sslContext(TestCertificates.clientTrustingCa()).build())) {
            try (Transport warm = Transport.create(config().sslContext(TestCertificates.clientTrustingCa()).build())) {
                // a first request not traced, so the JVM's class loading is not in the example
                get(OpenTelemetryRoundTripper.create(otel, warm), URI.create("https://target.test:" + tls.port() + "/"));
            }
            spans.reset();
            tls.enqueue(ScriptedResponse.status(200).body("{\"id\":42}").header("Content-Type", "application/json")
                    .delay(Duration.ofMillis(5)));
            Client client = Client.builder().transport(OpenTelemetryRoundTripper.create(otel, t)).build();
            try (Response r = client.send(Request.get(URI.create("https://target.test:" + tls.port() + "/items/42")))) {
                assertThat(r.bodyString()).isEqualTo("{\"id\":42}");
            }
            SpanData get = only("GET");
            String tree = SpanTree.render(get, finished());
            StringBuilder attrs = new StringBuilder();
            get.getAttributes().forEach((k, v) -> attrs.append(k.getKey()).append('=').append(v).append('\n'));
            Files.writeString(Path.of("target", "span-tree.txt"), tree + "\nGET attributes:\n"
                    + attrs.toString().lines().sorted().map(l -> "  " + l + "\n").reduce("", String::concat),
                    StandardCharsets.UTF_8);
            System.out.print(tree);
            assertThat(tree.lines().map(l -> l.replaceAll("\\s+[0-9.]+ ms.*", "")))
                    .containsExactly("GET", "└─ connection wait", "   ├─ DNS lookup", "   ├─ TCP connect",
                            "   └─ TLS handshake");
        }
    }
}
