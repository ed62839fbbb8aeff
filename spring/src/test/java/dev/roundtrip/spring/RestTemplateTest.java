package dev.roundtrip.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.testserver.junit.TestServerExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestTemplate;

/** A real RestTemplate on RoundtripClientHttpRequestFactory: GET, POST JSON, PUT, DELETE, reuse. */
@ExtendWith(TestServerExtension.class)
class RestTemplateTest {

    @Test
    void verbsAndJsonThroughRestTemplateOnOneConnection(TestServer server) throws Exception {
        try (RoundtripClientHttpRequestFactory factory = new RoundtripClientHttpRequestFactory()) {
            RestTemplate template = new RestTemplate(factory);
            server.enqueue(ScriptedResponse.status(200).header("Content-Type", "application/json")
                    .body("{\"id\":7}"));
            @SuppressWarnings("unchecked")
            Map<String, Object> got = template.getForObject(server.url("/items/7").toString(), Map.class);
            assertThat(got).containsEntry("id", 7);

            HttpHeaders h = new HttpHeaders();
            h.setContentType(MediaType.APPLICATION_JSON);
            ResponseEntity<String> posted = template.exchange(server.url("/items").toString(), HttpMethod.POST,
                    new HttpEntity<>(Map.of("name", "pen"), h), String.class);
            assertThat(posted.getBody()).isEqualTo("ok");
            template.put(server.url("/items/7").toString(), "renamed");
            template.delete(server.url("/items/7").toString());

            RecordedRequest get = server.takeRequest();
            RecordedRequest post = server.takeRequest();
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.bodyUtf8()).isEqualTo("{\"name\":\"pen\"}");
            assertThat(post.header("Content-Type")).isEqualTo("application/json");
            RecordedRequest put = server.takeRequest();
            assertThat(put.method()).isEqualTo("PUT");
            assertThat(put.bodyUtf8()).isEqualTo("renamed");
            RecordedRequest delete = server.takeRequest();
            assertThat(delete.method()).isEqualTo("DELETE");
            assertThat(server.acceptedConnections()).isEqualTo(1);
            assertThat(delete.clientPort()).isEqualTo(get.clientPort());
        }
    }
}
