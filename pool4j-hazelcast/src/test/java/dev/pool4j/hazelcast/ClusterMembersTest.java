package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Insights;
import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only a cluster has: a pool's workers are its members', and its insights name each member.
 * The contract itself (results, order, failures, lifecycle) runs on a cluster through pool4j-core's
 * behaviour matrix: this module's surefire execution {@code contract-on-cluster} ({@link
 * ClusterPools}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterMembersTest {

  static TestCluster cluster;
  static TestCluster.Member first;
  static TestCluster.Member second;
  static HazelcastBackend backend;
  static Pool pool;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster(2);
    first = cluster.start(2);
    second = cluster.start(2);
    backend = cluster.client();
    pool = Pool.builder().backend(backend).build();
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    try {
      if (pool != null) {
        pool.close();
        assertThat(pool.join(java.time.Duration.ofSeconds(60))).isTrue();
        assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void theClusterReportsTheWorkersOfBothMembers() {
    assertThat(pool.workers()).isEqualTo(4);
  }

  @Test
  void insightsCountTheTasksOfEachMember() {
    Results<Integer> results =
        pool.imap(
            x -> {
              Thread.sleep(2);
              return x;
            },
            range(400),
            4);
    assertThat(results.toList()).isEqualTo(range(400));
    Insights insights = results.insights();
    Map<String, Long> perMember =
        insights.workers().stream()
            .collect(Collectors.toMap(Insights.WorkerStats::name, Insights.WorkerStats::tasks));
    assertThat(perMember.keySet()).containsExactlyInAnyOrder(first.name, second.name);
    assertThat(perMember.values()).allSatisfy(tasks -> assertThat(tasks).isPositive());
    assertThat(insights.tasks()).isEqualTo(400);
  }
}
