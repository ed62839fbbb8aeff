package dev.roundtrip.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.logging.LoggingRoundTripper.Level;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Defaults, validation, toBuilder, and the module's boundary; no network. */
class BuilderTest {
    private static final RoundTripper OK = r -> Response.builder().request(r).body(new byte[] {'o', 'k'}).build();

    @Test
    void defaults() {
        LoggingRoundTripper rt = LoggingRoundTripper.builder(OK).build();
        assertThat(rt.level()).isEqualTo(Level.BASIC).isEqualTo(LoggingRoundTripper.DEFAULT_LEVEL);
        assertThat(rt.maxBodyBytes()).isEqualTo(4096).isEqualTo(LoggingRoundTripper.DEFAULT_MAX_BODY_BYTES);
        assertThat(rt.redactedHeaders()).containsExactlyInAnyOrderElementsOf(
                LoggingRoundTripper.DEFAULT_REDACTED_HEADERS);
        assertThat(rt.toString()).contains("BASIC", "logger dev.roundtrip.logging at INFO");
    }

    @Test
    void invalidSettingsAreRejected() {
        LoggingRoundTripper.Builder b = LoggingRoundTripper.builder(OK);
        assertThatThrownBy(() -> b.maxBodyBytes(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> b.redactHeader(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.level(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LoggingRoundTripper.builder(null)).isInstanceOf(NullPointerException.class);
        assertThat(b.maxBodyBytes(0).build().maxBodyBytes()).isZero();
    }

    @Test
    void toBuilderKeepsEverySettingAndTheSink() throws Exception {
        List<String> out = new ArrayList<>();
        LoggingRoundTripper first = LoggingRoundTripper.builder(OK).level(Level.HEADERS).maxBodyBytes(10)
                .redactHeader("X-Secret").sink(out::add).build();
        LoggingRoundTripper second = first.toBuilder().level(Level.BODY).build();
        assertThat(second.level()).isEqualTo(Level.BODY);
        assertThat(first.level()).isEqualTo(Level.HEADERS);
        assertThat(second.maxBodyBytes()).isEqualTo(10);
        assertThat(second.redactedHeaders()).contains("X-Secret");
        try (Response r = second.roundTrip(dev.roundtrip.Request.get("http://127.0.0.1:9/"))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(out).map(m -> LoggingTestSupport.normalize(m, "http://127.0.0.1:9"))
                .as("a response not from the network has no phases").containsExactly(
                        "--> GET http://HOST/",
                        "<-- 200 OK http://HOST/ (X ms, 2-byte body)",
                        "[2-byte body omitted: no Content-Type]\n<-- END 200 http://HOST/ (2-byte body, X ms total)");
    }

    @Test
    void aNullResponseFromBelowIsNamed() {
        LoggingRoundTripper rt = LoggingRoundTripper.builder(r -> null).sink(m -> { }).build();
        assertThatThrownBy(() -> rt.roundTrip(dev.roundtrip.Request.get("http://127.0.0.1:9/n")))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("returned null for GET");
    }

    @Test
    void theModuleExportsOnlyItsPackageAndNeedsOnlyCore() {
        Path classes = Path.of(LoggingRoundTripper.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        ModuleDescriptor d = ModuleFinder.of(classes).find("dev.roundtrip.logging").orElseThrow().descriptor();
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source)).containsExactly("dev.roundtrip.logging");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("dev.roundtrip", "java.base");
        assertThat(d.packages()).containsExactly("dev.roundtrip.logging");
    }
}
