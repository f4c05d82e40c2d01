package dev.pool4j;

import static dev.pool4j.Testing.await;
import static dev.pool4j.Testing.range;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Many small calls on one pool from several threads at once, many pools opened and closed, calls
 * racing with close and terminate: no deadlock (the {@code @Timeout}s are hang guards only), no
 * wrong result, and no thread left behind. The default run makes a fifth of the calls and a quarter
 * or half of the pools; CI's long run all ({@link LongRun}).
 */
@Tag(LongRun.SCALED)
class StressTest {

  private static final int CALLERS = 4;

  /** Small calls each caller makes on one pool. */
  private static final int CALLS = LongRun.size(500, 2_500);

  /** One small call of a kind chosen by {@code i}; returns whether its result was right. */
  private static boolean smallCall(Pool pool, int i) throws Exception {
    List<Integer> inputs = range(i, i + 1 + i % 7);
    List<Integer> doubled = inputs.stream().map(x -> 2 * x).collect(Collectors.toList());
    switch (i % 7) {
      case 0:
        return pool.map(x -> 2 * x, inputs).equals(doubled);
      case 1:
        return pool.imap(x -> 2 * x, inputs).toList().equals(doubled);
      case 2:
        List<Integer> unordered = pool.imapUnordered(x -> 2 * x, inputs, 1).toList();
        return unordered.size() == doubled.size() && unordered.containsAll(doubled);
      case 3:
        return pool.apply(x -> 2 * x, i) == 2 * i;
      case 4:
        return pool.applyAsync(x -> 2 * x, i).get() == 2 * i;
      case 5:
        return pool.mapAsync(x -> 2 * x, inputs).get().equals(doubled);
      default:
        return pool.starmap((Integer a, Integer b) -> a + b, inputs, inputs).equals(doubled);
    }
  }

  /** How the small calls ended, counted. */
  private static final class Outcomes {
    final AtomicInteger right = new AtomicInteger();
    final AtomicInteger wrong = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();

    /** Makes call {@code i}; returns false once the pool refused it. */
    boolean call(Pool pool, int i) throws Exception {
      try {
        (smallCall(pool, i) ? right : wrong).incrementAndGet();
        return true;
      } catch (CancellationException e) { // an IllegalStateException too: caught first
        cancelled.incrementAndGet();
        return true;
      } catch (IllegalStateException e) {
        refused.incrementAndGet();
        return false;
      } catch (ExecutionException | CompletionException e) {
        if (!(e.getCause() instanceof CancellationException)) {
          throw e;
        }
        cancelled.incrementAndGet();
        return true;
      }
    }
  }

  /**
   * Makes small calls from {@link #CALLERS} threads started together, each until it made {@code
   * calls} or the pool refused one.
   */
  private static Outcomes callConcurrently(Pool pool, int calls, Outcomes outcomes)
      throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CALLERS; c++) {
        int first = c * calls;
        done.add(
            callers.submit(
                () -> {
                  start.await();
                  for (int i = first; i < first + calls && outcomes.call(pool, i); i++) {
                    // each call counts itself
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      callers.shutdownNow();
      assertThat(callers.awaitTermination(Testing.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
    return outcomes;
  }

  @EveryBackendAndTheSeam
  @Timeout(120)
  void thousandsOfSmallCallsFromSeveralThreadsOnOnePoolAreAllRight(PoolFactory backend)
      throws Exception {
    Pool pool = backend.create(3);
    Outcomes outcomes = callConcurrently(pool, CALLS, new Outcomes());
    Testing.closeAndJoin(pool);
    assertThat(outcomes.wrong).hasValue(0);
    assertThat(outcomes.right).hasValue(CALLERS * CALLS);
  }

  /**
   * Many workers and several calls at once, of tasks that sleep up to a millisecond: a worker that
   * finds no call ready while another reads one waits awake for the read token, and a call queued
   * meanwhile goes to such a worker without a signal (Scheduler.afterRead). Whatever that worker
   * does next (takes this call or another, or leaves), no call may stay queued while workers wait
   * parked: every call ends, and right. Random worker counts (8 to 64 threads, 3 to 5 on the other
   * backends), call sizes and chunk sizes; the seed is in the failure message. The {@code @Timeout}
   * is a hang guard only.
   */
  @EveryBackendAndTheSeam
  @Timeout(120)
  void manyWorkersServingSeveralCallsOfShortSleepsLeaveNoCallWaiting(PoolFactory backend)
      throws Exception {
    long seed = new java.util.Random().nextLong();
    java.util.Random random = new java.util.Random(seed);
    int workers = backend.sharesMemory() ? 8 + random.nextInt(57) : 3 + random.nextInt(3);
    int calls = LongRun.size(6, 30);
    int[][] shapes = new int[CALLERS * calls][];
    for (int i = 0; i < shapes.length; i++) {
      // items, then the chunk size (0: adaptive)
      shapes[i] =
          new int[] {20 + random.nextInt(180), random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(5)};
    }
    String what = "seed " + seed + ", " + workers + " workers";
    Pool pool = backend.create(workers);
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int c = 0; c < CALLERS; c++) {
        int first = c * calls;
        done.add(
            callers.submit(
                () -> {
                  int right = 0;
                  for (int i = first; i < first + calls; i++) {
                    List<Integer> inputs = range(0, shapes[i][0]);
                    Task<Integer, Integer> napThenDouble =
                        x -> {
                          if (x % 3 == 0) {
                            Thread.sleep(1);
                          }
                          return 2 * x;
                        };
                    List<Integer> out =
                        shapes[i][1] == 0
                            ? pool.map(napThenDouble, inputs)
                            : pool.map(napThenDouble, inputs, shapes[i][1]);
                    if (out.equals(inputs.stream().map(x -> 2 * x).collect(Collectors.toList()))) {
                      right++;
                    }
                  }
                  return right;
                }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get()).as(what).isEqualTo(calls);
      }
    } finally {
      callers.shutdownNow();
      assertThat(callers.awaitTermination(Testing.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
    Testing.closeAndJoin(pool);
  }

  /**
   * Tiny tasks, so that thread workers read ahead for one another (chunks read besides the reader's
   * own wait in the call for any worker to take), while workers leave and are replaced ({@code
   * maxTasksPerWorker}) and consumers close their results at random points: every result a consumer
   * got is right, nothing hangs, and the pool runs the next call right. Random worker counts, chunk
   * sizes and recycling; the seed is in the failure message.
   */
  @EveryBackend
  @Timeout(180)
  void lazyCallsClosedEarlyWhileWorkersAreRecycledLoseNothingAndLeaveThePoolRight(
      PoolFactory backend) throws Exception {
    long seed = new java.util.Random().nextLong();
    java.util.Random random = new java.util.Random(seed);
    boolean inThisJvm = backend.sharesMemory();
    for (int round = 0; round < LongRun.size(4, 12); round++) {
      int workers = inThisJvm ? 1 + random.nextInt(16) : 1 + random.nextInt(3);
      // worker JVMs are slow to replace: recycle them rarely
      int maxTasks = random.nextInt(3) == 0 ? 0 : inThisJvm ? 1 + random.nextInt(300) : 2_000;
      int size = 2_000 + random.nextInt(4_000);
      int chunksize = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(3);
      int stopAt = random.nextInt(size + 1);
      String what =
          "seed "
              + seed
              + ", round "
              + round
              + ", "
              + workers
              + " workers, maxTasksPerWorker "
              + maxTasks
              + ", size "
              + size
              + ", chunk size "
              + chunksize
              + ", stop at "
              + stopAt;
      Pool.Builder builder = backend.builder().workers(workers);
      Pool pool = (maxTasks > 0 ? builder.maxTasksPerWorker(maxTasks) : builder).build();
      try {
        List<Integer> inputs = range(0, size);
        List<Integer> got = new ArrayList<>();
        try (Results<Integer> results =
            chunksize > 0
                ? pool.imap(x -> 3 * x, inputs, chunksize)
                : pool.imap(x -> 3 * x, inputs)) {
          for (Integer r : results) {
            if (got.size() == stopAt) {
              break;
            }
            got.add(r);
          }
        }
        assertThat(got).as(what).hasSize(stopAt);
        for (int i = 0; i < got.size(); i++) {
          assertThat(got.get(i)).as(what + ", result " + i).isEqualTo(3 * i);
        }
        List<Integer> next = range(0, 500);
        assertThat(pool.map(x -> x + 1, next, 1 + random.nextInt(2)))
            .as(what + ", the next call")
            .isEqualTo(next.stream().map(x -> x + 1).collect(Collectors.toList()));
      } finally {
        Testing.closeAndJoin(pool);
      }
    }
  }

  @EveryBackendAndTheSeam
  @Timeout(120)
  void manyPoolsOpenedAndClosedLeaveNoThreadBehind(PoolFactory backend) {
    Set<String> before = Testing.livePoolThreads();
    Set<Thread> threadsBefore = Testing.liveThreads();
    Set<Thread> seen = ConcurrentHashMap.newKeySet();
    Marks pids = new Marks();
    boolean here = backend.sharesMemory();
    // a cluster's members live on; the pools' clients in this JVM must end
    // a worker JVM takes a tenth of a second to start: fewer pools, the same mix of endings
    // (8 pools still give every worker count, chunk size and ending)
    int pools = here ? LongRun.size(100, 400) : LongRun.size(8, 16);
    for (int i = 0; i < pools; i++) {
      Pool pool = backend.create(1 + i % 4);
      List<Integer> results =
          pool.map(
              x -> {
                if (here) {
                  seen.add(Thread.currentThread());
                } else {
                  pids.add(ProcessHandle.current().pid());
                }
                return x + 1;
              },
              range(0, 20),
              1 + i % 3);
      assertThat(results).isEqualTo(range(1, 21));
      if (i % 2 == 0) {
        Testing.closeAndJoin(pool);
      } else {
        pool.terminate();
        pool.join();
      }
    }
    await().until(() -> seen.stream().noneMatch(Thread::isAlive));
    Set<Long> workerJvms = pids.names().stream().map(Long::valueOf).collect(Collectors.toSet());
    assertThat(workerJvms.isEmpty()).isEqualTo(here);
    if (backend.isProcesses()) {
      await().until(() -> Testing.noneAlive(workerJvms));
    }
    await().until(() -> Testing.threadsSince(threadsBefore).isEmpty());
    // pools of earlier tests may still be winding down: the set may shrink, never grow
    await().until(() -> before.containsAll(Testing.livePoolThreads()));
  }

  @EveryBackendAndTheSeam
  @Timeout(120)
  void callsRacingWithCloseEitherCompleteRightOrAreRefused(PoolFactory backend) throws Exception {
    Pool pool = backend.create(2);
    Outcomes outcomes = new Outcomes();
    Caller<Void> closer =
        Caller.start(
            () -> {
              await().until(() -> outcomes.right.get() >= 100);
              pool.close();
              return null;
            });
    // every caller goes on until the pool refuses it: close() comes while they call
    callConcurrently(pool, Integer.MAX_VALUE / CALLERS, outcomes);
    closer.value();
    Testing.closeAndJoin(pool);
    assertThat(outcomes.wrong).hasValue(0);
    assertThat(outcomes.cancelled).as("close() cancels nothing").hasValue(0);
    assertThat(outcomes.refused).as("one refusal ends each caller").hasValue(CALLERS);
    assertThat(outcomes.right).hasPositiveValue();
  }

  @EveryBackendAndTheSeam
  @Timeout(120)
  void callsRacingWithTerminateEndRightCancelledOrRefusedAndNothingHangs(PoolFactory backend)
      throws Exception {
    Pool pool = backend.create(2);
    Outcomes outcomes = new Outcomes();
    Caller<Void> terminator =
        Caller.start(
            () -> {
              await().until(() -> outcomes.right.get() >= 100);
              pool.terminate();
              return null;
            });
    callConcurrently(pool, Integer.MAX_VALUE / CALLERS, outcomes);
    terminator.value();
    pool.join();
    assertThat(outcomes.wrong).hasValue(0);
    assertThat(outcomes.refused).as("one refusal ends each caller").hasValue(CALLERS);
  }
}
