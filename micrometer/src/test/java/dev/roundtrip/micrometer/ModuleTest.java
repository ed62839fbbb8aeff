package dev.roundtrip.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module uses core's exported API and Micrometer only, and exports only its package. */
class ModuleTest {

    @Test
    void theModuleExportsOnlyItsPackageAndNeedsOnlyCoreAndMicrometer() {
        Path classes = Path.of(ObservationRoundTripper.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath());
        ModuleDescriptor d = ModuleFinder.of(classes).find("dev.roundtrip.micrometer").orElseThrow().descriptor();
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source)).containsExactly("dev.roundtrip.micrometer");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("dev.roundtrip", "micrometer.observation", "micrometer.commons",
                        "micrometer.core", "java.base");
        assertThat(d.packages()).containsExactly("dev.roundtrip.micrometer");
    }
}
