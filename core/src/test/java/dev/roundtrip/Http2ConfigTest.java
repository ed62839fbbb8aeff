package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Http2ConfigTest checks the protocol choice and the HTTP/2 options: defaults, ranges, copies. */
class Http2ConfigTest {
    @Test
    void defaultsAreHttp11AndHttp2WithGoLikeLimits() {
        TransportConfig c = TransportConfig.defaults();
        assertThat(c.protocols()).containsExactlyInAnyOrder(Protocol.HTTP_1_1, Protocol.HTTP_2);
        Http2Config h = c.http2();
        assertThat(h.maxConcurrentStreams()).isEqualTo(1000);
        assertThat(h.initialStreamWindow()).isEqualTo(4 << 20);
        assertThat(h.initialConnectionWindow()).isEqualTo(1 << 30);
        assertThat(h.maxFrameSize()).isEqualTo(16384);
        assertThat(h.maxHeaderListSize()).isZero();
        assertThat(h.readIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(h.pingTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(h.strictMaxConcurrentStreams()).isFalse();
    }

    @Test
    void protocolsAreCopiedAndNeverEmpty() {
        TransportConfig c = TransportConfig.builder().protocols(Protocol.HTTP_2, Protocol.H2C).build();
        assertThat(c.protocols()).containsExactlyInAnyOrder(Protocol.HTTP_2, Protocol.H2C);
        assertThat(c.toBuilder().build().protocols()).isEqualTo(c.protocols());
        assertThatThrownBy(() -> c.protocols().add(Protocol.HTTP_1_1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> TransportConfig.builder().protocols(Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThat(Protocol.HTTP_2.id()).isEqualTo("h2");
        assertThat(Protocol.HTTP_1_1.id()).isEqualTo("http/1.1");
    }

    @Test
    void outOfRangeValuesAreRefusedByName() {
        assertThatThrownBy(() -> Http2Config.builder().maxConcurrentStreams(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentStreams");
        assertThatThrownBy(() -> Http2Config.builder().initialStreamWindow(65534).build())
                .hasMessageContaining("initialStreamWindow");
        assertThatThrownBy(() -> Http2Config.builder().initialConnectionWindow(1).build())
                .hasMessageContaining("initialConnectionWindow");
        assertThatThrownBy(() -> Http2Config.builder().maxFrameSize(1 << 24).build()).hasMessageContaining("maxFrameSize");
        assertThatThrownBy(() -> Http2Config.builder().maxFrameSize(16383).build()).hasMessageContaining("maxFrameSize");
        assertThatThrownBy(() -> Http2Config.builder().maxHeaderListSize(-1).build())
                .hasMessageContaining("maxHeaderListSize");
        assertThatThrownBy(() -> Http2Config.builder().pingTimeout(Duration.ZERO).build())
                .hasMessageContaining("pingTimeout");
        assertThatThrownBy(() -> Http2Config.builder().readIdleTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("readIdleTimeout");
        assertThat(Http2Config.builder().readIdleTimeout(Duration.ZERO).build().readIdleTimeout()).isZero();
    }

    @Test
    void toBuilderCopiesEveryHttp2Option() {
        Http2Config c = Http2Config.builder().maxConcurrentStreams(3).initialStreamWindow(70000)
                .initialConnectionWindow(80000).maxFrameSize(20000).maxHeaderListSize(9000)
                .readIdleTimeout(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(2))
                .strictMaxConcurrentStreams(true).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c).isNotEqualTo(Http2Config.defaults());
    }
}
