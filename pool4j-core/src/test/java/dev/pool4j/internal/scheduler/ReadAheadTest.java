package dev.pool4j.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    assertThat(mostChunksSeenWaiting(false, true))
        .as("chunks seen waiting read ahead")
        .isPositive();
  }

  /**
   * Not where it could hide work or block: a backend that queues chunks (its workers are this JVM's
   * senders, which hold chunks of their own), and an input that may block (an iterator).
   */
  @ParameterizedTest(name = "queuesChunks={0}")
  @ValueSource(booleans = {true, false})
  void noReadAheadForABackendThatQueuesChunksOrAnInputThatMayBlock(boolean queuesChunks)
      throws Exception {
    // a list for the backend that queues chunks; an iterator for the other
    assertThat(mostChunksSeenWaiting(queuesChunks, queuesChunks))
        .as("chunks seen waiting read ahead")
        .isZero();
  }

  /**
   * Runs a collected call of {@link #ITEMS} tiny chunks of one on 2 workers, checks its results,
   * and returns the most chunks a worker saw waiting read ahead as it began one.
   */
  private static int mostChunksSeenWaiting(boolean queuesChunks, boolean asList) throws Exception {
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
      List<Integer> inputs = range(ITEMS);
      Input input = asList ? Input.of(inputs, "inputs") : Input.of(inputs.iterator(), "inputs");
      CompletableFuture<List<Object>> outcome =
          TestBackends.collect(scheduler, input, 1, new AtomicLong()).outcome();
      assertThat(outcome.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(inputs);
      return mostAhead.get();
    } finally {
      closeAndJoin(scheduler);
    }
  }

  @Test
  void aCancelDropsTheChunksReadAheadAtOnceAndTheyNeverReachTheBackend() throws Exception {
    Stalled stalled = new Stalled();
    Scheduler scheduler = stalled.scheduler();
    try {
      TestBackends.Started started = stalled.startAndHold(scheduler);
      Call call = started.call();
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
    Scheduler scheduler = stalled.scheduler();
    try {
      TestBackends.Started started = stalled.startAndHold(scheduler);

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

    /** A scheduler of 2 workers on this backend. */
    Scheduler scheduler() {
      return new Scheduler(TestBackends.config(2, 1), backend());
    }

    /** Starts a call of tiny chunks and returns once both workers are held, chunks waiting. */
    TestBackends.Started startAndHold(Scheduler scheduler) throws InterruptedException {
      TestBackends.Started started = start(scheduler, range(ITEMS));
      assertThat(both.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(started.call().readAheadSize())
          .as("chunks read ahead while both workers are held")
          .isPositive();
      return started;
    }

    private Backend backend() {
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
    return TestBackends.collect(scheduler, Input.of(inputs, "inputs"), 1, new AtomicLong());
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
