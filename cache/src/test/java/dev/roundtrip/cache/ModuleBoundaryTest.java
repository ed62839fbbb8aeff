package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The cache exports only its API package and needs nothing but core (whose API it uses) and java.base. */
class ModuleBoundaryTest {
    @Test
    void exportsOnlyTheApiPackageAndRequiresOnlyCore() {
        Path classes = Path.of(CachingRoundTripper.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        ModuleReference ref = ModuleFinder.of(classes).find("dev.roundtrip.cache").orElseThrow();
        ModuleDescriptor d = ref.descriptor();
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exported).containsExactly("dev.roundtrip.cache");
        assertThat(d.packages()).containsExactlyInAnyOrder("dev.roundtrip.cache", "dev.roundtrip.cache.internal");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name))
                .containsExactlyInAnyOrder("dev.roundtrip", "java.base");
    }
}
