package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.Pool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member listens on loopback only unless it was opened with one explicit setting. What is
 * listening is read from the kernel ({@code /proc/net/tcp} and {@code tcp6}: every socket in LISTEN
 * state on the member's port), not from Hazelcast's view of itself.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NetworkExposureTest {

  @Test
  void anEmbeddedPoolListensOnLoopbackOnly() {
    HazelcastBackend backend = EmbeddedTest.embedded().localWorkers(1);
    Pool pool = Pool.builder().backend(backend).build();
    try {
      int port = backend.instance().getCluster().getLocalMember().getAddress().getPort();
      assertThat(listeners(port)).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
      assertThat(backend.instance().getCluster().getLocalMember().getAddress().getHost())
          .isEqualTo("127.0.0.1");
    } finally {
      pool.terminate();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
  }

  @Test
  void aWorkerStartedWithDefaultsListensOnLoopbackOnly() throws Exception {
    int port = TestCluster.freePort();
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(TestCluster.PROPERTIES);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Worker.class.getName()));
    // a cluster and port of its own, so that builds never meet; nothing about the network
    command.addAll(List.of("--cluster", "pool4j-test-" + UUID.randomUUID(), "--port", "" + port));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(ClusterSecret.ENV, TestCluster.randomSecret());
    Process worker = builder.start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder seen = new StringBuilder();
      for (String line; (line = out.readLine()) != null; ) {
        seen.append(line).append('\n');
        if (line.startsWith("pool4j worker ready")) {
          break;
        }
      }
      assertThat(seen.toString()).contains("pool4j worker ready: member [127.0.0.1]:" + port);
      assertThat(listeners(port)).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
    } finally {
      worker.destroyForcibly();
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void networkOpensTheMemberAndTheCheckSeesIt() {
    // every interface: the kernel shows a wildcard listener, which is no loopback address
    HazelcastBackend open = EmbeddedTest.embedded().network("0.0.0.0").localWorkers(1);
    Pool pool = Pool.builder().backend(open).build();
    try {
      int port = open.instance().getCluster().getLocalMember().getAddress().getPort();
      assertThat(listeners(port)).isNotEmpty().anyMatch(a -> !a.isLoopbackAddress());
    } finally {
      pool.terminate();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
    // a network in CIDR notation: this machine's address in it
    HazelcastBackend cidr = EmbeddedTest.embedded().network("127.0.0.0/8").localWorkers(1);
    pool = Pool.builder().backend(cidr).build();
    try {
      int port = cidr.instance().getCluster().getLocalMember().getAddress().getPort();
      assertThat(listeners(port)).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
      assertThat(pool.<Integer, Integer>apply(x -> x + 1, 41)).isEqualTo(42);
    } finally {
      pool.terminate();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
  }

  @Test
  void aNetworkWithNoAddressOfThisMachineFailsTheBuildListingItsAddresses() {
    HazelcastBackend backend = EmbeddedTest.embedded().network("203.0.113.0/24");
    assertThatThrownBy(() -> Pool.builder().backend(backend).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("network 203.0.113.0/24 holds no address of this machine")
        .hasMessageContaining("127.0.0.1");
    assertThat(backend.instance()).isNull();
  }

  @Test
  void aMemberOnLoopbackToldToJoinAnotherMachineFailsTheBuildSayingHowToOpenIt() {
    HazelcastBackend backend = EmbeddedTest.embedded().members("127.0.0.1:5701", "10.0.0.7:5701");
    assertThatThrownBy(() -> Pool.builder().backend(backend).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "members lists 10.0.0.7:5701, but this member listens on 127.0.0.1 only, where no other"
                + " machine reaches it: open it with network(...) (an address, a network such as"
                + " 10.0.0.0/24, or an interface of this machine)");
    assertThat(backend.instance()).isNull();
    Network.LOOPBACK.checkMembers(
        List.of("127.0.0.1", "127.0.0.2:5701", "[::1]:5701", "localhost", "host.example.com"),
        "--members",
        "--network");
    Network.parse("0.0.0.0", "network").checkMembers(List.of("10.0.0.7"), "members", "network");
    assertThatThrownBy(
            () -> Network.LOOPBACK.checkMembers(List.of("192.0.2.9"), "--members", "--network"))
        .hasMessageContaining("--members lists 192.0.2.9")
        .hasMessageContaining("open it with --network");
  }

  @Test
  void theNetworkSettingIsParsedAtTheDoor() {
    assertThat(Network.parse("lo", "network").resolve()).isEqualTo("127.0.0.1");
    assertThat(Network.parse("127.0.0.1", "network").resolve()).isEqualTo("127.0.0.1");
    assertThat(Network.parse("127.0.0.0/8", "network").resolve()).isEqualTo("127.0.0.1");
    assertThat(Network.parse("0.0.0.0", "network").resolve()).isNull();
    assertThat(Network.parse("10.1.2.0/23", "network").inCidr(address("10.1.3.200"))).isTrue();
    assertThat(Network.parse("10.1.2.0/23", "network").inCidr(address("10.1.4.1"))).isFalse();
    assertThat(Network.parse("::1", "network").resolve()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThatThrownBy(() -> Network.parse("host.example.com", "network").resolve())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("host names are not taken");
    for (String wrong : List.of("10.0.0.0/40", "10.0.0/8", "", "1.2.3.4/x", "-x")) {
      assertThatThrownBy(() -> HazelcastBackend.embedded().network(wrong))
          .as(wrong)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "network takes an IP address of this machine, a network such as"
                  + " 10.0.0.0/24, an interface name such as eth0, or 0.0.0.0");
    }
    assertThatThrownBy(() -> HazelcastBackend.client().network("10.0.0.0/24"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("network is a setting of an embedded member");
    assertThatThrownBy(() -> HazelcastBackend.embedded().network("lo").bindAddress("127.0.0.1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("network was already set to lo");
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The local addresses of the sockets listening on this TCP port, from the kernel's tables. */
  static List<InetAddress> listeners(int port) {
    List<InetAddress> found = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException e) {
        continue; // no IPv6 here
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        String[] local = f[1].split(":");
        if (!f[3].equals("0A") || Integer.parseInt(local[1], 16) != port) {
          continue;
        }
        found.add(kernelAddress(local[0]));
      }
    }
    return found;
  }

  /** An address as the kernel prints it: 32-bit words of hex in host (little-endian) order. */
  static InetAddress kernelAddress(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int word = 0; word < b.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2;
        b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
