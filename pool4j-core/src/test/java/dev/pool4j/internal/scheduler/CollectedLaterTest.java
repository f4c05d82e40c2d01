package dev.pool4j.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pool4j.Task;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code map} of known size has the array its results are collected into made after the call is
 * queued ({@link Call#allocateCollected}), while the workers start: chunks reported before it is
 * there keep their results, and the call's end puts them in their place.
 */
@Timeout(120)
class CollectedLaterTest {

  private static final long PATIENCE_SECONDS = 30;

  private static final int ITEMS = 1_000;

  private static final int CHUNK = 10;

  /** Inputs below this index run at once; the others wait for the test. */
  private static final int EARLY = 300;

  @Test
  void chunksReportedBeforeTheArrayIsMadeKeepTheirResultsAndTheEndPutsThemInPlace()
      throws Exception {
    CountDownLatch rest = new CountDownLatch(1);
    Scheduler scheduler =
        new Scheduler(
            TestBackends.config(2, 1),
            TestBackends.backend(
                chunk -> {
                  if (chunk.start() >= EARLY) {
                    awaitQuietly(rest);
                  }
                  return squares(chunk);
                }));
    try {
      AtomicLong completed = new AtomicLong();
      List<Integer> inputs = range(ITEMS);
      CompletableFuture<List<Object>> outcome = new CompletableFuture<>();
      Call call = queue(scheduler, inputs, outcome, completed);
      // every chunk before EARLY reported, with no array to copy into
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
      while (completed.get() < EARLY && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(completed.get()).as("items reported before the array was made").isEqualTo(EARLY);

      call.allocateCollected();
      rest.countDown();

      List<Object> results = outcome.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      assertThat(results).isEqualTo(squaresOf(inputs));
      // collected in the array, the early chunks copied in at the end; not joined chunk by chunk
      assertThat(results).isInstanceOf(ResultList.class);
    } finally {
      rest.countDown();
      closeAndJoin(scheduler);
    }
  }

  @Test
  void aCallThatEndsBeforeItsArrayIsMadeReturnsItsResultsAndALateArrayChangesNothing()
      throws Exception {
    Scheduler scheduler =
        new Scheduler(TestBackends.config(2, 1), TestBackends.backend(CollectedLaterTest::squares));
    try {
      List<Integer> inputs = range(ITEMS);
      CompletableFuture<List<Object>> outcome = new CompletableFuture<>();
      Call call = queue(scheduler, inputs, outcome, new AtomicLong());

      List<Object> results = outcome.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      call.allocateCollected();

      assertThat(results).isEqualTo(squaresOf(inputs));
      assertThat(results).isNotInstanceOf(ResultList.class);
    } finally {
      closeAndJoin(scheduler);
    }
  }

  /**
   * No room for the results: the error is thrown to the caller as before the array was made late,
   * and the call, already queued, is cancelled, so that its workers do not go on through an input
   * of two billion items.
   */
  @Test
  void noRoomForTheResultsThrowsAndCancelsTheQueuedCall() throws Exception {
    long arrayBytes = (long) (Integer.MAX_VALUE - 8) * 4;
    assumeTrue(
        Runtime.getRuntime().maxMemory() < arrayBytes,
        "needs a heap under 8 GB, where an array of Integer.MAX_VALUE - 8 references cannot be made");
    AtomicLong ran = new AtomicLong();
    Scheduler scheduler =
        new Scheduler(
            TestBackends.config(2, 1),
            TestBackends.backend(
                chunk -> {
                  ran.addAndGet(chunk.runnable());
                  return squares(chunk);
                }));
    try {
      CompletableFuture<RuntimeException> failure = new CompletableFuture<>();
      assertThatThrownBy(
              () ->
                  scheduler.submit(
                      SQUARE,
                      Input.of(new Huge(), "inputs"),
                      Mode.COLLECT,
                      CHUNK,
                      failureSink(failure),
                      TestBackends.listener(new AtomicLong())))
          .isInstanceOf(OutOfMemoryError.class);

      // the sink's own failure: CompletableFuture.get wraps it differently from JDK to JDK
      assertThat(failure.get(PATIENCE_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(CancellationException.class)
          .hasMessageContaining("no memory for the call's results");
      assertThat(ran.get()).as("items run").isLessThan(Integer.MAX_VALUE - 8);

      // the pool goes on (its backend squares, whatever the call's task)
      CompletableFuture<List<Object>> next =
          TestBackends.collect(scheduler, Input.of(range(ITEMS), "inputs"), CHUNK, new AtomicLong())
              .outcome();
      assertThat(next.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(squaresOf(range(ITEMS)));
    } finally {
      closeAndJoin(scheduler);
    }
  }

  /**
   * Queues a collected call of {@link #SQUARE} over {@code inputs} in chunks of {@link #CHUNK},
   * without making its results array.
   */
  private static Call queue(
      Scheduler scheduler,
      List<Integer> inputs,
      CompletableFuture<List<Object>> outcome,
      AtomicLong completed) {
    return scheduler.queue(
        SQUARE,
        Input.of(inputs, "inputs"),
        Mode.COLLECT,
        CHUNK,
        TestBackends.sink(outcome),
        TestBackends.listener(completed));
  }

  /** A list of {@code Integer.MAX_VALUE - 8} zeros, made as they are read. */
  private static final class Huge extends AbstractList<Integer> implements RandomAccess {
    @Override
    public Integer get(int index) {
      return 0;
    }

    @Override
    public int size() {
      return Integer.MAX_VALUE - 8;
    }
  }

  private static final Task<Object, Object> SQUARE =
      x -> {
        int i = (Integer) x;
        return i * i;
      };

  /** Runs a chunk's runnable inputs through {@link #SQUARE} and reports them. */
  private static int squares(Chunk chunk) {
    int n = chunk.runnable();
    Object[] items = chunk.items();
    Object[] results = new Object[n];
    for (int i = 0; i < n; i++) {
      try {
        results[i] = SQUARE.apply(items[i]);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    chunk.report(Outcome.done(results, n, null, 1, null));
    return n;
  }

  private static List<Object> squaresOf(List<Integer> inputs) {
    List<Object> out = new ArrayList<>(inputs.size());
    for (int i : inputs) {
      out.add(i * i);
    }
    return out;
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  /** A sink that hands on the call's failure, and fails the test if the call succeeds. */
  private static Call.Sink failureSink(CompletableFuture<RuntimeException> failure) {
    return new Call.Sink() {
      @Override
      public void succeeded(List<Object> results) {
        failure.completeExceptionally(new AssertionError("the call succeeded"));
      }

      @Override
      public void failed(RuntimeException why) {
        failure.complete(why);
      }
    };
  }

  private static void closeAndJoin(Scheduler scheduler) throws InterruptedException {
    scheduler.close();
    assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the test did not release the chunk");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
