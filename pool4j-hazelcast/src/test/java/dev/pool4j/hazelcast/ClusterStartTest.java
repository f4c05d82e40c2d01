package dev.pool4j.hazelcast;

import static dev.pool4j.hazelcast.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.pool4j.Pool;
import dev.pool4j.TaskFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code build()} says when there is no cluster to work on: none reachable (the addresses, the
 * cluster and the timeout), or one where no member does pool work (the worker command to start
 * one); and what a call says when the members that worked are gone. The members are Hazelcast
 * instances in this JVM, on 127.0.0.1, in a cluster of a name of its own.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterStartTest {

  static TestCluster names;
  static String secret;
  static Path secretFile;
  static int idlePort;

  /** A member that does no pool work: the cluster the clients reach. */
  static HazelcastInstance idle;

  @BeforeAll
  static void startAMemberThatDoesNoPoolWork() {
    names = new TestCluster(0);
    secret = names.secret;
    secretFile = names.secretFile;
    idlePort = TestCluster.freePort();
    idle = member(idlePort, 0);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    try {
      if (idle != null) {
        idle.shutdown();
      }
    } finally {
      names.close();
    }
  }

  /** A member of the test's cluster in this JVM, with the test's secret and these workers. */
  static HazelcastInstance member(int port, int workers) {
    return Hazelcast.newHazelcastInstance(
        Members.config(
            names.name,
            List.of("127.0.0.1:" + idlePort),
            "127.0.0.1",
            port,
            false,
            workers,
            ClusterSecret.of(secret, "test").seal()));
  }

  /** The threads a pool's backend starts: its results thread and its cipher warm-up. */
  static Set<String> resultThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(
            t ->
                t.getName().startsWith("pool4j-hazelcast-results")
                    || t.getName().startsWith("pool4j-hazelcast-warm-up"))
        .map(t -> t.getName() + "@" + t.getId())
        .collect(Collectors.toSet());
  }

  @Test
  void aClientThatReachesNoClusterSaysWhereItLookedAndForHowLong() {
    int nobody = TestCluster.freePort();
    HazelcastBackend backend =
        HazelcastBackend.client()
            .clusterName(names.name)
            .members("127.0.0.1:" + nobody)
            .secret(secret)
            .connectTimeout(Duration.ofMillis(1500));
    // a warm-up that never ends by itself: only the failed start can stop it
    backend.warmUp = new CipherWarmUp(Integer.MAX_VALUE);
    IllegalStateException e =
        catchThrowableOfType(
            IllegalStateException.class, () -> Pool.builder().backend(backend).build());
    assertThat(e)
        .hasMessageContaining("could not connect to cluster " + names.name)
        .hasMessageContaining("127.0.0.1:" + nobody)
        .hasMessageContaining("within 1.5 s")
        .hasMessageContaining("connectTimeout");
    await().untilAsserted(() -> assertThat(resultThreads()).isEmpty());
  }

  @Test
  void aClientConfigurationsOwnTimeoutIsNamedToo() {
    int nobody = TestCluster.freePort();
    ClientConfig config = new ClientConfig().setClusterName(names.name);
    config.getNetworkConfig().addAddress("127.0.0.1:" + nobody);
    config
        .getConnectionStrategyConfig()
        .getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(1000);
    HazelcastBackend backend = HazelcastBackend.client(config).secret(secret);
    IllegalStateException e =
        catchThrowableOfType(
            IllegalStateException.class, () -> Pool.builder().backend(backend).build());
    assertThat(e)
        .hasMessageContaining("could not connect to cluster " + names.name)
        .hasMessageContaining("127.0.0.1:" + nobody)
        .hasMessageContaining("within 1 s");
  }

  @Test
  void aClusterWhereNoMemberDoesPoolWorkFailsAtBuildWithTheWorkerCommand() {
    HazelcastBackend backend =
        HazelcastBackend.client()
            .clusterName(names.name)
            .members("127.0.0.1:" + idlePort)
            .secretFile(secretFile)
            .connectTimeout(Duration.ofMillis(500));
    IllegalStateException e =
        catchThrowableOfType(
            IllegalStateException.class, () -> Pool.builder().backend(backend).build());
    assertThat(e)
        .hasMessageContaining("no member of cluster " + names.name + " does pool work")
        .hasMessageContaining(
            "java -cp <the application's class path> dev.pool4j.hazelcast.Worker --cluster "
                + names.name
                + " --members 127.0.0.1:"
                + idlePort
                + " --secret-file "
                + secretFile);
    assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
    await().untilAsserted(() -> assertThat(resultThreads()).isEmpty());
  }

  @Test
  void whenTheMembersThatWorkedAreGoneACallWaitsMemberTimeoutThenSaysHowToStartOne() {
    HazelcastInstance worker = member(TestCluster.freePort(), 1);
    HazelcastBackend backend =
        HazelcastBackend.client()
            .clusterName(names.name)
            .members("127.0.0.1:" + idlePort)
            .secret(secret)
            .memberTimeout(Duration.ofMillis(500));
    Pool pool = Pool.builder().backend(backend).build();
    try {
      assertThat(pool.workers()).isEqualTo(1);
      assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
      worker.shutdown();
      // the client has seen it go: no chunk is sent to it on its way out
      await().until(() -> backend.instance().getCluster().getMembers().size() == 1);
      TaskFailedException e =
          catchThrowableOfType(TaskFailedException.class, () -> pool.map(x -> x, List.of(1)));
      assertThat(e.index()).isZero();
      assertThat(e.getCause())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no member of cluster " + names.name + " does pool work")
          .hasMessageContaining("0.5 s")
          .hasMessageContaining("dev.pool4j.hazelcast.Worker --cluster " + names.name);
    } finally {
      worker.shutdown();
      pool.close();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
  }
}
