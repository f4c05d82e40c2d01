package dev.pool4j;

import static dev.pool4j.Testing.range;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;

/**
 * The interrupt meant for a timed-out task never reaches another task. Tasks that end right at
 * their deadline make the watchdog's claim and the worker's own finish race each other; a worker
 * that lost the claim used to go on to a new chunk before the watchdog's interrupt arrived, and
 * that chunk's task was interrupted although it had run far less than the timeout.
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
  void noTaskIsInterruptedBeforeItsOwnTimeout(PoolFactory backend) {
    long timeout = TIMEOUT.toNanos();
    ConcurrentLinkedQueue<String> early = new ConcurrentLinkedQueue<>();
    try (Pool pool = backend.builder().workers(2).taskTimeout(TIMEOUT).build()) {
      for (int round = 0; round < 20; round++) {
        try {
          pool.map(
              x -> {
                long start = System.nanoTime();
                // half the tasks end about at their deadline, the others at once
                long spin = x % 2 == 0 ? timeout - 20_000 + (x % 7) * 10_000 : 0;
                while (System.nanoTime() - start < spin) {
                  if (Thread.currentThread().isInterrupted()) {
                    break;
                  }
                  Thread.onSpinWait();
                }
                long ran = System.nanoTime() - start;
                if (Thread.currentThread().isInterrupted() && ran < timeout / 2) {
                  early.add("item " + x + " interrupted after " + ran + " ns");
                }
                return x;
              },
              range(0, 200),
              1);
        } catch (TaskFailedException e) {
          // a task that really ran past the timeout: expected now and then
          assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
        }
      }
      // the pool still works and has its workers
      List<Integer> after = pool.map(x -> x + 1, range(0, 10));
      assertThat(after).isEqualTo(range(1, 11));
    }
    assertThat(early).as("tasks interrupted long before their own timeout").isEmpty();
  }
}
