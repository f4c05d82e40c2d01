package dev.pool4j.hazelcast;

import static dev.pool4j.hazelcast.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hazelcast.config.Config;
import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded default: a pool that starts its own member, with no configuration but a cluster name
 * and port of its own (so that concurrent builds never meet), and leaves no thread and no port
 * behind. The member listens on 127.0.0.1 by the code's default (NetworkExposureTest).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EmbeddedTest {

  /**
   * Starts what lives once per JVM and not per pool (the library's one cleaner thread) before any
   * test takes its snapshot of the live threads.
   */
  @BeforeAll
  static void startWhatLivesOncePerJvm() {
    Pool warmUp = Pool.create(1);
    warmUp.close();
    warmUp.join();
  }

  /** An embedded backend in a cluster of its own, on a free port. */
  static HazelcastBackend embedded() {
    return HazelcastBackend.embedded()
        .clusterName("pool4j-test-" + UUID.randomUUID())
        .port(TestCluster.freePort());
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .collect(Collectors.toSet());
  }

  /** Threads started since {@code before} that are still alive. */
  static List<String> newThreads(Set<Thread> before) {
    return liveThreads().stream()
        .filter(t -> !before.contains(t))
        .map(Thread::getName)
        .collect(Collectors.toList());
  }

  @Test
  void anEmbeddedPoolRunsWithNoOtherConfigurationAndLeavesNoThreadOrPortBehind() {
    Set<Thread> before = liveThreads();
    HazelcastBackend backend = embedded();
    Pool pool = Pool.builder().backend(backend).build();
    int port = backend.instance().getCluster().getLocalMember().getAddress().getPort();
    try {
      assertThat(pool.workers()).isGreaterThanOrEqualTo(Pool.cpuCount());
      assertThat(pool.map(x -> x * x, range(1_000)))
          .isEqualTo(range(1_000).stream().map(x -> x * x).collect(Collectors.toList()));
      assertThat(pool.imap(x -> "#" + x, range(100), 3).toList())
          .isEqualTo(range(100).stream().map(x -> "#" + x).collect(Collectors.toList()));
      assertThat(newThreads(before)).anySatisfy(name -> assertThat(name).startsWith("hz."));
      assertThat(TestCluster.portIsFree(port)).isFalse();
    } finally {
      pool.close();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
    assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
    await().untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
    await().until(() -> TestCluster.portIsFree(port));
  }

  @Test
  void terminateCancelsALongCallAndShutsTheMemberDown() {
    Set<Thread> before = liveThreads();
    HazelcastBackend backend = embedded().localWorkers(2);
    Pool pool = Pool.builder().backend(backend).build();
    Results<Integer> results =
        pool.imap(
            x -> {
              Thread.sleep(5);
              return x;
            },
            range(100_000),
            1);
    assertThat(results.next()).isZero();
    pool.terminate();
    assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    assertThatThrownBy(() -> results.toList()).isInstanceOf(CancellationException.class);
    assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
    await().untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
  }

  @Test
  void aBackendServesOnePool() {
    HazelcastBackend backend = embedded().localWorkers(1);
    Pool pool = Pool.builder().backend(backend).build();
    try {
      assertThatThrownBy(() -> Pool.builder().backend(backend).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("serves one pool");
      assertThat(pool.<Integer, Integer>apply(x -> x + 1, 1)).isEqualTo(2);
    } finally {
      pool.terminate();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
  }

  @Test
  void withNoMemberDoingPoolWorkBuildFailsSayingHowToStartOne() {
    HazelcastBackend backend = embedded().localWorkers(0).connectTimeout(Duration.ofMillis(300));
    IllegalStateException e =
        catchThrowableOfType(
            IllegalStateException.class, () -> Pool.builder().backend(backend).build());
    assertThat(e)
        .hasMessageContaining("does pool work")
        .hasMessageContaining("after waiting 0.3 s (connectTimeout)")
        .hasMessageContaining("dev.pool4j.hazelcast.Worker --cluster pool4j-test-")
        .hasMessageContaining("this pool made a random secret")
        .hasMessageContaining("localWorkers(n)");
    assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
  }

  @Test
  void aMemberConfigurationOfTheUsersOwnGetsThePoolWorkAdded() {
    Config config = new Config();
    config.setClusterName("pool4j-test-" + UUID.randomUUID());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getJetConfig().setEnabled(false);
    config.getNetworkConfig().setPort(TestCluster.freePort()).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    HazelcastBackend backend = HazelcastBackend.embedded(config).localWorkers(2);
    Pool pool = Pool.builder().backend(backend).build();
    try {
      assertThat(pool.workers()).isEqualTo(2);
      assertThat(pool.map(x -> x + 1, range(100)))
          .isEqualTo(range(100).stream().map(x -> x + 1).collect(Collectors.toList()));
      assertThatThrownBy(() -> HazelcastBackend.embedded(config).members("127.0.0.1"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("set it in the Config");
    } finally {
      pool.close();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
  }

  @Test
  void aCallOnTheClusterDrawsItsProgressBar() {
    HazelcastBackend backend = embedded().localWorkers(2);
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Pool pool = Pool.builder().backend(backend).build();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      assertThat(pool.withProgress("squares").map(x -> x * x, range(500))).hasSize(500);
    } finally {
      System.setErr(stderr);
      pool.close();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("squares").contains("500/500");
  }

  @Test
  void settingsThatNeedAThreadOrProcessAreRefused() {
    assertThatThrownBy(
            () ->
                Pool.builder()
                    .backend(HazelcastBackend.embedded())
                    .taskTimeout(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("taskTimeout");
  }
}
