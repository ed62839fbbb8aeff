package dev.roundtrip.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The raw floor reads the two framings the benchmark server sends, reuses its socket, and refuses the rest. */
class RawPeerTest {
    @Test
    void readsContentLengthAndChunkedResponsesOnOneConnection() throws Exception {
        try (TestServer server = TestServer.start(); RawPeer raw = new RawPeer()) {
            server.enqueue(ScriptedResponse.status(200).body("Hello, world!"));
            server.enqueue(ScriptedResponse.status(200).body("Hello, world!\n").chunked(4));
            assertThat(raw.get(server.url("/"), null)).isGreaterThan(13);
            assertThat(raw.get(server.url("/hold"), null)).isGreaterThan(14);
            assertThat(raw.dials()).isEqualTo(1);
            assertThat(server.acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void aStatusOtherThan200IsAnError() throws Exception {
        try (TestServer server = TestServer.start(); RawPeer raw = new RawPeer()) {
            server.enqueue(ScriptedResponse.status(404).body("no"));
            assertThatThrownBy(() -> raw.get(server.url("/"), null)).isInstanceOf(IOException.class)
                    .hasMessageContaining("404");
        }
    }
}
