package dev.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.testserver.junit.TestServerExtension;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's test-server example ("The test server in your own tests"), run as written. */
@ExtendWith(TestServerExtension.class)
class ReadmeTestServerExampleTest {
    /** The user's code of the example: a small API client on roundtrip. */
    static final class WeatherClient {
        private final String base;
        private final String key;
        private final Client client = Client.create();

        WeatherClient(String base, String key) {
            this.base = base;
            this.key = key;
        }

        String sky(String city) throws IOException {
            Request req = Request.newBuilder(UrlBuilder.of(base).addPathSegment("forecast")
                    .addQueryParameter("city", city).build()).header("X-Api-Key", key).build();
            try (Response r = client.send(req)) {
                if (!r.isSuccessful()) {
                    throw new IOException("forecast failed: " + r.status());
                }
                String json = r.bodyString();
                return json.substring(json.indexOf(":\"") + 2, json.lastIndexOf('"'));
            }
        }
    }

    @Test
    void sendsTheKeyAndReadsTheForecast(TestServer server) throws Exception {   // one server per test
        server.enqueue(ScriptedResponse.status(200)
                .header("Content-Type", "application/json").body("{\"sky\":\"clear\"}"));
        server.enqueue(ScriptedResponse.status(503).closeAfter());             // then a failure

        WeatherClient weather = new WeatherClient(server.url("/").toString(), "k-123"); // your code
        assertEquals("clear", weather.sky("Oslo"));

        RecordedRequest r = server.takeRequest();
        assertEquals("/forecast?city=Oslo", r.target());
        assertEquals("k-123", r.header("X-Api-Key"));
        assertThrows(IOException.class, () -> weather.sky("Bergen"));
    }
}
