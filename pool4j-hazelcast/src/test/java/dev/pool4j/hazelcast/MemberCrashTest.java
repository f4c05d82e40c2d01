package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Insights;
import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A member killed with {@code kill -9} in the middle of a call loses nothing and adds nothing. */
class MemberCrashTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aMemberKilledDuringImapLeavesEveryResultExactlyOnceInOrder() throws Exception {
    try (TestCluster cluster = new TestCluster(2)) {
      TestCluster.Member survivor = cluster.start(2);
      TestCluster.Member victim = cluster.start(2);
      HazelcastBackend backend =
          cluster.client();
      Pool pool = Pool.builder().backend(backend).build();
      try {
        List<Integer> inputs = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
        Results<Integer> results =
            pool.imap(
                x -> {
                  Thread.sleep(1);
                  return x * 2;
                },
                inputs,
                10);
        List<Integer> seen = new ArrayList<>();
        boolean killed = false;
        while (results.hasNext()) {
          seen.add(results.next());
          if (seen.size() == 2_000) {
            Insights before = results.insights();
            assertThat(tasksOf(before, victim)).as("the victim worked before it died").isPositive();
            TestCluster.kill(victim);
            killed = true;
          }
        }
        assertThat(killed).isTrue();
        assertThat(seen).isEqualTo(inputs.stream().map(x -> x * 2).collect(Collectors.toList()));
        assertThat(tasksOf(results.insights(), survivor)).isPositive();
      } finally {
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
      }
      assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
    }
  }

  static long tasksOf(Insights insights, TestCluster.Member member) {
    return insights.workers().stream()
        .filter(w -> w.name().equals(member.address))
        .mapToLong(Insights.WorkerStats::tasks)
        .sum();
  }
}
