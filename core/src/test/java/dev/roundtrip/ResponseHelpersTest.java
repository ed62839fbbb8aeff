package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.ScriptedResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Response#isSuccessful and the charset bodyString decodes with, on responses read off the wire. */
class ResponseHelpersTest extends TransportTestSupport {

    @ParameterizedTest
    @CsvSource({"200, true", "204, true", "299, true", "300, false", "404, false", "500, false"})
    void isSuccessfulMeans2xx(int status, boolean successful) throws Exception {
        server.enqueue(ScriptedResponse.status(status));
        try (Response r = transport.roundTrip(Request.get(server.url("/")))) {
            assertThat(r.isSuccessful()).isEqualTo(successful);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain; charset=ISO-8859-1", "text/plain;charset=\"iso-8859-1\"",
        "text/html; Charset=latin1; q=1"})
    void bodyStringHonoursTheCharsetParameter(String contentType) throws Exception {
        byte[] latin1 = "café, naïve".getBytes(StandardCharsets.ISO_8859_1);
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", contentType).body(latin1));
        try (Response r = transport.roundTrip(Request.get(server.url("/")))) {
            assertThat(r.bodyString()).isEqualTo("café, naïve");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "application/json", "text/plain; charset=no-such-charset", "text/plain; charset="})
    void bodyStringIsUtf8WithoutAKnownCharset(String contentType) throws Exception {
        ScriptedResponse resp = ScriptedResponse.status(200).body("Zoë ✓".getBytes(StandardCharsets.UTF_8));
        server.enqueue(contentType.isEmpty() ? resp : resp.header("Content-Type", contentType));
        try (Response r = transport.roundTrip(Request.get(server.url("/")))) {
            assertThat(r.bodyString()).isEqualTo("Zoë ✓");
        }
    }
}
