package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Insights add up: busy time is task time, tasks are counted once, every worker is listed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard only
class InsightsTest {

  private static final long SLEEP_MILLIS = 40;

  private static List<Integer> inputs(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void busyTimePerWorkerAddsUpToTheTimeItsTasksSlept() {
    try (Pool pool = Pool.create(4)) {
      long start = System.nanoTime();
      pool.map(
          x -> {
            Thread.sleep(SLEEP_MILLIS);
            return x;
          },
          inputs(12));
      long wall = System.nanoTime() - start;
      Insights insights = pool.insights();

      assertThat(insights.tasks()).isEqualTo(12);
      assertThat(insights.workers()).hasSize(4);
      Duration slept = Duration.ofMillis(SLEEP_MILLIS);
      for (Insights.WorkerStats w : insights.workers()) {
        // every task sleeps SLEEP_MILLIS, so a worker was busy at least that long per task
        assertThat(w.busy()).isGreaterThanOrEqualTo(slept.multipliedBy(w.tasks()));
        assertThat(w.busy().plus(w.idle())).isEqualTo(insights.wallTime());
        if (w.tasks() > 0) {
          assertThat(w.maxTask()).isGreaterThanOrEqualTo(slept);
          assertThat(w.meanTask()).isGreaterThanOrEqualTo(slept);
        }
      }
      assertThat(insights.busyTime()).isGreaterThanOrEqualTo(slept.multipliedBy(12));
      // the call ran within the caller's measured wall time, on 4 workers at most
      assertThat(insights.wallTime().toNanos()).isLessThanOrEqualTo(wall);
      assertThat(insights.busyTime().toNanos()).isLessThanOrEqualTo(4 * wall);
      assertThat(insights.efficiency()).isGreaterThan(0).isLessThanOrEqualTo(1);
      assertThat(insights.toString())
          .startsWith("call: 12 tasks in ")
          .contains("on 4 workers, efficiency ")
          .contains("worker  start-up");
    }
  }

  @Test
  void tinyTasksInLargeChunksAreEachCountedOnce() {
    try (Pool pool = Pool.create(2)) {
      pool.map(x -> x * x, inputs(100_000));
      Insights insights = pool.insights();
      assertThat(insights.tasks()).isEqualTo(100_000);
      assertThat(insights.workers().stream().mapToLong(Insights.WorkerStats::tasks).sum())
          .isEqualTo(100_000);
    }
  }

  @Test
  void aLazyCallShowsItsInsightsWhileItRunsAndTheirTotalWhenDone() {
    try (Pool pool = Pool.create(2);
        Results<Integer> results = pool.imap(x -> x, inputs(1_000), 10)) {
      results.next();
      assertThat(results.insights().tasks()).isBetween(1L, 1_000L);
      results.toList();
      assertThat(results.insights().tasks()).isEqualTo(1_000);
      assertThat(pool.insights().tasks()).isEqualTo(1_000);
    }
  }

  @Test
  void beforeAnyCallTheInsightsAreEmpty() {
    try (Pool pool = Pool.create(3)) {
      Insights insights = pool.insights();
      assertThat(insights.tasks()).isZero();
      assertThat(insights.efficiency()).isZero();
    }
  }

  @Test
  void aFailedTaskCountsAsRunAndTheCallIsStillRecorded() {
    try (Pool pool = Pool.create(1)) {
      try {
        pool.map(x -> 10 / (x - 3), inputs(10), 1);
      } catch (TaskFailedException expected) {
        // the call failed at index 3
      }
      pool.close();
      pool.join();
      // tasks 0, 1, 2 ran and task 3 ran and failed; the rest were cancelled
      assertThat(pool.insights().tasks()).isEqualTo(4);
    }
  }

  @Test
  void theTableReadsRightForOneTaskAWorkerNeverReadyAndItsLineEnds() {
    Duration ms = Duration.ofMillis(1);
    Insights insights =
        new Insights(
            Duration.ofMillis(901),
            2,
            List.of(
                // one task whose own time came out a hair below the chunk's (its busy time)
                new Insights.WorkerStats(
                    1, ms, Duration.ofNanos(900_730_000), ms, 1, Duration.ofNanos(900_720_000)),
                // a worker that was never ready
                new Insights.WorkerStats(2, Duration.ZERO, Duration.ZERO, ms, 0, Duration.ZERO)));
    String table = insights.toString();

    assertThat(table).startsWith("call: 1 task in ");
    assertThat(insights.workers().get(0).maxTask())
        .isGreaterThanOrEqualTo(insights.workers().get(0).meanTask());
    List<String> lines = table.lines().collect(Collectors.toList());
    assertThat(lines).hasSize(4);
    // worker, start-up, tasks: the start-up of a worker never ready is "-", not "0.00 us"
    assertThat(lines.get(3).trim().split(" +")).startsWith("2", "-", "0");
    assertThat(lines).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
  }

  @Test
  void theMeanTaskIsBusyTimeOverTasksRoundedDownForAnyLength() {
    Duration ms = Duration.ofMillis(1);
    Insights.WorkerStats third =
        new Insights.WorkerStats(1, ms, Duration.ofNanos(1_000), ms, 3, Duration.ZERO);
    // past 292 years a Duration holds no long of nanoseconds: still divided exactly
    Duration ages = Duration.ofSeconds(Long.MAX_VALUE / 2, 999_999_999);
    Insights.WorkerStats ancient = new Insights.WorkerStats(2, ms, ages, ms, 2, Duration.ZERO);

    assertThat(third.meanTask()).isEqualTo(Duration.ofNanos(333));
    assertThat(ancient.meanTask()).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE / 4, 999_999_999));
    // the longest task is shown as at least the mean
    assertThat(third.maxTask()).isEqualTo(Duration.ofNanos(333));
    assertThat(new Insights.WorkerStats(3, ms, ms, ms, 0, ms).meanTask()).isEqualTo(Duration.ZERO);
  }
}
