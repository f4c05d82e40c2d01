package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster backend waits on events, not by looking again every so often: a chunk that waits for
 * a free worker is parked until a chunk ends (untimed), and {@code build()} waiting for a member
 * that does pool work wakes only at its deadline when none comes. An interrupt in a wait is kept.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ClusterWaitTest {

  /** Holds the first task of a test on the embedded member (in this JVM) until opened. */
  static volatile CountDownLatch gate;

  /** A thread that waits on a condition inside {@code method} of the backend. */
  private static Optional<Thread> waitingIn(String method) {
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      List<StackTraceElement> stack = Arrays.asList(e.getValue());
      boolean inMethod =
          stack.stream()
              .anyMatch(
                  f ->
                      f.getClassName().equals(HazelcastBackend.class.getName())
                          && f.getMethodName().equals(method));
      boolean onCondition =
          stack.stream()
              .anyMatch(
                  f ->
                      f.getClassName().endsWith("AbstractQueuedSynchronizer$ConditionObject")
                          && f.getMethodName().startsWith("await"));
      if (inMethod && onCondition) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  @Test
  void aChunkThatWaitsForAFreeWorkerIsParkedUntilAChunkEnds() throws Exception {
    HazelcastBackend backend = EmbeddedTest.embedded().localWorkers(1);
    Pool pool = Pool.builder().backend(backend).workers(1).build();
    gate = new CountDownLatch(1);
    try {
      CompletableFuture<Integer> first =
          pool.applyAsync(
              x -> {
                gate.await();
                return x;
              },
              1);
      CompletableFuture<Integer> second = pool.applyAsync(x -> x + 1, 2);
      // the pool's one place is taken: the second chunk waits for it
      TestCluster.await().until(() -> waitingIn("reserve").isPresent());
      Thread waiting = waitingIn("reserve").orElseThrow();
      // WAITING: no timeout, so nothing but a signal wakes it (a periodic look is TIMED_WAITING)
      assertThat(waiting.getState())
          .as("the waiting chunk's thread, at %s", Arrays.toString(waiting.getStackTrace()))
          .isEqualTo(Thread.State.WAITING);
      long before = backend.wakeUps();

      gate.countDown();

      assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo(3);
      // woken by the first chunk's end (once more at most: a spurious wake-up, which Condition
      // allows)
      assertThat(backend.wakeUps() - before).isBetween(1L, 2L);
    } finally {
      gate.countDown();
      pool.close();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
  }

  @Test
  void buildWaitingForAMemberThatDoesPoolWorkWakesOnlyAtItsDeadline() {
    HazelcastBackend backend =
        EmbeddedTest.embedded().localWorkers(0).connectTimeout(Duration.ofSeconds(1));
    AtomicReference<Throwable> failed = new AtomicReference<>();
    try {
      Pool.builder().backend(backend).build().terminate();
    } catch (IllegalStateException e) {
      failed.set(e);
    }
    assertThat(failed.get()).hasMessageContaining("does pool work");
    // the deadline's wake-up (once more at most: a timed park may end early); a look every
    // 100 ms woke it ten times
    assertThat(backend.wakeUps()).isBetween(1L, 2L);
  }

  @Test
  void aBuildInterruptedWhileItWaitsForAMemberFailsAndKeepsTheInterrupt() throws Exception {
    HazelcastBackend backend =
        EmbeddedTest.embedded().localWorkers(0).connectTimeout(Duration.ofMinutes(1));
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    CompletableFuture<Boolean> flag = new CompletableFuture<>();
    Thread builder =
        new Thread(
            () -> {
              try {
                Pool.builder().backend(backend).build().terminate();
                failure.complete(null);
              } catch (Throwable t) {
                failure.complete(t);
              }
              flag.complete(Thread.currentThread().isInterrupted());
            },
            "cluster-wait-builder");
    builder.start();
    TestCluster.await().until(() -> waitingIn("awaitPoolWork").isPresent());

    builder.interrupt();

    assertThat(failure.get(60, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("interrupted while waiting for a member");
    assertThat(flag.get(60, TimeUnit.SECONDS)).as("the builder's interrupt flag").isTrue();
    builder.join();
    assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
  }

  @Test
  void aReplyAwaitedOnTheResultsThreadKeepsTheInterruptThatEndsTheWait() throws Exception {
    FutureTask<Object> never = new FutureTask<>(() -> "never run");
    CompletableFuture<Throwable> reported = new CompletableFuture<>();
    CompletableFuture<Boolean> flag = new CompletableFuture<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              started.countDown();
              HazelcastBackend.awaitReply(never, (reply, failure) -> reported.complete(failure));
              flag.complete(Thread.currentThread().isInterrupted());
            },
            "cluster-wait-reader");
    reader.start();
    started.await();

    reader.interrupt();

    assertThat(reported.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(flag.get(60, TimeUnit.SECONDS)).as("the reader's interrupt flag").isTrue();
    reader.join();
  }
}
