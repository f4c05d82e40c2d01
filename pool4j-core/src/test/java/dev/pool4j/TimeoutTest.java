package dev.pool4j;

import static dev.pool4j.Testing.await;
import static dev.pool4j.Testing.closeAndJoin;
import static dev.pool4j.Testing.range;
import static dev.pool4j.Testing.take;
import static dev.pool4j.Testing.workerThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A task past the pool's {@code taskTimeout} fails its call with a {@link TimeoutException} cause
 * and its thread is interrupted; the pool keeps working with as many workers as before.
 *
 * <p>The timeouts are short enough to keep the suite quick and long enough that a task that does
 * not wait on purpose never reaches them, even on a busy machine.
 */
class TimeoutTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  @EveryBackend
  void aTaskPastTheTimeoutFailsWithATimeoutExceptionAndItsThreadIsInterrupted(PoolFactory backend)
      throws Exception {
    Gate never = new Gate();
    Gate interrupted = new Gate();
    Marks ranIn = new Marks();
    try (Pool pool = backend.builder().workers(2).taskTimeout(TIMEOUT).build()) {
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        if (x == 1) {
                          ranIn.add(ProcessHandle.current().pid());
                          try {
                            never.pass();
                          } catch (InterruptedException e) {
                            interrupted.open();
                            throw e;
                          }
                        }
                        return x;
                      },
                      range(0, 3),
                      1))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(1);
                assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
              });
      if (backend.sharesMemory()) {
        assertThat(interrupted.await(Testing.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
            .as("the timed-out task's thread was interrupted")
            .isTrue();
      } else {
        // a worker JVM is stopped for good: killed, and replaced
        Set<Long> pid = pids(ranIn);
        assertThat(pid).hasSize(1).doesNotContain(ProcessHandle.current().pid());
        await().until(() -> Testing.noneAlive(pid));
        assertThat(pool.map(x -> x + 1, range(0, 4))).containsExactly(1, 2, 3, 4);
      }
    } finally {
      never.open();
    }
  }

  private static Set<Long> pids(Marks marks) {
    return marks.names().stream().map(Long::valueOf).collect(Collectors.toSet());
  }

  @EveryBackend
  void thePoolKeepsItsParallelismAfterATaskThatIgnoresTheInterrupt(PoolFactory backend) {
    Gate stuck = new Gate();
    AtomicReference<Thread> stuckThread = new AtomicReference<>();
    Marks stuckIn = new Marks();
    Pool pool = backend.builder().workers(2).taskTimeout(Duration.ofSeconds(1)).build();
    try {
      boolean here = backend.sharesMemory();
      assertThatThrownBy(
              () ->
                  pool.apply(
                      x -> {
                        if (here) {
                          stuckThread.set(Thread.currentThread());
                        } else {
                          stuckIn.add(ProcessHandle.current().pid());
                        }
                        stuck.passIgnoringInterrupts();
                        return x;
                      },
                      0))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> assertThat(e.getCause()).isInstanceOf(TimeoutException.class));
      if (!here) {
        // a worker JVM is killed, whatever its task does with interrupts, and replaced
        Set<Long> pid = pids(stuckIn);
        assertThat(pid).hasSize(1);
        await().until(() -> Testing.noneAlive(pid));
        assertThat(workerPidsUnderTimeout(pool)).doesNotContainAnyElementsOf(pid);
        assertThat(pool.map(x -> x + 1, range(0, 100))).isEqualTo(range(1, 101));
        return;
      }
      await().until(() -> stuck.interruptsIgnored() > 0);

      // the stuck thread still holds on, yet two tasks can meet: a replacement worker runs
      assertThat(workerThreads(pool, 2)).doesNotContain(stuckThread.get());
      assertThat(pool.map(x -> x + 1, range(0, 100))).isEqualTo(range(1, 101));
    } finally {
      stuck.open();
    }
    await().until(() -> !stuckThread.get().isAlive());
    closeAndJoin(pool);
  }

  /**
   * The pids of the pool's 2 worker JVMs, running at once, on a pool whose task timeout is 1 s: on
   * a loaded machine the JVM that replaced a killed one may take longer than that to start, so each
   * task waits for the other only 300 ms (a timeout would kill its worker too), and the check is
   * tried again until both ran at once, for up to {@link Testing#PATIENCE}.
   */
  private static Set<Long> workerPidsUnderTimeout(Pool pool) {
    long deadline = System.nanoTime() + Testing.PATIENCE.toNanos();
    for (; ; ) {
      Set<String> workers = Testing.parallelWorkers(pool, 2, Duration.ofMillis(300));
      if (workers != null) {
        return workers.stream()
            .map(id -> Long.valueOf(id.substring(0, id.indexOf('_'))))
            .collect(Collectors.toSet());
      }
      assertThat(System.nanoTime() - deadline)
          .as("two worker JVMs ran at once within %s", Testing.PATIENCE)
          .isNegative();
    }
  }

  @EveryBackend
  void imapYieldsTheResultsBeforeATimedOutTaskThenItsFailure(PoolFactory backend) throws Exception {
    Gate never = new Gate();
    try (Pool pool = backend.builder().workers(1).taskTimeout(TIMEOUT).build();
        Results<Integer> results =
            pool.imap(
                x -> {
                  if (x == 2) {
                    never.pass();
                  }
                  return x;
                },
                range(0, 10),
                1)) {
      assertThat(take(results)).isZero();
      assertThat(take(results)).isEqualTo(1);
      assertThatThrownBy(() -> take(results))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(2);
                assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
              });
      assertThat(results.hasNext()).isFalse();
      // the only worker was replaced: the pool still runs calls
      assertThat(pool.map(x -> x + 1, range(0, 10))).isEqualTo(range(1, 11));
    } finally {
      never.open();
    }
  }

  @EveryBackend
  void tasksWithinTheTimeoutAreNotAffectedByIt(PoolFactory backend) {
    try (Pool pool = backend.builder().workers(2).taskTimeout(Duration.ofSeconds(5)).build()) {
      assertThat(pool.map(x -> x + 1, range(0, 5_000))).isEqualTo(range(1, 5_001));
      assertThat(pool.imap(x -> x + 1, range(0, 500), 1).toList()).isEqualTo(range(1, 501));
    }
  }

  @EveryBackend
  void theWatchdogThreadEndsWithThePool(PoolFactory backend) {
    Set<String> before = Testing.livePoolThreads();
    Pool pool = backend.builder().workers(1).taskTimeout(TIMEOUT).build();
    pool.map(x -> x, range(0, 10));
    Set<String> started = new HashSet<>(Testing.livePoolThreads());
    started.removeAll(before);
    assertThat(started).as("the threads the pool started").isNotEmpty();
    if (backend.sharesMemory()) {
      assertThat(started).anyMatch(n -> n.endsWith("-watchdog"));
    }
    closeAndJoin(pool);
    await().until(() -> Testing.livePoolThreads().stream().noneMatch(started::contains));
  }
}
