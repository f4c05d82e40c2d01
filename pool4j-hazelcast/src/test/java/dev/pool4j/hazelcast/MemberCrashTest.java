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

/**
 * A member killed with {@code kill -9} in the middle of a call loses nothing and adds nothing;
 * started again on its address, it is another member: a row of its own in the insights, not the
 * dead one's.
 */
class MemberCrashTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aMemberKilledDuringImapLeavesEveryResultOnceInOrderAndItsRestartIsANewRow()
      throws Exception {
    try (TestCluster cluster = new TestCluster(2)) {
      TestCluster.Member survivor = cluster.start(2);
      TestCluster.Member victim = cluster.start(2);
      HazelcastBackend backend = cluster.client();
      Pool pool = Pool.builder().backend(backend).build();
      try {
        // more input than the test reads: it stops once the restarted member has worked
        List<Integer> inputs = IntStream.range(0, 1_000_000).boxed().collect(Collectors.toList());
        List<Integer> seen = new ArrayList<>();
        TestCluster.Member restarted = null;
        long victimTasksAtDeath = -1;
        try (Results<Integer> results =
            pool.imap(
                x -> {
                  Thread.sleep(1);
                  return x * 2;
                },
                inputs,
                10)) {
          while (results.hasNext()) {
            seen.add(results.next());
            if (seen.size() == 2_000) {
              assertThat(rowsAt(results.insights(), victim))
                  .as("the victim worked before it died")
                  .singleElement()
                  .satisfies(w -> assertThat(w.tasks()).isPositive());
              TestCluster.kill(victim);
              victimTasksAtDeath = rowsAt(results.insights(), victim).get(0).tasks();
              restarted = cluster.restart(victim, 2);
            }
            if (restarted != null && seen.size() % 100 == 0) {
              String name = restarted.name;
              if (results.insights().workers().stream()
                  .anyMatch(w -> w.name().equals(name) && w.tasks() > 0)) {
                break;
              }
            }
          }
          assertThat(restarted).as("the call outlived the restart").isNotNull();
          Insights insights = results.insights();
          List<Insights.WorkerStats> rows = rowsAt(insights, victim);
          assertThat(rows)
              .as("one address, two instances: two rows, %s", insights)
              .hasSize(2)
              .extracting(Insights.WorkerStats::name)
              .containsExactlyInAnyOrder(victim.name, restarted.name);
          assertThat(victim.name).isNotEqualTo(restarted.name).startsWith(victim.address);
          // the dead instance's row stopped counting when it died; replies it sent before (at most
          // two chunks of 10 per worker) may still have landed after the first look
          Insights.WorkerStats dead =
              rows.stream().filter(w -> w.name().equals(victim.name)).findFirst().orElseThrow();
          assertThat(dead.tasks()).isBetween(victimTasksAtDeath, victimTasksAtDeath + 4 * 10);
          assertThat(tasksOf(insights, survivor)).isPositive();
        }
        assertThat(seen.size()).isGreaterThan(2_000);
        assertThat(seen)
            .isEqualTo(
                inputs.subList(0, seen.size()).stream()
                    .map(x -> x * 2)
                    .collect(Collectors.toList()));
      } finally {
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
      }
      assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
    }
  }

  /** The insights' rows of whatever ran at the member's address. */
  static List<Insights.WorkerStats> rowsAt(Insights insights, TestCluster.Member member) {
    return insights.workers().stream()
        .filter(w -> w.name().startsWith(member.address))
        .collect(Collectors.toList());
  }

  static long tasksOf(Insights insights, TestCluster.Member member) {
    return insights.workers().stream()
        .filter(w -> w.name().equals(member.name))
        .mapToLong(Insights.WorkerStats::tasks)
        .sum();
  }
}
