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

/** Chunks go where workers are free: a member with more workers runs more of a call. */
class WorkSpreadTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aMemberWithThreeTimesTheWorkersRunsMoreOfTheCall() throws Exception {
    try (TestCluster cluster = new TestCluster(2)) {
      TestCluster.Member small = cluster.start(1);
      TestCluster.Member large = cluster.start(3);
      HazelcastBackend backend = cluster.client();
      Pool pool = Pool.builder().backend(backend).build();
      try {
        assertThat(pool.workers()).isEqualTo(4);
        List<Integer> inputs = IntStream.range(0, 400).boxed().collect(Collectors.toList());
        // tasks that wait rather than compute: the members' share of two cores does not matter
        Results<Integer> results =
            pool.imap(
                x -> {
                  Thread.sleep(3);
                  return x;
                },
                inputs,
                2);
        assertThat(results.toList()).isEqualTo(inputs);
        Insights insights = results.insights();
        long onSmall = MemberCrashTest.tasksOf(insights, small);
        long onLarge = MemberCrashTest.tasksOf(insights, large);
        assertThat(onSmall + onLarge).isEqualTo(400);
        assertThat(onSmall).isPositive();
        // in proportion to the free workers, 3 to 1; "more than half as much again" leaves room
        // for the start of the call and for scheduling noise (a run here gave 312 to 88)
        assertThat(onLarge)
            .as("tasks on the large member; %d on the small one", onSmall)
            .isGreaterThan(onSmall * 3 / 2);
      } finally {
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
      }
    }
  }
}
