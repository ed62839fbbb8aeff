package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Only the API packages are exported; core needs nothing but java.base. */
class ModuleBoundaryTest {
    @Test
    void exportsOnlyTheApiPackages() {
        Path classes = Path.of(Transport.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        ModuleReference ref = ModuleFinder.of(classes).find("dev.roundtrip").orElseThrow();
        ModuleDescriptor d = ref.descriptor();
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exported).containsExactlyInAnyOrder("dev.roundtrip", "dev.roundtrip.error", "dev.roundtrip.trace");
        assertThat(d.packages()).contains("dev.roundtrip.internal.pool", "dev.roundtrip.internal.wire",
                "dev.roundtrip.internal.conn", "dev.roundtrip.internal.dial", "dev.roundtrip.internal.util",
                "dev.roundtrip.internal.transport", "dev.roundtrip.internal.client", "dev.roundtrip.internal.proxy",
                "dev.roundtrip.internal.url");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name)).containsExactly("java.base");
    }
}
