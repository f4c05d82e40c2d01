package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An interrupt in a worker process (a task that interrupts its own thread, or a thread that
 * interrupts the one the tasks run on) never breaks the worker's connection to the pool: no chunk
 * is lost, even without retries.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerInterruptTest extends ProcessPoolTest {

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  private static List<Integer> doubled(int n) {
    return IntStream.range(0, n).map(x -> 2 * x).boxed().collect(Collectors.toList());
  }

  /** With a task timeout the pool reads with deadlines (a non-blocking channel); else blocking. */
  private static Pool.Builder builder(boolean timeout, int workers) {
    Pool.Builder b = Pool.builder().processes().workers(workers).retries(0);
    return timeout ? b.taskTimeout(Duration.ofSeconds(60)) : b;
  }

  @ParameterizedTest(name = "task timeout: {0}")
  @ValueSource(booleans = {false, true})
  void aTaskThatLeavesItsThreadInterruptedBreaksNothing(boolean timeout) {
    pool = builder(timeout, 2).build();
    List<Integer> results =
        pool.map(
            x -> {
              Thread.currentThread().interrupt();
              return 2 * x;
            },
            range(20_000));
    assertThat(results).isEqualTo(doubled(20_000));
    // again, in chunks of one item: a round trip, and a wait for the next chunk, per item
    assertThat(
            pool.map(
                x -> {
                  Thread.currentThread().interrupt();
                  return 2 * x;
                },
                range(2_000),
                1))
        .isEqualTo(doubled(2_000));
  }

  @Test
  void aTasksInterruptDoesNotLeakIntoTheNextChunk() {
    pool = builder(false, 1).build();
    // even items interrupt their thread; odd ones, each a chunk of its own, report the flag
    List<Boolean> interrupted =
        pool.map(
            x -> {
              if (x % 2 == 0) {
                Thread.currentThread().interrupt();
                return false;
              }
              return Thread.currentThread().isInterrupted();
            },
            range(200),
            1);
    assertThat(interrupted).containsOnly(false);
  }

  @ParameterizedTest(name = "task timeout: {0}")
  @ValueSource(booleans = {false, true})
  void aCallbackThatInterruptsAThreadOfThePoolBreaksNothing(boolean timeout) throws Exception {
    pool = builder(timeout, 1).build();
    AtomicInteger poolThreads = new AtomicInteger();
    for (int i = 0; i < 50; i++) {
      List<Integer> results =
          pool.mapAsync(x -> 2 * x, range(100))
              .whenComplete(
                  (r, e) -> {
                    // the thread that completed the call: the one that read the last results
                    if (Thread.currentThread().getName().startsWith("pool4j-")) {
                      poolThreads.incrementAndGet();
                      Thread.currentThread().interrupt();
                    }
                  })
              .get(30, TimeUnit.SECONDS);
      assertThat(results).isEqualTo(doubled(100));
    }
    assertThat(poolThreads).as("calls completed on a thread of the pool").hasPositiveValue();
  }

  /** The thread that interrupts the worker's main thread, once started; one per worker JVM. */
  private static volatile Thread interrupter;

  /**
   * Starts (once per worker JVM) a thread that interrupts the calling thread, the worker's main
   * thread, every 50 microseconds until the worker exits: it interrupts it while it runs tasks,
   * while it waits for the next chunk and while it writes results.
   */
  static int interruptedFromAnotherThread(int x) {
    if (interrupter == null) {
      synchronized (WorkerInterruptTest.class) {
        if (interrupter == null) {
          Thread main = Thread.currentThread();
          Thread t =
              new Thread(
                  () -> {
                    for (; ; ) {
                      main.interrupt();
                      LockSupport.parkNanos(50_000);
                    }
                  });
          t.setDaemon(true);
          t.start();
          interrupter = t;
        }
      }
    }
    return 2 * x;
  }

  @ParameterizedTest(name = "task timeout: {0}")
  @ValueSource(booleans = {false, true})
  void interruptsFromAnotherThreadOfTheWorkerBreakNothing(boolean timeout) {
    pool = builder(timeout, 2).build();
    assertThat(pool.map(WorkerInterruptTest::interruptedFromAnotherThread, range(2_000), 1))
        .isEqualTo(doubled(2_000));
    assertThat(pool.map(WorkerInterruptTest::interruptedFromAnotherThread, range(100_000)))
        .isEqualTo(doubled(100_000));
  }
}
