package dev.pool4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the tests' cross-process helpers ({@link Gate}, {@link Marks}) keep their state: one
 * owner-only temporary folder per test JVM, deleted when that JVM exits. A task that runs in a
 * worker JVM or on a cluster member of this machine reaches the same files by their path, so a test
 * sees what its tasks did whatever the backend.
 */
final class Shared {

  private static Path root;

  private Shared() {}

  /** A fresh empty folder under the test JVM's root. */
  static synchronized String newFolder(String prefix) {
    try {
      if (root == null) {
        root = Files.createTempDirectory("pool4j-test-shared");
        Path r = root;
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> delete(r), "pool4j-test-shared-cleanup"));
      }
      return Files.createTempDirectory(root, prefix).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path path(String folder, String name) {
    return Paths.get(folder, name);
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort at exit
    }
  }
}
