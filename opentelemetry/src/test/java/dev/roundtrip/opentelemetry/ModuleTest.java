package dev.roundtrip.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module uses core's exported API and opentelemetry-api only, and exports only its package. */
class ModuleTest {

    @Test
    void theModuleExportsOnlyItsPackageAndNeedsOnlyCoreAndTheOpenTelemetryApi() {
        Path classes = Path.of(OpenTelemetryRoundTripper.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath());
        ModuleDescriptor d = ModuleFinder.of(classes).find("dev.roundtrip.opentelemetry").orElseThrow().descriptor();
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source))
                .containsExactly("dev.roundtrip.opentelemetry");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("dev.roundtrip", "io.opentelemetry.api", "io.opentelemetry.context",
                        "java.base");
        assertThat(d.packages()).containsExactly("dev.roundtrip.opentelemetry");
    }
}
