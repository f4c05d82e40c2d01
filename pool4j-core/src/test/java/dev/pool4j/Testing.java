package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** What the tests share: waiting, inputs, and the pools' threads. */
final class Testing {

  /**
   * How long anything a test waits for may take before the test fails. Generous, because the
   * machine is shared and noisy; a correct pool never needs more than a fraction of it.
   */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  /**
   * How long an absence is watched for ("reads stop", "nothing more runs"). Such a check cannot
   * fail a correct pool however slow the machine; a short window can only let a bug slip by.
   */
  static final Duration QUIET = Duration.ofMillis(200);

  /** Thread names of every pool start with this ("pool4j-3-worker-1", "pool4j-3-watchdog"). */
  static final String POOL_THREAD_PREFIX = "pool4j-";

  private Testing() {}

  /** The one Awaitility entry point: fast polling, {@link #PATIENCE} at most. */
  static ConditionFactory await() {
    return Awaitility.await()
        .atMost(PATIENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5));
  }

  /** The next result, failing the test (not hanging it) if none comes within {@link #PATIENCE}. */
  static <R> R take(Results<R> results) throws TimeoutException {
    return results.next(PATIENCE);
  }

  /** {@code [from, to)} as a list: a {@link java.util.Collection}, so its size is known. */
  static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toList());
  }

  /** {@code [from, to)} as a bare {@link Iterable}: its size is unknown to the pool. */
  static Iterable<Integer> lazyRange(int from, int to) {
    return () -> IntStream.range(from, to).iterator();
  }

  /**
   * Closes the pool and joins it, failing the test if {@code join()} does not return within {@link
   * #PATIENCE} (the pool is then terminated, so that the suite goes on).
   */
  static void closeAndJoin(Pool pool) {
    pool.close();
    Caller<Void> joiner =
        Caller.start(
            () -> {
              pool.join();
              return null;
            });
    try {
      joiner.awaitEnd();
    } catch (AssertionError hung) {
      pool.terminate();
      throw new AssertionError("join() after close() did not return within " + PATIENCE, hung);
    }
    joiner.value();
  }

  /** Asserts that {@code condition} holds, and still holds after {@link #QUIET}. */
  static void assertStaysTrue(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + QUIET.toNanos();
    do {
      assertThat(condition.getAsBoolean()).as(what).isTrue();
      pause();
    } while (System.nanoTime() - end < 0);
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  /**
   * Waits until {@code counter} stops changing for {@link #QUIET} and returns its value; fails if
   * it keeps changing for {@link #PATIENCE} (an unbounded read, say).
   */
  static long settled(LongSupplier counter) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    long value = counter.getAsLong();
    long stableSince = System.nanoTime();
    while (System.nanoTime() - stableSince < QUIET.toNanos()) {
      if (System.nanoTime() - deadline > 0) {
        fail("still changing after " + PATIENCE + ", now at " + value);
      }
      pause();
      long now = counter.getAsLong();
      if (now != value) {
        value = now;
        stableSince = System.nanoTime();
      }
    }
    return value;
  }

  /** The polling step of the two absence checks above: they watch, they never synchronise. */
  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * The live platform threads of every pool. Virtual threads are not listed by the JVM: for them
   * use {@link #workerThreads}.
   */
  static Set<String> livePoolThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(POOL_THREAD_PREFIX))
        .collect(Collectors.toSet());
  }

  /**
   * The threads of the pool's {@code workers} workers, found by a call whose tasks meet at a
   * barrier: it completes only if that many tasks run at once, so it also proves the pool's
   * parallelism. Works for virtual threads, which no JVM listing shows.
   */
  static Set<Thread> workerThreads(Pool pool, int workers) {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    CyclicBarrier allRunning = new CyclicBarrier(workers);
    pool.map(
        x -> {
          threads.add(Thread.currentThread());
          allRunning.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
          return x;
        },
        range(0, workers),
        1);
    assertThat(threads).hasSize(workers);
    return threads;
  }

  /**
   * The workers of a pool of {@code workers} workers, on any backend: a call whose tasks wait for
   * one another ({@link Marks} across JVMs) completes only if that many run at once, so it also
   * proves the pool's parallelism. A worker is named by its JVM's pid and its thread's name.
   */
  static Set<String> parallelWorkers(Pool pool, int workers) {
    return parallelWorkers(pool, workers, PATIENCE);
  }

  /**
   * {@link #parallelWorkers(Pool, int)}, each task waiting at most {@code wait} for the others
   * (below a pool's task timeout); null when they did not all run at once within it.
   */
  static Set<String> parallelWorkers(Pool pool, int workers, Duration wait) {
    Marks arrived = new Marks();
    List<String> ids =
        pool.map(
            x -> {
              String id =
                  ProcessHandle.current().pid()
                      + "_"
                      + Thread.currentThread().getName().replaceAll("[^A-Za-z0-9.-]", "_");
              arrived.add(x + "_" + id);
              long deadline = System.nanoTime() + wait.toNanos();
              while (arrived.names().size() < workers) {
                if (System.nanoTime() - deadline > 0) {
                  if (wait.equals(PATIENCE)) {
                    throw new AssertionError("only " + arrived.names() + " ran at once");
                  }
                  return null;
                }
                Thread.sleep(1);
              }
              return id;
            },
            range(0, workers),
            1);
    if (ids.contains(null)) {
      return null;
    }
    Set<String> distinct = Set.copyOf(ids);
    assertThat(distinct).hasSize(workers);
    return distinct;
  }

  /** The pids of the worker JVMs of a pool of {@code workers} worker processes. */
  static Set<Long> workerPids(Pool pool, int workers) {
    Set<Long> pids =
        parallelWorkers(pool, workers).stream()
            .map(id -> Long.valueOf(id.substring(0, id.indexOf('_'))))
            .collect(Collectors.toSet());
    assertThat(pids).doesNotContain(ProcessHandle.current().pid());
    return pids;
  }

  /**
   * That a task the pool had to stop was stopped: its thread was interrupted (it opens {@code
   * interrupted} when it sees that), in this JVM or on a cluster member; on a worker JVM, which is
   * killed rather than interrupted, that JVM (whose pid the task added to {@code ranIn}) is gone.
   */
  static void assertStopped(PoolFactory backend, Gate interrupted, Marks ranIn) {
    if (!backend.isProcesses()) {
      try {
        assertThat(interrupted.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
            .as("the running task was interrupted")
            .isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      return;
    }
    Set<Long> pids = ranIn.names().stream().map(Long::valueOf).collect(Collectors.toSet());
    assertThat(pids).as("the worker JVM that ran the task").hasSize(1);
    assertThat(pids).doesNotContain(ProcessHandle.current().pid());
    await().until(() -> noneAlive(pids));
  }

  /**
   * The threads a pool of a plugged backend (a cluster client) runs in this JVM: those named as
   * pool4j's or Hazelcast's ({@code pool4j-}, {@code hz.}) that are alive now and were not in
   * {@code before}. Tests run one at a time, so no other pool starts threads meanwhile.
   */
  static Set<Thread> threadsSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t))
        .filter(t -> t.getName().startsWith("pool4j-") || t.getName().startsWith("hz."))
        .collect(Collectors.toSet());
  }

  /** The threads of this JVM alive now. */
  static Set<Thread> liveThreads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  /** Whether none of these processes is alive. */
  static boolean noneAlive(Set<Long> pids) {
    return pids.stream()
        .noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
  }

  /** The prefix of a pool's thread names, "pool4j-7-", read from one of its worker threads. */
  static String threadPrefix(Pool pool) {
    String name = pool.apply(x -> Thread.currentThread().getName(), 0);
    assertThat(name).matches("pool4j-\\d+-worker-\\d+");
    return name.substring(0, name.indexOf("-worker-") + 1);
  }
}
