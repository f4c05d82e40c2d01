package dev.pool4j;

import static dev.pool4j.Testing.PATIENCE;
import static dev.pool4j.Testing.await;
import static dev.pool4j.Testing.closeAndJoin;
import static dev.pool4j.Testing.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code apply}, {@code applyAsync} and {@code mapAsync}: they complete with the results, fail with
 * a {@link TaskFailedException}, and cancelling the future cancels the remaining work.
 */
class AsyncTest {

  @EveryBackend
  void applyRunsOneTaskOnAWorker(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      Task<Integer, Long> pid = x -> ProcessHandle.current().pid();
      Task<Integer, String> threadName = x -> Thread.currentThread().getName();
      if (backend.sharesMemory()) {
        assertThat(pool.apply(threadName, 0)).startsWith(Testing.POOL_THREAD_PREFIX);
      } else {
        assertThat(pool.apply(pid, 0))
            .as("a worker JVM")
            .isNotEqualTo(ProcessHandle.current().pid());
      }
      int doubled = pool.apply(x -> x * 2, 21);
      assertThat(doubled).isEqualTo(42);
    }
  }

  @EveryBackendAndTheSeam
  void applyAsyncAndMapAsyncCompleteWithTheResults(PoolFactory backend) throws Exception {
    try (Pool pool = backend.create(2)) {
      CompletableFuture<Integer> one = pool.applyAsync(x -> x * 2, 21);
      CompletableFuture<List<Integer>> many = pool.mapAsync(x -> x * 2, range(0, 1_000));
      assertThat(one.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(42);
      assertThat(many.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
          .isEqualTo(range(0, 1_000).stream().map(x -> x * 2).toList());
    }
  }

  @EveryBackendAndTheSeam
  void applyAsyncAndMapAsyncFailWithTaskFailedException(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      CompletableFuture<Integer> one = pool.applyAsync(x -> 10 / x, 0);
      CompletableFuture<List<Integer>> many = pool.mapAsync(x -> 10 / (x - 7), range(0, 100));

      assertThatThrownBy(one::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isZero();
                assertThat(e.getCause()).isInstanceOf(ArithmeticException.class);
              });
      assertThatThrownBy(many::join)
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOfSatisfying(
              TaskFailedException.class, e -> assertThat(e.index()).isEqualTo(7));
      assertThatThrownBy(() -> pool.apply(x -> 10 / x, 0))
          .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.index()).isZero());
    }
  }

  @EveryBackendAndTheSeam
  void cancellingTheFutureOfMapAsyncCancelsTheRemainingWork(PoolFactory backend) {
    Gate gate = new Gate();
    Marks ran = new Marks();
    Pool pool = backend.builder().workers(1).chunksize(1).build();
    try {
      CompletableFuture<List<Integer>> future =
          pool.mapAsync(
              x -> {
                ran.add(x);
                if (x == 0) {
                  gate.pass();
                }
                return x;
              },
              range(0, 50));
      await().until(() -> ran.contains(0));

      assertThat(future.cancel(true)).isTrue();
      assertThat(future).isCancelled();
      gate.open();
      assertThat(pool.map(x -> x, range(0, 3))).as("the pool goes on").containsExactly(0, 1, 2);
    } finally {
      gate.open();
      closeAndJoin(pool);
    }
    assertThat(ran.ints()).as("the inputs that ran").containsExactly(0);
  }

  @EveryBackendAndTheSeam
  void cancellingTheFutureOfAQueuedApplyAsyncMeansItNeverRuns(PoolFactory backend) {
    Gate gate = new Gate();
    Marks ran = new Marks();
    Pool pool = backend.create(1);
    try {
      CompletableFuture<String> busy =
          pool.applyAsync(
              x -> {
                ran.add(x);
                gate.pass();
                return x;
              },
              "busy");
      await().until(() -> ran.contains("busy"));
      CompletableFuture<String> queued =
          pool.applyAsync(
              x -> {
                ran.add(x);
                return x;
              },
              "queued");

      assertThat(queued.cancel(false)).isTrue();
      gate.open();
      assertThat(busy.join()).isEqualTo("busy");
    } finally {
      gate.open();
      closeAndJoin(pool);
    }
    assertThat(ran.names()).containsExactly("busy");
  }

  @EveryBackendAndTheSeam
  void mapAsyncTakesTheResultsOfAnotherCall(PoolFactory backend) {
    try (Pool first = backend.create(2);
        Pool second = backend.create(2)) {
      assertThat(second.mapAsync(x -> x + 1, first.imap(x -> x * 10, range(0, 5))).join())
          .containsExactly(1, 11, 21, 31, 41);
    }
  }
}
