package dev.roundtrip.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The server needs the JDK only: JUnit is a static (optional) requirement, for the extension's
 * package alone, and the server's package refers to no JUnit type.
 */
class ModuleTest {
  @Test
  void junitIsOptionalAndOnlyTheExtensionUsesIt() throws Exception {
    Path classes =
        Path.of(TestServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d = ModuleFinder.of(classes).find("dev.roundtrip.testserver").orElseThrow()
        .descriptor();
    Set<String> required = d.requires().stream()
        .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
        .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
    assertThat(required).containsExactly("java.base");
    assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name))
        .contains("org.junit.jupiter.api");
    try (var files = java.nio.file.Files.list(classes.resolve("dev/roundtrip/testserver"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
        String bytes = new String(java.nio.file.Files.readAllBytes(f),
            java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(bytes).as("%s refers to JUnit", f.getFileName()).doesNotContain("org/junit");
      }
    }
  }
}
