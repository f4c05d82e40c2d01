package dev.pool4j;

import static dev.pool4j.Testing.await;
import static dev.pool4j.Testing.closeAndJoin;
import static dev.pool4j.Testing.range;
import static dev.pool4j.Testing.take;
import static dev.pool4j.Testing.workerThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

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
  void aTaskPastTheTimeoutFailsWithATimeoutExceptionAndItsThreadIsInterrupted(
      PoolFactory backend) throws Exception {
    Gate never = new Gate();
    CountDownLatch interrupted = new CountDownLatch(1);
    try (Pool pool = backend.builder().workers(2).taskTimeout(TIMEOUT).build()) {
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        if (x == 1) {
                          try {
                            never.pass();
                          } catch (InterruptedException e) {
                            interrupted.countDown();
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
      assertThat(interrupted.await(Testing.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
          .as("the timed-out task's thread was interrupted")
          .isTrue();
    } finally {
      never.open();
    }
  }

  @EveryBackend
  void thePoolKeepsItsParallelismAfterATaskThatIgnoresTheInterrupt(PoolFactory backend) {
    Gate stuck = new Gate();
    AtomicReference<Thread> stuckThread = new AtomicReference<>();
    Pool pool = backend.builder().workers(2).taskTimeout(Duration.ofSeconds(1)).build();
    try {
      assertThatThrownBy(
              () ->
                  pool.apply(
                      x -> {
                        stuckThread.set(Thread.currentThread());
                        stuck.passIgnoringInterrupts();
                        return x;
                      },
                      0))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> assertThat(e.getCause()).isInstanceOf(TimeoutException.class));
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

  @EveryBackend
  void imapYieldsTheResultsBeforeATimedOutTaskThenItsFailure(PoolFactory backend)
      throws Exception {
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
    Pool pool = backend.builder().workers(1).taskTimeout(TIMEOUT).build();
    String prefix = Testing.threadPrefix(pool);
    assertThat(Testing.livePoolThreads()).contains(prefix + "watchdog");
    closeAndJoin(pool);
    await().until(() -> Testing.livePoolThreads().stream().noneMatch(n -> n.startsWith(prefix)));
  }
}
