package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compiled {@code module-info} exports the API packages only ({@code dev.pool4j}, {@code
 * dev.pool4j.progress} and {@code dev.pool4j.spi}, for backend authors), to everyone, opens
 * nothing, and requires nothing but {@code java.base} at run time ({@code jdk.jfr} and Error
 * Prone's annotations statically). The tests run on the class path, so this reads the descriptor
 * itself.
 */
class ModuleExportsTest {

  private static Path classes() throws URISyntaxException {
    return Path.of(Pool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
    try (InputStream in = Files.newInputStream(classes().resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void theModuleExportsTheApiPackagesOnly() throws Exception {
    ModuleDescriptor module = descriptor();
    Set<String> api = new HashSet<>(Set.of("dev.pool4j", "dev.pool4j.progress", "dev.pool4j.spi"));

    assertThat(module.name()).isEqualTo("dev.pool4j");
    assertThat(module.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrderElementsOf(api);
    assertThat(module.exports())
        .as("exported to everyone, not to chosen modules")
        .noneMatch(ModuleDescriptor.Exports::isQualified);
    assertThat(module.isOpen()).isFalse();
    assertThat(module.opens()).isEmpty();
  }

  /**
   * {@code java.base}; and statically (so not at run time): {@code jdk.jfr}, for the flight
   * recorder events (a run-time image without it still runs the library, with the events off), and
   * {@code com.google.errorprone.annotations}, for {@code @GuardedBy}, which Error Prone checks
   * when the library compiles (CLASS retention: the class is never loaded at run time; {@code
   * ArchitectureTest} checks that nothing else of it is used).
   */
  @Test
  void theModuleRequiresOnlyJavaBaseAndStaticallyTheFlightRecorderAndTheLockAnnotations()
      throws Exception {
    assertThat(
            descriptor().requires().stream()
                .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .containsExactly("java.base");
    assertThat(
            descriptor().requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("jdk.jfr", "com.google.errorprone.annotations");
  }
}
