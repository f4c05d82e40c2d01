package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An embedded pool in a JVM with no logging configuration prints nothing of Hazelcast's below
 * WARNING (no banner, no INFO lines: about 60 lines before); a user who configures Hazelcast's
 * logging gets it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class QuietLoggingTest {

  /** The child JVM: one embedded pool, one call; prints {@code done N}. */
  public static void main(String[] args) {
    HazelcastBackend backend =
        HazelcastBackend.embedded().clusterName(args[0]).port(Integer.parseInt(args[1]));
    Pool pool = Pool.builder().backend(backend).build();
    try {
      System.out.println("done " + pool.map(x -> x + 1, List.of(1, 2, 3)));
    } finally {
      pool.close();
      pool.join(Duration.ofSeconds(60));
    }
  }

  static String run(String... properties) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Worker.JDK_OPTIONS);
    command.add("-Dhazelcast.phone.home.enabled=false");
    command.addAll(List.of(properties));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(QuietLoggingTest.class.getName());
    command.add("pool4j-test-" + UUID.randomUUID());
    command.add(Integer.toString(TestCluster.freePort()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(output).contains("done [2, 3, 4]");
      return output;
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void hazelcastSaysNothingBelowWarningUnlessTheUserConfiguredItsLogging() throws Exception {
    // warnings may come (Hazelcast warns of a race of its own at shutdown now and then); nothing
    // below them: no banner, no INFO lines
    String quiet = run();
    assertThat(quiet)
        .doesNotContain("INFO")
        .doesNotContain("o---o")
        .doesNotContain("Hazelcast Platform")
        .doesNotContain("is STARTED");

    String chosen = run("-Dhazelcast.logging.type=jdk");
    assertThat(chosen).contains("INFO").contains("is STARTED");
  }
}
