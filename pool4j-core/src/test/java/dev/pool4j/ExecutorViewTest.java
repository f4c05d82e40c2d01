package dev.pool4j;

import static dev.pool4j.Testing.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Pool#asExecutor()}: commands on the pool's workers, refusals once closed, no leaks.
 *
 * <p>In this JVM only: a {@link Runnable} is not serializable and returns nothing, so worker
 * processes and the cluster refuse the view at {@code asExecutor()} (checked by {@code
 * IdiomsOnProcessesTest} and {@code ClusterIdiomsTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecutorViewTest {

  @InThisJvm
  void commandsRunOnThePoolsWorkersAndFeedCompletableFutures(PoolFactory backend) throws Exception {
    Pool pool = backend.create(2);
    Executor executor = pool.asExecutor();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch ran = new CountDownLatch(50);
    for (int i = 0; i < 50; i++) {
      executor.execute(
          () -> {
            threads.add(Thread.currentThread().getName());
            ran.countDown();
          });
    }
    assertThat(ran.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    String prefix = Testing.threadPrefix(pool);
    assertThat(threads).isNotEmpty().allMatch(name -> name.startsWith(prefix + "worker-"));

    List<CompletableFuture<Integer>> squares =
        IntStream.range(0, 20)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> i * i, executor))
            .collect(Collectors.toList());
    assertThat(
            CompletableFuture.allOf(squares.toArray(new CompletableFuture<?>[0]))
                .get(30, TimeUnit.SECONDS))
        .isNull();
    assertThat(squares.stream().map(CompletableFuture::join).collect(Collectors.toList()))
        .isEqualTo(IntStream.range(0, 20).map(i -> i * i).boxed().collect(Collectors.toList()));
    Testing.closeAndJoin(pool);
  }

  @InThisJvm
  void aThrowingCommandGoesToTheWorkersUncaughtHandlerAndThePoolGoesOn(PoolFactory backend)
      throws Exception {
    try (Pool pool = backend.create(1)) {
      Executor executor = pool.asExecutor();
      AtomicReference<Throwable> reported = new AtomicReference<>();
      AtomicReference<String> where = new AtomicReference<>();
      CountDownLatch handled = new CountDownLatch(1);
      executor.execute(
          () -> {
            Thread.currentThread()
                .setUncaughtExceptionHandler(
                    (thread, e) -> {
                      where.set(thread.getName());
                      reported.set(e);
                      handled.countDown();
                    });
            throw new IllegalStateException("boom");
          });
      assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(reported.get()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
      assertThat(where.get()).contains("-worker-");
      assertThat(CompletableFuture.supplyAsync(() -> "after", executor).get(30, TimeUnit.SECONDS))
          .isEqualTo("after");
    }
  }

  @InThisJvm
  void aClosedPoolRejectsCommandsButRunsThoseItAccepted(PoolFactory backend) throws Exception {
    Pool pool = backend.create(1);
    Executor executor = pool.asExecutor();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(1);
    executor.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    executor.execute(second::countDown); // queued behind the first
    pool.close();
    assertThatThrownBy(() -> executor.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("closed");
    release.countDown();
    assertThat(second.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    Testing.closeAndJoin(pool);
    assertThat(pool.isTerminated()).isTrue();
    assertThatThrownBy(() -> executor.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void theViewLeavesNoThreadBehind() throws Exception {
    Set<String> before = Testing.livePoolThreads();
    Pool pool = Pool.create(2);
    String prefix = Testing.threadPrefix(pool);
    Executor executor = pool.asExecutor();
    CountDownLatch ran = new CountDownLatch(200);
    for (int i = 0; i < 200; i++) {
      executor.execute(ran::countDown);
    }
    assertThat(ran.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    Testing.closeAndJoin(pool);
    Testing.await()
        .untilAsserted(
            () ->
                assertThat(Testing.livePoolThreads())
                    .noneMatch(name -> name.startsWith(prefix))
                    .isSubsetOf(before));
  }

  @Test
  void aNullCommandIsRefusedWithItsName() {
    try (Pool pool = Pool.create(1)) {
      assertThatThrownBy(() -> pool.asExecutor().execute(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("command");
    }
  }
}
