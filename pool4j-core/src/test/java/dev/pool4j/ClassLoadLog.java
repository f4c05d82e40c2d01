package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's main class in a fresh JVM with {@code -Xlog:class+load}: for tests of what a cold
 * JVM loads, which this JVM, having run other tests, cannot show.
 */
public final class ClassLoadLog {

  private ClassLoadLog() {}

  /**
   * Runs {@code main} with {@code args} on this JVM's class path and returns its output, each class
   * loaded a line among what the main prints; fails the test unless it exits 0 within 100 s.
   */
  public static List<String> run(Class<?> main, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>();
    command.addAll(List.of(java, "-Xlog:disable", "-Xlog:class+load"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("pool4j-class-load", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(process.waitFor(100, TimeUnit.SECONDS)).as("the main exited").isTrue();
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      assertThat(process.exitValue())
          .as("exit code; output:%n%s", String.join("\n", lines))
          .isZero();
      return lines;
    } finally {
      process.destroyForcibly();
      process.waitFor();
      Files.deleteIfExists(log);
    }
  }
}
