package dev.pool4j.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Exactly-once in the one place every backend reports through: {@link Chunk#report}. A backend of
 * this test hands every run of a chunk to several threads at once, which race to report it; the
 * call must take exactly one report per run and see exactly that run's outcome.
 */
class ExactlyOnceReportTest {

  private static final long PATIENCE_SECONDS = 30;

  /** Per run: the result of input {@code x} reported by racer {@code r} is {@code x * 100 + r}. */
  private static Object[] resultsOf(Object[] items, int racer) {
    Object[] results = new Object[items.length];
    for (int i = 0; i < items.length; i++) {
      results[i] = (Integer) items[i] * 100 + racer;
    }
    return results;
  }

  @Property(tries = 40)
  void racingReportsOfOneRunHaveExactlyOneWinnerAndTheCallSeesOnlyItsOutcome(
      @ForAll @IntRange(min = 2, max = 8) int racers,
      @ForAll @IntRange(min = 1, max = 5) int chunksize,
      @ForAll @IntRange(min = 0, max = 60) int inputs,
      @ForAll @IntRange(min = 1, max = 3) int workers)
      throws Exception {
    AtomicInteger runs = new AtomicInteger();
    ConcurrentLinkedQueue<Integer> winsPerRun = new ConcurrentLinkedQueue<>();
    AtomicInteger losses = new AtomicInteger();
    AtomicReference<Throwable> racerFailure = new AtomicReference<>();
    ConcurrentHashMap<Long, AtomicInteger> runsPerChunk = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newCachedThreadPool();
    Function<Chunk, Integer> race =
        chunk -> {
          runs.incrementAndGet();
          int run =
              runsPerChunk
                  .computeIfAbsent(chunk.start(), s -> new AtomicInteger())
                  .incrementAndGet();
          Object[] items = chunk.items();
          CyclicBarrier start = new CyclicBarrier(racers);
          List<Future<Boolean>> reports = new ArrayList<>();
          for (int r = 0; r < racers; r++) {
            int racer = r;
            // odd racers hand the run back (at most twice per chunk, so that it ends): a
            // returned run runs again as a new run, which must take one report of its own
            Outcome outcome =
                racer % 2 == 1 && run <= 2
                    ? Outcome.returned()
                    : Outcome.done(resultsOf(items, racer), items.length, null, 1, null);
            reports.add(
                threads.submit(
                    () -> {
                      start.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
                      return chunk.report(outcome);
                    }));
          }
          int won = 0;
          for (Future<Boolean> report : reports) {
            try {
              if (report.get(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                won++;
              } else {
                losses.incrementAndGet();
              }
            } catch (Exception e) {
              racerFailure.compareAndSet(null, e);
            }
          }
          winsPerRun.add(won);
          return won;
        };
    List<Integer> input = IntStream.range(0, inputs).boxed().collect(Collectors.toList());
    AtomicLong completed = new AtomicLong();
    Scheduler scheduler =
        new Scheduler(TestBackends.config(workers, 1), TestBackends.backend(race));
    try {
      List<Object> results = collect(scheduler, input, chunksize, completed);
      // the call may end inside the winning report, before its racer counted the win: the
      // counts are read once every worker has left, after every race it ran
      scheduler.close();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();

      assertThat(racerFailure.get()).isNull();
      assertThat(winsPerRun)
          .as("winning reports of each run")
          .hasSize(runs.get())
          .allMatch(w -> w == 1);
      assertThat(losses.get()).isEqualTo(runs.get() * (racers - 1));
      assertThat(completed.get()).as("inputs counted done").isEqualTo(inputs);
      assertThat(results).hasSize(inputs);
      for (int from = 0; from < inputs; from += chunksize) {
        List<Object> chunk = results.subList(from, Math.min(inputs, from + chunksize));
        // in input order, and every result of a chunk from the one winning report
        for (int i = 0; i < chunk.size(); i++) {
          assertThat((Integer) chunk.get(i) / 100).isEqualTo(from + i);
        }
        assertThat(chunk.stream().map(v -> (Integer) v % 100).distinct()).hasSize(1);
      }
    } finally {
      threads.shutdownNow();
      scheduler.terminate();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Property(tries = 10)
  void aLateReportOfALostRunDoesNotCountForTheRunAfterIt(
      @ForAll @IntRange(min = 1, max = 4) int chunksize) throws Exception {
    ConcurrentHashMap<Long, Chunk> lostRuns = new ConcurrentHashMap<>();
    AtomicInteger lateWins = new AtomicInteger();
    Function<Chunk, Integer> loseFirstRun =
        chunk -> {
          Object[] items = chunk.items();
          if (chunk.retries() == 0) {
            lostRuns.put(chunk.start(), chunk);
            assertThat(chunk.report(Outcome.lost(new IllegalStateException("lost"), null)))
                .isTrue();
            return 0;
          }
          Chunk old = lostRuns.get(chunk.start());
          assertThat(old).isNotSameAs(chunk);
          // the old run's late report, while its next run is out: dropped, not taken for it
          if (old.report(Outcome.done(resultsOf(items, 1), items.length, null, 1, null))) {
            lateWins.incrementAndGet();
          }
          assertThat(chunk.isReported()).isFalse();
          assertThat(chunk.report(Outcome.done(resultsOf(items, 2), items.length, null, 1, null)))
              .isTrue();
          return items.length;
        };
    List<Integer> input = IntStream.range(0, 20).boxed().collect(Collectors.toList());
    Scheduler scheduler =
        new Scheduler(TestBackends.config(2, 1), TestBackends.backend(loseFirstRun));
    try {
      List<Object> results = collect(scheduler, input, chunksize, new AtomicLong());
      scheduler.close();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();

      assertThat(lateWins.get()).isZero();
      assertThat(results)
          .isEqualTo(input.stream().map(x -> x * 100 + 2).collect(Collectors.toList()));
    } finally {
      scheduler.terminate();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * An unsure run (a worker lost while it held several chunks) runs again isolated, without using a
   * retry, even with none to use; a returned run of an isolated chunk stays isolated; and the
   * results are the isolated runs' own, once each.
   */
  @Property(tries = 10)
  void anUnsureRunRunsAgainIsolatedWithoutUsingARetry(
      @ForAll @IntRange(min = 1, max = 4) int chunksize,
      @ForAll @IntRange(min = 0, max = 2) int retries,
      @ForAll @IntRange(min = 1, max = 3) int workers)
      throws Exception {
    ConcurrentHashMap<Long, AtomicInteger> isolatedRuns = new ConcurrentHashMap<>();
    AtomicReference<String> wrong = new AtomicReference<>();
    Function<Chunk, Integer> unsureFirst =
        chunk -> {
          Object[] items = chunk.items();
          if (chunk.retries() != 0) {
            wrong.compareAndSet(null, chunk + " used a retry");
          }
          if (!chunk.isolated()) {
            assertThat(chunk.report(Outcome.unsure())).isTrue();
            return 0;
          }
          int run =
              isolatedRuns
                  .computeIfAbsent(chunk.start(), s -> new AtomicInteger())
                  .incrementAndGet();
          if (run == 1) {
            assertThat(chunk.report(Outcome.returned())).isTrue();
            return 0;
          }
          assertThat(chunk.report(Outcome.done(resultsOf(items, run), items.length, null, 1, null)))
              .isTrue();
          return items.length;
        };
    List<Integer> input = IntStream.range(0, 30).boxed().collect(Collectors.toList());
    Scheduler scheduler =
        new Scheduler(TestBackends.config(workers, retries), TestBackends.backend(unsureFirst));
    try {
      List<Object> results = collect(scheduler, input, chunksize, new AtomicLong());
      scheduler.close();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();

      assertThat(wrong.get()).isNull();
      assertThat(results)
          .isEqualTo(input.stream().map(x -> x * 100 + 2).collect(Collectors.toList()));
      assertThat(isolatedRuns.values()).allMatch(n -> n.get() == 2);
      assertThat(isolatedRuns).hasSize((30 + chunksize - 1) / chunksize);
    } finally {
      scheduler.terminate();
      assertThat(scheduler.join(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Runs a collected call over {@code input}; its results, once the call is done. */
  private static List<Object> collect(
      Scheduler scheduler, List<Integer> input, int chunksize, AtomicLong completed)
      throws Exception {
    return TestBackends.collect(scheduler, input.iterator(), chunksize, completed)
        .outcome()
        .get(PATIENCE_SECONDS, TimeUnit.SECONDS);
  }
}
