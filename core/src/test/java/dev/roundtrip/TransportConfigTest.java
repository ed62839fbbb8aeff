package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.trace.ClientTrace;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TransportConfigTest checks that {@code toBuilder()} copies every setting (Go's Transport.Clone):
 * every builder option is set to a value other than its default, and each getter of the copy must
 * return it. A new option without a value here fails the test, so it cannot be forgotten.
 */
class TransportConfigTest {

    /** Returns a non-default value for a builder option taking {@code type}. */
    private static Object valueFor(Method option) throws Exception {
        Class<?> type = option.getParameterTypes()[0];
        if (type == int.class) {
            return 7;
        } else if (type == long.class) {
            return 77L;
        } else if (type == boolean.class) {
            Method getter = TransportConfig.class.getMethod(option.getName());
            return !(Boolean) getter.invoke(TransportConfig.defaults());
        } else if (type == Duration.class) {
            return Duration.ofMillis(1234);
        } else if (type == String.class) {
            return "copied/1";
        } else if (type == Resolver.class) {
            return (Resolver) host -> List.of(InetAddress.getLoopbackAddress());
        } else if (type == ClientTrace.class) {
            return new ClientTrace() { };
        } else if (type == javax.net.ssl.SSLContext.class) {
            return javax.net.ssl.SSLContext.getInstance("TLS");
        } else if (type == ProxyPolicy.class) {
            return ProxyPolicy.fixed(URI.create("http://127.0.0.1:3128"));
        } else if (type == DialTarget.class) {
            return (DialTarget) (host, port) -> null;
        } else if (type == ConnectionListener.class) {
            return new ConnectionListener() { };
        } else if (type == Headers.class) {
            return Headers.of("X-Copied", "1");
        } else if (type == java.util.Set.class) {
            return java.util.Set.of(Protocol.H2C);
        } else if (type == Http2Config.class) {
            return Http2Config.builder().maxConcurrentStreams(7).build();
        }
        throw new AssertionError("TransportConfigTest has no value for option " + option.getName() + "(" + type + ")");
    }

    @Test
    void toBuilderCopiesEverySetting() throws Exception {
        TransportConfig.Builder b = TransportConfig.builder();
        int options = 0;
        for (Method m : TransportConfig.Builder.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 1
                    && m.getReturnType() == TransportConfig.Builder.class) {
                m.invoke(b, valueFor(m));
                options++;
            }
        }
        TransportConfig changed = b.build();
        TransportConfig defaults = TransportConfig.defaults();
        TransportConfig copy = changed.toBuilder().build();
        int compared = 0;
        for (Method m : TransportConfig.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 0 && !m.getName().equals("toBuilder")
                    && !m.getName().equals("toString") && !m.getName().equals("hashCode")) {
                assertThat(m.invoke(changed)).as("%s was set to a non-default value", m.getName())
                        .isNotEqualTo(m.invoke(defaults));
                assertThat(m.invoke(copy)).as("%s copied by toBuilder()", m.getName()).isEqualTo(m.invoke(changed));
                compared++;
            }
        }
        assertThat(options).isGreaterThan(25);
        assertThat(compared).isEqualTo(options);
    }

    @Test
    void negativeExpectContinueTimeoutIsRejected() {
        assertThatThrownBy(() -> TransportConfig.builder().expectContinueTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectContinueTimeout");
    }
}
