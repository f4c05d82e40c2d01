package dev.pool4j.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bars still live when the JVM ends draw their final line and end it: at a normal exit after a loop
 * left by {@code break}, and at Ctrl-C (SIGINT). Each runs a child JVM.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExitTest {

  private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

  @Test
  void aLoopLeftByBreakPrintsItsFinalLineWhenTheProgramEndsWithStderrInAFile(@TempDir Path dir)
      throws Exception {
    Path err = dir.resolve("err.txt");
    Process p =
        child(BreakMain.class)
            .redirectError(err.toFile())
            .redirectOutput(dir.resolve("out.txt").toFile())
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the program ended").isTrue();
    assertThat(p.exitValue()).isZero();

    assertThat(Files.readString(dir.resolve("out.txt"))).isEqualTo("done\n");
    String bar = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(bar).as("stderr").contains(" 50/200 [").endsWith("]\n").containsOnlyOnce("\n");
  }

  @Test
  void ctrlCEndsTheLineOfEveryLiveBar(@TempDir Path dir) throws Exception {
    Path err = dir.resolve("err.txt");
    Process p = child(SigintMain.class).redirectError(err.toFile()).start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("ready");
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
      assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the program ended at SIGINT").isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as("the JVM's exit code at SIGINT").isEqualTo(130);
    String screen = Files.readString(err, StandardCharsets.UTF_8);
    // The final frame: both bars' last lines (a took 8 items and finished 7, b 6), each ended
    // with a newline, and the cursor on a fresh line below them.
    assertThat(screen)
        .containsPattern(
            "\ra: 7it \\[[0-9:]+, +[0-9.?]+(it/s|s/it)\\] *\n\rb: 6it \\[[0-9:]+, +[0-9.?]+(it/s|s/it)\\] *\n$");
  }

  /**
   * The child JVM, with SIGINT at its default disposition: a build started in the background of a
   * non-interactive shell inherits SIGINT ignored, and a JVM that starts with it ignored never sees
   * a Ctrl-C. GNU env's {@code --default-signal} resets it (coreutils 8.31 and later).
   */
  private static ProcessBuilder child(Class<?> main) {
    ProcessBuilder builder =
        new ProcessBuilder(
            "env",
            "--default-signal=INT",
            JAVA,
            "-cp",
            System.getProperty("java.class.path"),
            main.getName());
    builder.environment().remove("POOL4J_PROGRESS");
    builder.environment().remove("TQDM_DISABLE");
    return builder;
  }
}
