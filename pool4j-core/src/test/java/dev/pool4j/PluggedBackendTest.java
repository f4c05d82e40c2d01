package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pool4j.spi.ChunkJob;
import dev.pool4j.spi.PoolBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The public backend seam ({@link PoolBackend}, {@link ChunkJob}) with a backend written here, in
 * this JVM: the scheduler's behaviours hold through it, every chunk is delivered once however the
 * backend reports it, and the backend is closed after its last report.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PluggedBackendTest {

  /**
   * A backend of {@code workers} threads of its own, named {@code place-0}, {@code place-1} by
   * turns; it sends chunks as bytes ({@link ChunkJob#message()}) when {@code serializes}. Tests
   * make it misbehave with {@link #lose}, {@link #giveBack} and {@link #reportTwice}.
   */
  static class LocalBackend implements PoolBackend {
    final int workers;
    final boolean serializes;
    final ExecutorService threads;
    final Semaphore room;
    final AtomicInteger handed = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger secondReportsAccepted = new AtomicInteger();

    /** Jobs (by their order of arrival) to report lost instead of running. */
    Predicate<ChunkJob> lose = job -> false;

    /** How many of the first jobs to hand back unrun. */
    int giveBack;

    boolean reportTwice;

    /** Reports made; and how many there were when close() was called. */
    final AtomicInteger reports = new AtomicInteger();

    volatile int reportsAtClose = -1;

    LocalBackend(int workers, boolean serializes) {
      this.workers = workers;
      this.serializes = serializes;
      this.threads = Executors.newFixedThreadPool(workers);
      this.room = new Semaphore(workers);
    }

    @Override
    public int start(int requested) {
      return workers;
    }

    @Override
    public void run(ChunkJob job) throws InterruptedException {
      int n = handed.getAndIncrement();
      String place = "place-" + (n % 2);
      if (n < giveBack) {
        job.returned();
        return;
      }
      if (lose.test(job)) {
        job.lost(new IllegalStateException("lost on purpose"), place);
        return;
      }
      room.acquire();
      byte[] message = serializes ? job.message() : null;
      threads.execute(
          () -> {
            try {
              long t0 = System.nanoTime();
              if (serializes) {
                byte[] outcome = PoolBackend.runMessage(message, place);
                reports.incrementAndGet();
                job.done(outcome, place, System.nanoTime() - t0);
                if (reportTwice && job.done(outcome, place, 1)) {
                  secondReportsAccepted.incrementAndGet();
                }
              } else {
                Object[] items = job.items();
                Object[] results = new Object[items.length];
                int valid = 0;
                Throwable failure = null;
                for (; valid < items.length; valid++) {
                  try {
                    results[valid] = job.task().apply(items[valid]);
                  } catch (Throwable t) {
                    failure = t;
                    break;
                  }
                }
                reports.incrementAndGet();
                job.done(results, valid, failure, place, System.nanoTime() - t0);
                if (reportTwice && job.done(results, valid, failure, place, 1)) {
                  secondReportsAccepted.incrementAndGet();
                }
              }
            } finally {
              room.release();
            }
          });
    }

    @Override
    public void terminate() {}

    @Override
    public void close() {
      reportsAtClose = reports.get();
      closes.incrementAndGet();
      threads.shutdown();
    }

    @Override
    public boolean serializes() {
      return serializes;
    }

    @Override
    public String toString() {
      return "local backend";
    }
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  static Integer failAt(Integer x) {
    if (x == 321) {
      throw new IllegalArgumentException("no " + x);
    }
    return x + 1;
  }

  @ParameterizedTest(name = "serializes: {0}")
  @ValueSource(booleans = {false, true})
  void theCallsGiveWhatThreadsGive(boolean serializes) throws Exception {
    LocalBackend backend = new LocalBackend(3, serializes);
    try (Pool pool = Pool.builder().backend(backend).build();
        Pool threads = Pool.create(3)) {
      assertThat(pool.workers()).isEqualTo(3);
      List<Integer> inputs = range(5_000);
      assertThat(pool.map(x -> x * x, inputs)).isEqualTo(threads.map(x -> x * x, inputs));
      assertThat(pool.imap(x -> "#" + x, inputs, 7).toList())
          .isEqualTo(threads.imap(x -> "#" + x, inputs, 7).toList());
      assertThat(pool.imapUnordered(x -> x, inputs, 3).toList())
          .containsExactlyInAnyOrderElementsOf(inputs);
      assertThat(pool.mapAsync(x -> -x, inputs).get(30, TimeUnit.SECONDS))
          .isEqualTo(threads.map(x -> -x, inputs));
      TaskFailedException e =
          catchThrowableOfType(
              TaskFailedException.class,
              () -> pool.imap(PluggedBackendTest::failAt, inputs, 10).toList());
      assertThat(e.index()).isEqualTo(321);
      assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class).hasMessage("no 321");
    }
  }

  @Test
  void aLostChunkRunsAgainAndEachResultIsDeliveredOnce() {
    LocalBackend backend = new LocalBackend(2, true);
    backend.lose = job -> job.retries() == 0 && job.start() % 20 == 0;
    try (Pool pool = Pool.builder().backend(backend).chunksize(10).build()) {
      assertThat(pool.imap(x -> x * 2, range(1_000)).toList())
          .isEqualTo(range(1_000).stream().map(x -> x * 2).collect(Collectors.toList()));
    }
  }

  @ParameterizedTest(name = "serializes: {0}")
  @ValueSource(booleans = {false, true})
  void aJobGivenUpOnStillShowsItsInputsAfterItsRerunWasReported(boolean serializes) {
    LocalBackend backend = new LocalBackend(2, serializes);
    List<ChunkJob> lost = new java.util.concurrent.CopyOnWriteArrayList<>();
    backend.lose =
        job -> {
          boolean lose = job.retries() == 0;
          if (lose) {
            lost.add(job);
          }
          return lose;
        };
    try (Pool pool = Pool.builder().backend(backend).chunksize(5).build()) {
      assertThat(pool.map(x -> x + 1, range(20)))
          .isEqualTo(range(20).stream().map(x -> x + 1).collect(Collectors.toList()));
    }
    // every rerun was reported, and the call dropped its inputs; the jobs given up on still
    // show theirs, and a late report of them is ignored
    assertThat(lost).hasSize(4);
    for (ChunkJob job : lost) {
      assertThat(job.items()).hasSize(5).startsWith((int) job.start());
      if (serializes) {
        assertThat(job.message()).isNotEmpty();
      }
      assertThat(job.done(new Object[5], 0, null, "late", 1)).isFalse();
    }
  }

  @Test
  void aChunkLostMoreOftenThanTheRetriesFailsWithTheCause() {
    LocalBackend backend = new LocalBackend(2, true);
    backend.lose = job -> job.start() == 40;
    try (Pool pool = Pool.builder().backend(backend).chunksize(10).retries(2).build()) {
      TaskFailedException e =
          catchThrowableOfType(
              TaskFailedException.class, () -> pool.imap(x -> x, range(100)).toList());
      assertThat(e.index()).isEqualTo(40);
      assertThat(e.getCause())
          .isInstanceOf(WorkerDiedException.class)
          .hasMessageContaining("place-")
          .hasMessageContaining("40..49")
          .hasMessageContaining("try 3 of at most 3")
          .hasRootCauseMessage("lost on purpose");
    }
  }

  @Test
  void chunksHandedBackRunAgainWithoutUsingARetry() {
    LocalBackend backend = new LocalBackend(2, false);
    backend.giveBack = 5;
    try (Pool pool = Pool.builder().backend(backend).chunksize(4).retries(0).build()) {
      assertThat(pool.map(x -> x + 1, range(200)))
          .isEqualTo(range(200).stream().map(x -> x + 1).collect(Collectors.toList()));
    }
  }

  @ParameterizedTest(name = "serializes: {0}")
  @ValueSource(booleans = {false, true})
  void aSecondReportOfAChunkIsIgnored(boolean serializes) {
    LocalBackend backend = new LocalBackend(2, serializes);
    backend.reportTwice = true;
    try (Pool pool = Pool.builder().backend(backend).chunksize(3).build()) {
      assertThat(pool.imap(x -> x, range(300)).toList()).isEqualTo(range(300));
      assertThat(pool.map(x -> x, range(300))).isEqualTo(range(300));
    }
    assertThat(backend.secondReportsAccepted).hasValue(0);
  }

  @Test
  void joinReturnsAfterTheBackendWasClosedOnceAfterItsLastReport() {
    LocalBackend backend = new LocalBackend(2, false);
    Pool pool = Pool.builder().backend(backend).build();
    var results =
        pool.imap(
            x -> {
              Thread.sleep(1);
              return x;
            },
            range(300),
            2);
    pool.close();
    assertThat(backend.closes).hasValue(0);
    assertThat(results.toList()).isEqualTo(range(300));
    pool.join();
    assertThat(backend.closes).hasValue(1);
    assertThat(backend.reportsAtClose).isEqualTo(backend.handed.get()).isPositive();
  }

  @Test
  void theInsightsNameThePlacesTheBackendNames() {
    LocalBackend backend = new LocalBackend(2, true);
    try (Pool pool = Pool.builder().backend(backend).chunksize(5).build()) {
      var results = pool.imap(x -> x, range(500));
      assertThat(results.toList()).hasSize(500);
      Map<String, Long> tasks =
          results.insights().workers().stream()
              .collect(Collectors.toMap(Insights.WorkerStats::name, Insights.WorkerStats::tasks));
      assertThat(tasks.keySet()).containsExactlyInAnyOrder("place-0", "place-1");
      assertThat(tasks.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(500);
      assertThat(results.insights().toString()).contains("place-0").contains("place-1");
    }
  }

  @Test
  void aTaskThatCannotTravelIsRefusedWhenTheCallIsMade() {
    LocalBackend backend = new LocalBackend(1, true);
    Object local = new Object();
    try (Pool pool = Pool.builder().backend(backend).build()) {
      assertThatThrownBy(() -> pool.map(x -> local.hashCode(), range(3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("java.lang.Object");
      assertThat(backend.handed).hasValue(0);
    }
  }

  @Test
  void settingsOfThreadsAndProcessesAreRefused() {
    assertThatThrownBy(
            () ->
                Pool.builder()
                    .backend(new LocalBackend(1, false))
                    .taskTimeout(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("taskTimeout");
    assertThatThrownBy(
            () -> Pool.builder().backend(new LocalBackend(1, false)).jvmOptions("-Xmx1g").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("jvmOptions");
    assertThatThrownBy(() -> Pool.builder().processes().backend(new LocalBackend(1, false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already set");
    assertThatThrownBy(() -> Pool.builder().backend(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("backend");
  }

  /** A backend that starts with no capacity is refused, and closed again. */
  @Test
  void aBackendWithoutCapacityIsRefusedAndClosed() {
    LocalBackend backend =
        new LocalBackend(1, false) {
          @Override
          public int start(int requested) {
            return 0;
          }
        };
    assertThatThrownBy(() -> Pool.builder().backend(backend).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("capacity of 0");
    assertThat(backend.closes).hasValue(1);
  }

  @Test
  void terminateStopsACallThatTheBackendHolds() throws Exception {
    LocalBackend backend = new LocalBackend(2, false);
    Pool pool = Pool.builder().backend(backend).build();
    var results =
        pool.imap(
            x -> {
              Thread.sleep(2);
              return x;
            },
            range(100_000),
            1);
    assertThat(results.next()).isZero();
    pool.terminate();
    assertThat(pool.join(Duration.ofSeconds(30))).isTrue();
    assertThat(backend.closes).hasValue(1);
    List<Object> rest = new ArrayList<>();
    assertThatThrownBy(() -> results.forEachRemaining(rest::add))
        .isInstanceOf(java.util.concurrent.CancellationException.class);
  }
}
