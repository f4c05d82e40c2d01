package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Pool.Builder#initializer(WorkerInitializer)} on threads and virtual threads: once per
 * worker thread, on that thread, before its first task; a failure handled as on worker processes.
 *
 * <p>In this JVM only: the assertions look at the worker threads themselves. The initializer of
 * worker processes has its own tests ({@code WorkerSetupTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadInitializerTest {

  private static final ThreadLocal<String> GREETING = new ThreadLocal<>();

  @InThisJvm
  void theInitializerRunsOnceOnEachWorkerThreadBeforeItsFirstTask(PoolFactory backend) {
    Map<Thread, AtomicInteger> runs = new ConcurrentHashMap<>();
    Pool pool =
        backend
            .builder()
            .workers(3)
            .initializer(
                () -> {
                  runs.computeIfAbsent(Thread.currentThread(), t -> new AtomicInteger())
                      .incrementAndGet();
                  GREETING.set("hello from " + Thread.currentThread().getName());
                })
            .build();
    try {
      // every worker runs a task (the barrier needs all three at once), several calls in a row
      Set<Thread> workers = Testing.workerThreads(pool, 3);
      for (int call = 0; call < 3; call++) {
        List<String> got =
            pool.map(
                x -> GREETING.get() + " / " + Thread.currentThread().getName(),
                Testing.range(0, 100),
                1);
        assertThat(got)
            .allSatisfy(
                s -> {
                  String[] parts = s.split(" / ");
                  assertThat(parts[0]).isEqualTo("hello from " + parts[1]);
                });
      }
      assertThat(runs.keySet()).containsAll(workers);
      assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(GREETING.get()).isNull(); // the caller's thread never ran it
    } finally {
      Testing.closeAndJoin(pool);
    }
  }

  @InThisJvm
  void aFailingInitializerFailsTheCallWithAWorkerDiedExceptionAfterTheRetries(PoolFactory backend) {
    AtomicInteger attempts = new AtomicInteger();
    Pool pool =
        backend
            .builder()
            .workers(1)
            .retries(2)
            .initializer(
                () -> {
                  if (attempts.incrementAndGet() <= 3) {
                    throw new IllegalStateException("no model here");
                  }
                })
            .build();
    try {
      assertThatThrownBy(() -> pool.map(x -> x, List.of(1, 2, 3), 3))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(0);
                assertThat(e.getCause())
                    .isInstanceOf(WorkerDiedException.class)
                    .hasMessageContaining("initializer")
                    .hasMessageContaining("try 3 of at most 3")
                    .hasMessageContaining("no model here")
                    .hasRootCauseInstanceOf(IllegalStateException.class);
              });
      // the first worker and two replacements each failed once; the next replacement succeeds
      assertThat(pool.map(x -> x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
      assertThat(attempts.get()).isEqualTo(4);
    } finally {
      Testing.closeAndJoin(pool);
    }
  }

  @InThisJvm
  void aReplacedWorkerRunsTheInitializerAgain(PoolFactory backend) {
    AtomicInteger runs = new AtomicInteger();
    Pool pool =
        backend
            .builder()
            .workers(1)
            .maxTasksPerWorker(2)
            .initializer(() -> GREETING.set("init #" + runs.incrementAndGet()))
            .build();
    try {
      assertThat(pool.map(x -> GREETING.get(), List.of(0, 1, 2, 3, 4), 1))
          .containsExactly("init #1", "init #1", "init #2", "init #2", "init #3");
    } finally {
      Testing.closeAndJoin(pool);
    }
  }

  @Test
  void theInitializerIsStillRefusedForAPluggedBackend() {
    assertThatThrownBy(
            () -> Pool.builder().backend(new SeamBackend()).initializer(() -> {}).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("initializer")
        .hasMessageContaining("workerState");
  }
}
