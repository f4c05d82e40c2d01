package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker command's command line. */
class WorkerCommandTest {

  @Test
  void theOptionsAreReadAndDefaulted() {
    Worker.Options o =
        Worker.Options.parse(
            new String[] {"--cluster", "render", "--members", "10.0.0.7,10.0.0.8:5702", "--workers", "3"});
    assertThat(o.cluster).isEqualTo("render");
    assertThat(o.members).containsExactly("10.0.0.7", "10.0.0.8:5702");
    assertThat(o.workers).isEqualTo(3);
    assertThat(o.port).isEqualTo(-1);
    assertThat(o.bind).isNull();

    Worker.Options defaults = Worker.Options.parse(new String[0]);
    assertThat(defaults.cluster).isEqualTo("pool4j");
    assertThat(defaults.members).containsExactly("127.0.0.1");
    assertThat(defaults.workers).isEqualTo(dev.pool4j.Pool.cpuCount());
  }

  @Test
  void aWrongOptionIsRefusedWithWhatWasExpected() {
    assertThatThrownBy(() -> Worker.Options.parse(new String[] {"--workers", "0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--workers needs a whole number >= 1, was 0");
    assertThatThrownBy(() -> Worker.Options.parse(new String[] {"--colour", "blue"}))
        .hasMessage("unknown option --colour");
    assertThatThrownBy(() -> Worker.Options.parse(new String[] {"--cluster"}))
        .hasMessage("--cluster needs a value");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theCommandExitsWithTwoAndTheUsageOnAWrongOption() throws Exception {
    Process p =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Worker.class.getName(),
                "--port",
                "none")
            .redirectErrorStream(true)
            .start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(2);
      assertThat(output).contains("--port needs a whole number").contains("usage: java -cp");
    } finally {
      p.destroyForcibly();
    }
  }
}
