package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes of a parent that runs on the module path: the workers are started on the same
 * module path, with {@code dev.pool4j} a named module, and run tasks from the class path and from a
 * named application module.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ModulePathTest {

  private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

  @Test
  void aClassPathApplicationWithPool4jAsANamedModule() throws Exception {
    List<String> lines =
        run(
            JAVA,
            "--module-path",
            location(Pool.class).toString(),
            "--add-modules",
            "dev.pool4j",
            "-cp",
            location(ModulePathMain.class).toString(),
            ModulePathMain.class.getName());

    assertThat(lines).contains("parent module dev.pool4j", "done");
    assertThat(lines.stream().filter(l -> l.contains(" in worker ")))
        .extracting(l -> l.substring(0, l.indexOf(" pid ")))
        .containsExactly(
            "2 in worker module dev.pool4j",
            "4 in worker module dev.pool4j",
            "6 in worker module dev.pool4j");
    assertThat(Children.workers()).isEmpty();
  }

  @Test
  void aNamedApplicationModule(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("app"));
    Files.writeString(src.resolve("module-info.java"), "module app { requires dev.pool4j; }\n");
    Files.writeString(
        src.resolve("app/Main.java"),
        String.join(
            "\n",
            "package app;",
            "import dev.pool4j.Pool;",
            "import java.util.List;",
            "public class Main {",
            "  public static void main(String[] args) throws Exception {",
            "    try (Pool pool = Pool.builder().processes().workers(2).build()) {",
            "      pool.map(x -> x + 1 + \" \" + Main.class.getModule(), List.of(1, 2, 3))",
            "          .forEach(System.out::println);",
            "    }",
            "  }",
            "}",
            ""));
    Path out = dir.resolve("out");
    ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
    int rc =
        javac.run(
            System.out,
            System.err,
            "--module-path",
            location(Pool.class).toString(),
            "-d",
            out.toString(),
            src.resolve("module-info.java").toString(),
            src.resolve("app/Main.java").toString());
    assertThat(rc).as("javac's exit code").isZero();

    List<String> lines =
        run(
            JAVA,
            "--module-path",
            location(Pool.class) + java.io.File.pathSeparator + out,
            "--module",
            "app/app.Main");

    assertThat(lines).containsExactly("2 module app", "3 module app", "4 module app");
    assertThat(Children.workers()).isEmpty();
  }

  private static Path location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Runs a JVM to its end; returns its stdout's lines, and fails with its output if it fails. */
  private static List<String> run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the parent JVM ended").isTrue();
      assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
      return new ArrayList<>(output.lines().toList());
    } finally {
      p.destroyForcibly();
    }
  }
}
