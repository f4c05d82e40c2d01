package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Insights;
import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker started elsewhere with the cluster's name joins an embedded pool and shares its work.
 */
class EmbeddedJoinTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aWorkerThatJoinsTheEmbeddedMemberSharesTheWork() throws Exception {
    try (TestCluster cluster = new TestCluster(2)) {
      int port = cluster.takePort();
      HazelcastBackend backend =
          HazelcastBackend.embedded()
              .clusterName(cluster.name)
              .members(cluster.addresses())
              .bindAddress("127.0.0.1")
              .secretFile(cluster.secretFile)
              .port(port)
              .localWorkers(1);
      Pool pool = Pool.builder().backend(backend).build();
      try {
        TestCluster.Member worker = cluster.start(2);
        TestCluster.await().until(() -> backend.instance().getCluster().getMembers().size() == 2);
        List<Integer> inputs = IntStream.range(0, 300).boxed().collect(Collectors.toList());
        Results<Integer> results =
            pool.imap(
                x -> {
                  Thread.sleep(2);
                  return -x;
                },
                inputs,
                3);
        assertThat(results.toList())
            .isEqualTo(inputs.stream().map(x -> -x).collect(Collectors.toList()));
        Insights insights = results.insights();
        assertThat(MemberCrashTest.tasksOf(insights, worker)).isPositive();
        assertThat(
                insights.workers().stream()
                    .filter(w -> w.name().startsWith("[127.0.0.1]:" + port + "/"))
                    .mapToLong(Insights.WorkerStats::tasks)
                    .sum())
            .as("tasks on the pool's own member")
            .isPositive();
      } finally {
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
      }
      assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
    }
  }
}
