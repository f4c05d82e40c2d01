package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker command's command line. */
class WorkerCommandTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef";

  /** An environment with the cluster secret, and one without. */
  static final Function<String, String> ENV = Map.of(ClusterSecret.ENV, SECRET)::get;

  static final Function<String, String> NO_ENV = name -> null;

  @Test
  void theOptionsAreReadAndDefaulted() throws Exception {
    Worker.Options o =
        Worker.Options.parse(
            new String[] {
              "--cluster", "render", "--members", "10.0.0.7,10.0.0.8:5702", "--workers", "3"
            },
            ENV);
    assertThat(o.cluster).isEqualTo("render");
    assertThat(o.members).containsExactly("10.0.0.7", "10.0.0.8:5702");
    assertThat(o.workers).isEqualTo(3);
    assertThat(o.port).isEqualTo(-1);
    assertThat(o.secret.source).contains(ClusterSecret.ENV);

    Worker.Options defaults = Worker.Options.parse(new String[0], ENV);
    assertThat(defaults.cluster).isEqualTo("pool4j");
    assertThat(defaults.workers).isEqualTo(dev.pool4j.Pool.cpuCount());
    // loopback only, and the member list is that address
    Config config = Worker.config(defaults, defaults.network.resolve());
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces())
        .containsExactly("127.0.0.1");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1");
  }

  @Test
  void networkOpensTheMemberToTheAddressOfThisMachineInIt() {
    Worker.Options o = Worker.Options.parse(new String[] {"--network", "127.0.0.0/8"}, ENV);
    String bind = o.network.resolve();
    assertThat(bind).isEqualTo("127.0.0.1");
    Config config = Worker.config(o, bind);
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly(bind);

    Worker.Options any = Worker.Options.parse(new String[] {"--network", "0.0.0.0"}, ENV);
    assertThat(any.network.resolve()).isNull();
    Config everywhere = Worker.config(any, null);
    assertThat(everywhere.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
    assertThat(everywhere.getProperty("hazelcast.socket.bind.any")).isNull();

    assertThat(Worker.Options.parse(new String[] {"--bind", "127.0.0.1"}, ENV).network.resolve())
        .isEqualTo("127.0.0.1");
    assertThatThrownBy(
            () -> Worker.Options.parse(new String[] {"--network", "lo", "--bind", "::1"}, ENV))
        .hasMessageContaining("given twice");
  }

  @Test
  void theSecretComesFromTheFileBeforeTheEnvironmentAndIsRequired(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    java.nio.file.Files.writeString(file, "another secret of enough bytes\n");
    java.nio.file.Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Worker.Options o = Worker.Options.parse(new String[] {"--secret-file", file.toString()}, ENV);
    assertThat(o.secret.source).contains("--secret-file").contains(file.toString());

    assertThatThrownBy(() -> Worker.Options.parse(new String[0], NO_ENV))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no cluster secret")
        .hasMessageContaining("--secret-file")
        .hasMessageContaining(ClusterSecret.ENV);
  }

  @Test
  void aWrongOptionIsRefusedWithWhatWasExpected() {
    assertThatThrownBy(() -> Worker.Options.parse(new String[] {"--workers", "0"}, ENV))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--workers needs a whole number >= 1, was 0");
    assertThatThrownBy(() -> Worker.Options.parse(new String[] {"--colour", "blue"}, ENV))
        .hasMessage("unknown option --colour");
    assertThatThrownBy(() -> Worker.Options.parse(new String[] {"--cluster"}, ENV))
        .hasMessage("--cluster needs a value");
    assertThatThrownBy(() -> Worker.Options.parse(new String[] {"--network", "10.0.0.0/33"}, ENV))
        .hasMessageContaining("--network takes an IP address")
        .hasMessageContaining("prefix length");
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
