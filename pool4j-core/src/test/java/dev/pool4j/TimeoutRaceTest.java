package dev.pool4j;

import static dev.pool4j.Testing.PATIENCE;
import static dev.pool4j.Testing.range;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;

/**
 * The interrupt meant for a timed-out task never reaches another task. Tasks that end right at
 * their deadline make the watchdog's claim and the worker's own finish race each other; a worker
 * that lost the claim used to go on to a new chunk before the watchdog's interrupt arrived, and
 * that chunk's task was interrupted although it had not timed out.
 *
 * <p>Each task is a call of its own ({@code applyAsync}), so that every timeout is seen: a task
 * that saw an interrupt must be one whose future failed with a {@link TimeoutException}. The test
 * does not judge by the task's own clock: the pool's clock starts before the task's first line, and
 * on a busy machine the thread may lose its core between the two, so a task may time out having
 * seen less of the timeout than the pool did.
 */
class TimeoutRaceTest {

  private static final Duration TIMEOUT = Duration.ofMillis(2);

  /**
   * In this JVM only: the race is between the watchdog's interrupt and a worker thread taking its
   * next chunk. A worker JVM past its timeout is killed rather than interrupted ({@code
   * TimeoutTest} checks that on worker processes too).
   */
  @InThisJvm
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void noTaskIsInterruptedUnlessItTimedOut(PoolFactory backend) throws Exception {
    long timeout = TIMEOUT.toNanos();
    Set<Integer> interrupted = ConcurrentHashMap.newKeySet();
    Set<Integer> timedOut = ConcurrentHashMap.newKeySet();
    int tasks = 0;
    try (Pool pool = backend.builder().workers(2).taskTimeout(TIMEOUT).build()) {
      for (int round = 0; round < 20; round++) {
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          int x = tasks++;
          futures.add(
              pool.applyAsync(
                  (Integer v) -> {
                    long start = System.nanoTime();
                    // half the tasks end about at their deadline, the others at once
                    long spin = v % 2 == 0 ? timeout - 20_000 + (v % 7) * 10_000 : 0;
                    while (System.nanoTime() - start < spin) {
                      if (Thread.currentThread().isInterrupted()) {
                        break;
                      }
                      Thread.onSpinWait();
                    }
                    if (Thread.currentThread().isInterrupted()) {
                      interrupted.add(v);
                    }
                    return v;
                  },
                  x));
        }
        for (int i = 0; i < futures.size(); i++) {
          int x = tasks - futures.size() + i;
          try {
            assertThat(futures.get(i).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(x);
          } catch (ExecutionException e) {
            // a task that really ran past the timeout: expected now and then
            assertThat(e.getCause()).isInstanceOf(TaskFailedException.class);
            assertThat(e.getCause().getCause()).isInstanceOf(TimeoutException.class);
            timedOut.add(x);
          }
        }
      }
      // the pool still works and has its workers
      List<Integer> after = pool.map(x -> x + 1, range(0, 10));
      assertThat(after).isEqualTo(range(1, 11));
    }
    assertThat(interrupted)
        .as("tasks that saw an interrupt although the pool did not time them out")
        .isSubsetOf(timedOut);
  }
}
