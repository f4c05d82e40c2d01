package dev.pool4j.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared read-ahead ({@link Call#pollReadAhead()}): a reader of a list's tiny chunks reads
 * several and leaves all but one for any worker to take without the read token; a cancel or a
 * terminate drops those chunks at once, so that no call waits for chunks nobody will take.
 */
@Timeout(120)
class ReadAheadTest {

  private static final long PATIENCE_SECONDS = 30;

  private static final int ITEMS = 20_000;

  @Test
  void aListsTinyChunksAreReadAheadForAnyWorkerAndEveryResultComesBackInOrder() throws Exception {
    AtomicInteger mostAhead = new AtomicInteger();
    Scheduler scheduler =
        new Scheduler(
            TestBackends.config(2, 1),
            TestBackends.backend(
                chunk -> {
                  mostAhead.accumulateAndGet(chunk.call.readAheadSize(), Math::max);
                  return echo(chunk);
                }));
    try {
      CompletableFuture<List<Object>> outcome = collect(scheduler, range(ITEMS), true);
      assertThat(outcome.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(range(ITEMS));
      assertThat(mostAhead.get()).as("chunks seen waiting read ahead").isPositive();
    } finally {
      closeAndJoin(scheduler);
    }
  }

  /**
   * Not where it could hide work or block: a backend that queues chunks (its workers are this JVM's
   * senders, which hold chunks of their own), and an input that may block (an iterator).
   */
  @ParameterizedTest(name = "queuesChunks={0}")
  @ValueSource(booleans = {true, false})
  void noReadAheadForABackendThatQueuesChunksOrAnInputThatMayBlock(boolean queuesChunks)
      throws Exception {
    AtomicInteger mostAhead = new AtomicInteger();
    Scheduler scheduler =
        new Scheduler(
            TestBackends.config(2, 1),
            TestBackends.backend(
                chunk -> {
                  mostAhead.accumulateAndGet(chunk.call.readAheadSize(), Math::max);
                  return echo(chunk);
                },
                w -> {},
                queuesChunks));
    try {
      // a list for the backend that queues chunks; an iterator for the other
      CompletableFuture<List<Object>> outcome = collect(scheduler, range(ITEMS), queuesChunks);
      assertThat(outcome.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(range(ITEMS));
      assertThat(mostAhead.get()).as("chunks seen waiting read ahead").isZero();
    } finally {
      closeAndJoin(scheduler);
    }
  }

  @Test
  void aCancelDropsTheChunksReadAheadAtOnceAndTheyNeverReachTheBackend() throws Exception {
    Stalled stalled = new Stalled();
    Scheduler scheduler = new Scheduler(TestBackends.config(2, 1), stalled.backend());
    try {
      TestBackends.Started started = start(scheduler, range(ITEMS));
      assertThat(stalled.both.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
      Call call = started.call();
      assertThat(call.readAheadSize())
          .as("chunks read ahead while both workers are held")
          .isPositive();
      int before = stalled.executed.get();

      call.cancel(new CancellationException("cancelled by the test"));

      assertThat(call.readAheadSize()).as("chunks read ahead after the cancel").isZero();
      stalled.release.countDown();
      // the failure itself, as the sink got it (CompletableFuture.get wraps a cancellation on
      // newer JDKs)
      assertThat(started.outcome().handle((r, t) -> t).get(PATIENCE_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(CancellationException.class)
          .hasMessage("cancelled by the test");
      closeAndJoin(scheduler);
      assertThat(stalled.executed.get()).as("chunks run after the cancel").isEqualTo(before);
    } finally {
      stalled.release.countDown();
      scheduler.terminate();
    }
  }

  @Test
  void aTerminateWithChunksReadAheadEndsTheCallAndEveryWorker() throws Exception {
    Stalled stalled = new Stalled();
    Scheduler scheduler = new Scheduler(TestBackends.config(2, 1), stalled.backend());
    try {
      TestBackends.Started started = start(scheduler, range(ITEMS));
      assertThat(stalled.both.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(started.call().readAheadSize()).isPositive();

      scheduler.terminate();
      stalled.release.countDown();

      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(started.outcome()).failsWithin(PATIENCE_SECONDS, TimeUnit.SECONDS);
      assertThat(started.call().readAheadSize()).isZero();
    } finally {
      stalled.release.countDown();
      scheduler.terminate();
    }
  }

  /**
   * A backend whose two workers each stop, once the call is measured tiny, on the first chunk they
   * are handed while chunks wait read ahead, until {@link #release}: then chunks stay read ahead
   * with no worker to take them.
   */
  private static final class Stalled {
    final CountDownLatch both = new CountDownLatch(2);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger executed = new AtomicInteger();
    private final ThreadLocal<Boolean> held = ThreadLocal.withInitial(() -> false);

    Backend backend() {
      Function<Chunk, Integer> execute =
          chunk -> {
            executed.incrementAndGet();
            if (!held.get() && chunk.start() > 1_000 && chunk.call.readAheadSize() > 0) {
              held.set(true);
              both.countDown();
              awaitQuietly(release);
            }
            return echo(chunk);
          };
      return TestBackends.backend(execute);
    }
  }

  private static int echo(Chunk chunk) {
    Object[] items = chunk.items();
    chunk.report(Outcome.done(items.clone(), items.length, null, 1, null));
    return items.length;
  }

  private static TestBackends.Started start(Scheduler scheduler, List<Integer> inputs) {
    CompletableFuture<List<Object>> outcome = new CompletableFuture<>();
    Task<Object, Object> unused = x -> x;
    Call call =
        scheduler.submit(
            unused,
            Input.of(inputs, "inputs"),
            Mode.COLLECT,
            1,
            new Call.Sink() {
              @Override
              public void succeeded(List<Object> results) {
                outcome.complete(results);
              }

              @Override
              public void failed(RuntimeException failure) {
                outcome.completeExceptionally(failure);
              }
            },
            new Call.Listener() {
              @Override
              public void completed(long items) {}

              @Override
              public void finished() {}
            });
    return new TestBackends.Started(call, outcome);
  }

  /** A collected call in chunks of one, over the list itself or over its iterator. */
  private static CompletableFuture<List<Object>> collect(
      Scheduler scheduler, List<Integer> inputs, boolean asList) {
    if (asList) {
      return start(scheduler, inputs).outcome();
    }
    return TestBackends.collect(
            scheduler, inputs.iterator(), 1, new java.util.concurrent.atomic.AtomicLong())
        .outcome();
  }

  private static List<Integer> range(int n) {
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      xs.add(i);
    }
    return xs;
  }

  private static void closeAndJoin(Scheduler scheduler) throws InterruptedException {
    scheduler.close();
    assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
