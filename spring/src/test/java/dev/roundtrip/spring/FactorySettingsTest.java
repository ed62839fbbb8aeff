package dev.roundtrip.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Client;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.testserver.junit.TestServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.http.HttpMethod;

/** The factory's timeouts land in its Transport's configuration; a given Client is used as it is. */
@ExtendWith(TestServerExtension.class)
class FactorySettingsTest {

    @Test
    void timeoutsAreMappedOntoTheOwnedTransport() throws Exception {
        try (RoundtripClientHttpRequestFactory f = new RoundtripClientHttpRequestFactory()) {
            f.setConnectTimeout(Duration.ofMillis(1500));
            f.setReadTimeout(2500);
            TransportConfig c = ((Transport) f.client().transport()).config();
            assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
            assertThat(c.responseHeaderTimeout()).isEqualTo(Duration.ofMillis(2500));
            assertThat(c.readTimeout()).isEqualTo(Duration.ofMillis(2500));
            assertThat(c.maxIdleConnsPerHost()).isEqualTo(TransportConfig.DEFAULT_MAX_IDLE_CONNS_PER_HOST);
            assertThatThrownBy(() -> f.setReadTimeout(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("set the read timeout before the first request");
        }
    }

    @Test
    void aGivenClientIsUsedAndItsTimeoutsAreItsOwn(TestServer server) throws Exception {
        try (Transport t = Transport.create()) {
            Client client = Client.builder().transport(t).header("X-From", "client").build();
            try (RoundtripClientHttpRequestFactory f = new RoundtripClientHttpRequestFactory(client)) {
                assertThat(f.client()).isSameAs(client);
                assertThatThrownBy(() -> f.setConnectTimeout(Duration.ofSeconds(1)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("set the connect timeout on that Client's TransportConfig");
                try (var resp = f.createRequest(server.url("/x"), HttpMethod.GET).execute()) {
                    assertThat(resp.getStatusCode().value()).isEqualTo(200);
                }
                assertThat(server.takeRequest().header("X-From")).isEqualTo("client");
            }
            assertThat(t.stats().requests()).as("the factory does not close a Transport it did not make")
                    .isEqualTo(1);
            try (var r = Client.builder().transport(t).build().send(dev.roundtrip.Request.get(server.url("/y")))) {
                assertThat(r.status()).isEqualTo(200);
            }
        }
    }
}
