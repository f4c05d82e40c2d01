package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.internal.process.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes of a pool with a task timeout write their class-data sharing archive too. Their
 * results are read with deadlines, and the thread that reads them used to kill the process the
 * moment the pool stopped it, before its JVM could write the archive as it exited.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClassDataSharingTimeoutTest {

  @TempDir Path dir;

  @Test
  void workersWithATaskTimeoutWriteTheArchiveWhenThePoolIsClosedAndJoined() throws Exception {
    Path cache = dir.resolve("cache");
    String out = run(jars(), CdsMainTimeout.class, cache.toString());
    assertThat(out).contains("sum 328350");
    String line =
        out.lines()
            .filter(l -> l.startsWith("archive "))
            .findFirst()
            .orElseThrow(() -> new AssertionError(out));
    Path archive = Path.of(line.substring("archive ".length()));
    assertThat(archive).as(out).isRegularFile();
    assertThat(Files.size(archive)).isPositive();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)))
        .isEqualTo("rw-------");
    try (Stream<Path> s = Files.list(cache)) {
      // nothing left half-written
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactly(archive.getFileName().toString());
    }
  }

  /** Runs {@code main} on a class path of {@code jars}; returns its output, stdout and stderr. */
  private static String run(List<Path> jars, Class<?> main, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command =
        Stream.concat(
                Stream.of(
                    java,
                    "-cp",
                    jars.stream()
                        .map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator)),
                    main.getName()),
                Stream.of(args))
            .collect(Collectors.toList());
    Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(parent.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
      assertThat(parent.exitValue()).as(out).isZero();
      return out;
    } finally {
      parent.destroyForcibly();
      parent.waitFor();
    }
  }

  /** pool4j-core's classes and the parent, each in a jar, as an application ships. */
  private List<Path> jars() throws Exception {
    Path core =
        Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path tests =
        Path.of(CdsMainTimeout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path coreJar = dir.resolve("pool4j-core.jar");
    Path appJar = dir.resolve("app.jar");
    jar(core, coreJar, "");
    String pkg = CdsMainTimeout.class.getPackageName().replace('.', '/') + "/";
    jar(tests, appJar, pkg + "CdsMainTimeout", pkg + "Internals");
    return List.of(coreJar, appJar);
  }

  /** A jar of the files under {@code root} whose names start with one of {@code prefixes}. */
  private static void jar(Path root, Path jar, String... prefixes) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        String name = root.relativize(p).toString().replace(File.separatorChar, '/');
        if (Stream.of(prefixes).anyMatch(name::startsWith)) {
          out.putNextEntry(new JarEntry(name));
          Files.copy(p, out);
          out.closeEntry();
        }
      }
    }
  }
}
