package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes start, and run the application's own classes, however the application was
 * launched: from a shaded jar ({@code java -jar}), and the way {@code mvn exec:java} runs it (the
 * application in a class loader of its own, {@code java.class.path} naming something else).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerClassPathTest {

  private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

  @Test
  void workersOfAnApplicationRunFromAShadedJarRunItsClasses(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("app.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ClassPathMain.class.getName());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      addTree(out, location(Pool.class), null);
      addTree(out, location(ClassPathMain.class), classFile(ClassPathMain.class));
    }

    String output = run(dir, JAVA, "-jar", jar.toString());

    assertThat(output).contains("doubled [2, 4, 6]");
  }

  @Test
  void workersOfAnApplicationRunLikeExecJavaRunItsClasses(@TempDir Path dir) throws Exception {
    // The launcher alone on java.class.path, as Maven's own launcher is under exec:java.
    Path launcherDir = dir.resolve("launcher");
    Path launcherClass = launcherDir.resolve(classFile(ExecJavaLauncher.class));
    Files.createDirectories(launcherClass.getParent());
    Files.copy(
        location(ExecJavaLauncher.class).resolve(classFile(ExecJavaLauncher.class)), launcherClass);

    String output =
        run(
            dir,
            JAVA,
            "-cp",
            launcherDir.toString(),
            ExecJavaLauncher.class.getName(),
            ClassPathMain.class.getName(),
            location(Pool.class).toString(),
            location(ClassPathMain.class).toString());

    assertThat(output)
        .doesNotContain("Could not find or load main class")
        .contains("doubled [2, 4, 6]");
  }

  private static String classFile(Class<?> c) {
    return c.getName().replace('.', '/') + ".class";
  }

  /** Adds the files under {@code root} to the jar: all of them, or only {@code only}. */
  private static void addTree(JarOutputStream out, Path root, String only) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
      if (name.startsWith("META-INF/") || (only != null && !name.equals(only))) {
        continue;
      }
      out.putNextEntry(new JarEntry(name));
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(out);
      }
      out.closeEntry();
    }
  }

  private static Path location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Runs a JVM in {@code dir} to its end; returns its output, failing with it if it fails. */
  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    // A class-data sharing archive of a throw-away jar belongs with the jar, not in ~/.cache.
    builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    Process p = builder.redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the application JVM ended").isTrue();
      assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
      return output;
    } finally {
      p.destroyForcibly();
    }
  }
}
