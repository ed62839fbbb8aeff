package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TransportConfigTest checks that {@code toBuilder()} copies every setting (Go's Transport.Clone). */
class TransportConfigTest {

    @Test
    void toBuilderCopiesEverySetting() throws Exception {
        TransportConfig changed = TransportConfig.builder().maxIdleConnsPerHost(7).maxIdleConns(9).maxConnsPerHost(3)
                .idleConnTimeout(Duration.ofSeconds(3)).connectTimeout(Duration.ofSeconds(4))
                .expectContinueTimeout(Duration.ofMillis(5)).disableCompression(true).leakTracing(true)
                .userAgent("ua/1").build();
        TransportConfig copy = changed.toBuilder().build();
        int compared = 0;
        for (Method m : TransportConfig.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 0 && !m.getName().equals("toBuilder")
                    && !m.getName().equals("toString") && !m.getName().equals("hashCode")) {
                assertThat(m.invoke(copy)).as(m.getName()).isEqualTo(m.invoke(changed));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(25);
        assertThat(copy.expectContinueTimeout()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void negativeExpectContinueTimeoutIsRejected() {
        assertThatThrownBy(() -> TransportConfig.builder().expectContinueTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectContinueTimeout");
    }
}
