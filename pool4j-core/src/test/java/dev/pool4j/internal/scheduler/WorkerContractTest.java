package dev.pool4j.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the worker loop does the same for every backend, before and after a backend's {@link
 * Worker#execute}: the cut at the call's limit at the hand-over, and the wait for the reports of
 * every chunk handed over before the worker counts as exited.
 */
@Timeout(120)
class WorkerContractTest {

  private static final long PATIENCE_SECONDS = 30;

  @Test
  void aChunkReadBeforeAFailureAndHandedOverAfterItNeverReachesTheBackend() throws Exception {
    CountDownLatch secondChunkReading = new CountDownLatch(1);
    CountDownLatch firstChunkFailed = new CountDownLatch(1);
    ConcurrentLinkedQueue<Long> executed = new ConcurrentLinkedQueue<>();
    AtomicReference<Throwable> backendFailure = new AtomicReference<>();
    // input 2 (the second chunk's first) is read only once the first chunk has failed: the
    // worker reading it then hands over a chunk that the call no longer needs
    Iterator<Integer> input =
        new Iterator<>() {
          int next;

          @Override
          public boolean hasNext() {
            return next < 6;
          }

          @Override
          public Integer next() {
            if (next >= 6) {
              throw new NoSuchElementException();
            }
            if (next == 2) {
              secondChunkReading.countDown();
              await(firstChunkFailed);
            }
            return next++;
          }
        };
    Function<Chunk, Integer> execute =
        chunk -> {
          executed.add(chunk.start());
          if (chunk.start() == 0) {
            // fail at input 0 once the other worker is inside the read of the next chunk
            if (!await(secondChunkReading)) {
              backendFailure.set(new AssertionError("the second chunk was never read"));
            }
            chunk.report(Outcome.done(null, 0, new IllegalStateException("input 0"), 1, null));
            firstChunkFailed.countDown();
            return 1;
          }
          Object[] items = chunk.items();
          chunk.report(Outcome.done(items.clone(), items.length, null, 1, null));
          return items.length;
        };
    Scheduler scheduler = new Scheduler(config(2), TestBackends.backend(execute, w -> {}));
    try {
      CompletableFuture<List<Object>> outcome = collect(scheduler, input, 2);
      assertThatThrownBy(() -> outcome.get(PATIENCE_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("input 0");
      scheduler.close();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(backendFailure.get()).isNull();
      assertThat(executed).as("starts of the chunks handed to the backend").containsExactly(0L);
    } finally {
      scheduler.terminate();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aWorkerCountsAsExitedOnlyAfterEveryChunkItHandedOverWasReported() throws Exception {
    ExecutorService reporters = Executors.newCachedThreadPool();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger handedOver = new AtomicInteger();
    AtomicInteger reported = new AtomicInteger();
    // per worker thread: chunks it handed over, and those of them reported
    ConcurrentHashMap<Thread, AtomicInteger> handedBy = new ConcurrentHashMap<>();
    ConcurrentHashMap<Thread, AtomicInteger> reportedOf = new ConcurrentHashMap<>();
    AtomicInteger stopped = new AtomicInteger();
    ConcurrentLinkedQueue<String> stoppedEarly = new ConcurrentLinkedQueue<>();
    // the backend holds every chunk and reports it from a thread of its own once released, as a
    // backend that queues chunks ahead of their results does
    // each worker's first chunk waits for the other's, so that both hand chunks over (one that
    // handed over none may rightly stop at once, which this test is not about)
    java.util.concurrent.CyclicBarrier bothWorkers = new java.util.concurrent.CyclicBarrier(2);
    Function<Chunk, Integer> execute =
        chunk -> {
          Thread worker = Thread.currentThread();
          handedOver.incrementAndGet();
          boolean first =
              handedBy.computeIfAbsent(worker, t -> new AtomicInteger()).incrementAndGet() == 1;
          if (first) {
            try {
              bothWorkers.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException("the other worker handed no chunk over", e);
            }
          }
          reporters.execute(
              () -> {
                await(release);
                // counted before the report: the report itself may let the worker go
                reported.incrementAndGet();
                reportedOf.computeIfAbsent(worker, t -> new AtomicInteger()).incrementAndGet();
                chunk.report(Outcome.done(null, 0, null, 1, null));
              });
          return chunk.size();
        };
    Consumer<Worker> whenStopped =
        w -> {
          Thread t = Thread.currentThread();
          int handed = handedBy.getOrDefault(t, new AtomicInteger()).get();
          int done = reportedOf.getOrDefault(t, new AtomicInteger()).get();
          if (done < handed) {
            stoppedEarly.add(t.getName() + ": " + done + " of " + handed + " reported");
          }
          stopped.incrementAndGet();
        };
    Scheduler scheduler =
        new Scheduler(config(2), TestBackends.backend(execute, whenStopped, true));
    try {
      collect(scheduler, List.of(1, 2, 3, 4, 5, 6, 7, 8).iterator(), 1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
      while (handedBy.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(handedBy).hasSize(2);
      scheduler.terminate();
      // every worker's loop has ended, but the chunks they handed over are not reported yet
      assertThat(scheduler.join(200, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(stopped).hasValue(0);
      release.countDown();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(reported).hasValue(handedOver.get());
      assertThat(stopped).hasValue(2);
      assertThat(stoppedEarly).as("workers stopped before their chunks' reports").isEmpty();
    } finally {
      release.countDown();
      reporters.shutdownNow();
      scheduler.terminate();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  @ParameterizedTest(name = "the backend queues chunks: {0}")
  @ValueSource(booleans = {true, false})
  void chunkTimesAreRecordedWhenARunIsReportedForABackendThatQueuesChunks(boolean queuesChunks)
      throws Exception {
    // every run reports 4 ms, by a worker
    Function<Chunk, Integer> execute =
        chunk -> {
          Object[] items = chunk.items();
          Outcome.Ran ran = new Outcome.Ran(1, "place", 0);
          chunk.report(Outcome.done(items.clone(), items.length, null, 4_000_000, ran));
          return items.length;
        };
    Scheduler scheduler =
        new Scheduler(config(2), TestBackends.backend(execute, w -> {}, queuesChunks));
    try {
      assertThat(scheduler.chunkTime().nanos()).as("before any chunk").isEqualTo(-1);
      CompletableFuture<List<Object>> outcome =
          collect(scheduler, List.of(1, 2, 3, 4, 5).iterator(), 2);
      assertThat(outcome.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).containsExactly(1, 2, 3, 4, 5);
      long expected = queuesChunks ? 4_000_000 : -1;
      assertThat(LAST_CALL.get().chunkTime().nanos()).isEqualTo(expected);
      assertThat(scheduler.chunkTime().nanos()).isEqualTo(expected);
    } finally {
      scheduler.terminate();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** The call {@link #collect} made last (tests run one at a time in this class). */
  private static final AtomicReference<Call> LAST_CALL = new AtomicReference<>();

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static SchedulerConfig config(int workers) {
    return TestBackends.config(workers, 0);
  }

  /** Starts a collected call over {@code input}, in chunks of {@code chunksize}. */
  private static CompletableFuture<List<Object>> collect(
      Scheduler scheduler, Iterator<?> input, int chunksize) {
    TestBackends.Started started =
        TestBackends.collect(scheduler, input, chunksize, new AtomicLong());
    LAST_CALL.set(started.call());
    return started.outcome();
  }
}
