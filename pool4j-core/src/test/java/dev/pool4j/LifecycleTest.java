package dev.pool4j;

import static dev.pool4j.Testing.PATIENCE;
import static dev.pool4j.Testing.await;
import static dev.pool4j.Testing.closeAndJoin;
import static dev.pool4j.Testing.range;
import static dev.pool4j.Testing.take;
import static dev.pool4j.Testing.workerThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;

/**
 * {@code close()} is graceful, {@code join()} waits and keeps unconsumed results, {@code
 * terminate()} cancels; calls after either are refused; no worker outlives the pool.
 */
class LifecycleTest {

  /** Every kind of call, for the checks that each is refused after close or terminate. */
  private static final Map<String, Consumer<Pool>> CALLS =
      Map.of(
          "map", pool -> pool.map(x -> x, List.of(1)),
          "imap", pool -> pool.imap(x -> x, List.of(1)),
          "imapUnordered", pool -> pool.imapUnordered(x -> x, List.of(1)),
          "starmap", pool -> pool.starmap((Integer a, Integer b) -> a, List.of(1), List.of(2)),
          "apply", pool -> pool.apply(x -> x, 1),
          "applyAsync", pool -> pool.applyAsync(x -> x, 1),
          "mapAsync", pool -> pool.mapAsync(x -> x, List.of(1)));

  @EveryBackendAndTheSeam
  void closeReturnsAtOnceAndLetsRunningWorkFinish(PoolFactory backend) {
    Gate gate = new Gate();
    Pool pool = backend.create(1);
    try {
      CompletableFuture<Integer> running =
          pool.applyAsync(
              x -> {
                gate.pass();
                return x + 1;
              },
              41);
      Caller<Void> closer =
          Caller.start(
              () -> {
                pool.close();
                return null;
              });
      closer.awaitEnd().value();
      assertThat(running).isNotDone();

      gate.open();
      assertThat(running.join()).isEqualTo(42);
    } finally {
      gate.open();
    }
    closeAndJoin(pool);
  }

  @EveryBackendAndTheSeam
  void resultsTakenBeforeCloseStillYieldEverything(PoolFactory backend) throws Exception {
    // a small window: most of the work is still to do when the pool is closed
    Pool pool = backend.builder().workers(2).maxInFlight(2).build();
    Results<Integer> ordered = pool.imap(x -> x * 2, range(0, 300), 1);
    Results<Integer> unordered = pool.imapUnordered(x -> x * 2, range(0, 300), 1);
    assertThat(take(ordered)).isZero();
    pool.close();

    assertThat(ordered.toList()).isEqualTo(range(1, 300).stream().map(x -> x * 2).toList());
    assertThat(unordered.toList())
        .containsExactlyInAnyOrderElementsOf(range(0, 300).stream().map(x -> x * 2).toList());
    closeAndJoin(pool);
  }

  @EveryBackendAndTheSeam
  void leavingTryWithResourcesDoesNotCancelTheCallsMadeInside(PoolFactory backend) {
    Results<Integer> results;
    try (Pool pool = backend.builder().workers(2).maxInFlight(2).build()) {
      results = pool.imap(x -> x + 1, range(0, 200), 1);
    }
    assertThat(results.toList()).isEqualTo(range(1, 201));
  }

  @EveryBackendAndTheSeam
  void everyCallAfterCloseIsRefusedWithAMessageNamingTheState(PoolFactory backend) {
    Pool pool = backend.create(1);
    pool.close();
    assertEveryCallIsRefused(pool, "closed", "right after close()");
    closeAndJoin(pool);
    assertEveryCallIsRefused(pool, "closed", "after close() and join()");
  }

  private static void assertEveryCallIsRefused(Pool pool, String state, String when) {
    CALLS.forEach(
        (name, call) ->
            assertThatThrownBy(() -> call.accept(pool))
                .as("%s %s", name, when)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(state));
  }

  @EveryBackendAndTheSeam
  void everyCallAfterTerminateIsRefusedWithAMessageNamingTheState(PoolFactory backend) {
    Pool pool = backend.create(1);
    pool.terminate();
    assertEveryCallIsRefused(pool, "terminated", "right after terminate()");
    pool.join();
    assertEveryCallIsRefused(pool, "terminated", "after terminate() and join()");
  }

  @EveryBackendAndTheSeam
  void joinBeforeCloseIsRefused(PoolFactory backend) {
    try (Pool pool = backend.create(1)) {
      assertThatThrownBy(pool::join)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("close()");
      assertThat(pool.map(x -> x, List.of(1, 2))).as("the pool goes on").containsExactly(1, 2);
    }
  }

  /**
   * In this JVM only: a task on a worker JVM or a cluster member cannot hold its pool at all, which
   * {@code process.TaskUsingItsPoolTest} checks is refused with a message saying so.
   */
  @InThisJvm
  void joinFromOneOfThePoolsOwnTasksIsRefusedRatherThanWaitingForever(PoolFactory backend) {
    Gate closed = new Gate();
    Pool pool = backend.create(1);
    CompletableFuture<Integer> joiningTask =
        pool.applyAsync(
            x -> {
              closed.pass();
              pool.join();
              return x;
            },
            0);
    pool.close();
    closed.open();
    assertThatThrownBy(joiningTask::join)
        .cause()
        .isInstanceOf(TaskFailedException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("join()");
    closeAndJoin(pool);
  }

  @EveryBackendAndTheSeam
  void closeJoinThenToListWorksAsInPythonWithAnInputLargerThanTheWindow(PoolFactory backend) {
    Pool pool = backend.builder().workers(2).maxInFlight(2).build();
    Results<Integer> ordered = pool.imap(x -> x * 3, range(0, 1_000), 1);
    Results<Integer> unordered = pool.imapUnordered(x -> x * 3, range(0, 1_000), 1);
    CompletableFuture<List<Integer>> collected = pool.mapAsync(x -> x * 3, range(0, 1_000));

    closeAndJoin(pool);

    List<Integer> expected = range(0, 1_000).stream().map(x -> x * 3).toList();
    assertThat(ordered.toList()).isEqualTo(expected);
    assertThat(unordered.toList()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(collected).isCompletedWithValue(expected);
  }

  @EveryBackendAndTheSeam
  void joinWithATimeoutAlsoKeepsTheResultsNobodyConsumedYet(PoolFactory backend) {
    Pool pool = backend.builder().workers(2).maxInFlight(2).build();
    Results<Integer> results = pool.imap(x -> x + 1, range(0, 1_000), 1);
    pool.close();
    // generous: worker JVMs start cold here, on a machine that may be loaded; without the lift
    // the window of 2 never empties and join waits the whole 60 s
    assertThat(pool.join(Duration.ofSeconds(60)))
        .as("join(timeout), like join(), lifts the window of calls nobody consumes")
        .isTrue();
    assertThat(results.toList()).isEqualTo(range(1, 1_001));
    closeAndJoin(pool);
  }

  @EveryBackendAndTheSeam
  void terminateCancelsQueuedWorkAndInterruptsRunningTasks(PoolFactory backend) throws Exception {
    Marks ran = new Marks();
    Marks ranIn = new Marks();
    Gate interrupted = new Gate();
    Gate never = new Gate();
    Pool pool = backend.builder().workers(1).chunksize(1).build();
    try {
      CompletableFuture<List<Integer>> collected =
          pool.mapAsync(
              x -> {
                if (x == 0) {
                  // before ran.add: terminate() may kill the worker as soon as ran holds 0
                  ranIn.add(ProcessHandle.current().pid());
                }
                ran.add(x);
                if (x == 0) {
                  try {
                    never.pass();
                  } catch (InterruptedException e) {
                    interrupted.open();
                    throw e;
                  }
                }
                return x;
              },
              range(0, 10));
      Results<Integer> waiting = pool.imap(x -> x, range(0, 10));
      Caller<List<Integer>> mapper = Caller.start(() -> pool.map(x -> x, range(0, 10)));
      await().until(() -> ran.contains(0));
      mapper.awaitBlocked();

      pool.terminate();

      Testing.assertStopped(backend, interrupted, ranIn);
      assertThatThrownBy(collected::join).isInstanceOf(CancellationException.class);
      assertThat(mapper.failure()).isInstanceOf(CancellationException.class);
      assertThatThrownBy(waiting::next).isInstanceOf(CancellationException.class);
      pool.join();
    } finally {
      never.open();
    }
    assertThat(ran.ints()).as("the inputs that ran").containsExactly(0);
  }

  @EveryBackendAndTheSeam
  void closeAndTerminateAreIdempotentInAnyOrder(PoolFactory backend) {
    Pool closedTwice = backend.create(1);
    closedTwice.close();
    closedTwice.close();
    closeAndJoin(closedTwice);
    assertThatCode(closedTwice::join).as("join() again").doesNotThrowAnyException();

    Pool terminatedTwice = backend.create(1);
    terminatedTwice.terminate();
    terminatedTwice.terminate();
    terminatedTwice.close();
    terminatedTwice.join();
    assertThatCode(terminatedTwice::join).doesNotThrowAnyException();

    Pool closedThenTerminated = backend.create(1);
    closedThenTerminated.close();
    closedThenTerminated.terminate();
    closedThenTerminated.join();
  }

  @EveryBackend
  void noWorkerThreadOutlivesCloseAndJoin(PoolFactory backend) {
    Pool pool = backend.create(3);
    if (!backend.sharesMemory()) {
      Set<Long> pids = Testing.workerPids(pool, 3);
      pool.map(x -> x, range(0, 1_000));
      closeAndJoin(pool);
      await().until(() -> Testing.noneAlive(pids));
      return;
    }
    String prefix = Testing.threadPrefix(pool);
    Set<Thread> workers = workerThreads(pool, 3);
    pool.map(x -> x, range(0, 1_000));

    closeAndJoin(pool);

    await().until(() -> workers.stream().noneMatch(Thread::isAlive));
    await().until(() -> Testing.livePoolThreads().stream().noneMatch(n -> n.startsWith(prefix)));
  }

  /**
   * On a cluster the members live on: there the pool's own threads in this JVM (its client's among
   * them) must end, and the members' threads running its tasks be interrupted.
   */
  @EveryBackendAndTheSeam
  void noWorkerThreadOutlivesTerminateAndJoin(PoolFactory backend) throws Exception {
    Gate never = new Gate();
    Gate interrupted = new Gate();
    Set<Thread> before = Testing.liveThreads();
    Pool pool = backend.create(2);
    Set<Thread> workers = backend.sharesMemory() ? workerThreads(pool, 2) : Set.of();
    Set<Long> pids = backend.isProcesses() ? Testing.workerPids(pool, 2) : Set.of();
    Set<Thread> clientThreads = backend.isCluster() ? Testing.threadsSince(before) : Set.of();
    Marks started = new Marks();
    Results<Integer> running =
        pool.imap(
            x -> {
              started.tick();
              try {
                never.pass();
              } catch (InterruptedException e) {
                interrupted.open();
              }
              return x;
            },
            range(0, 100),
            1);
    await().until(() -> started.ticks() == 2);
    pool.terminate();
    pool.join();
    assertThatThrownBy(running::next).isInstanceOf(CancellationException.class);
    await().until(() -> workers.stream().noneMatch(Thread::isAlive));
    await().until(() -> Testing.noneAlive(pids));
    if (backend.isCluster()) {
      assertThat(clientThreads).isNotEmpty();
      await().until(() -> clientThreads.stream().noneMatch(Thread::isAlive));
    }
    if (!backend.isProcesses()) { // worker JVMs are killed, not interrupted
      assertThat(interrupted.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
          .as("the running tasks were interrupted")
          .isTrue();
    }
    never.open();
  }

  /**
   * terminate() marks the pool terminating before it cancels its calls one by one. A chunk of a
   * call not cancelled yet, read in between, used to be reported as not needed while its call still
   * counted on it: the call then finished with a null in place of the chunk's results when its
   * input had ended, or waited for them until terminate() came to cancel it. Here call a's
   * cancellation runs a callback, on the terminating thread, that lets a worker finish reading call
   * b's one input and waits until b is done: b must be cancelled by then, by the worker that read
   * its chunk. The calls are cancelled in no fixed order, so the test repeats until a was cancelled
   * first a few times.
   */
  @EveryBackendAndTheSeam
  @Timeout(120)
  void aChunkReadWhileThePoolTerminatesCancelsItsCallRatherThanFinishingItWithNulls(
      PoolFactory backend) throws Exception {
    int aFirst = 0;
    for (int round = 0; round < 40 && aFirst < 3; round++) {
      Gate never = new Gate();
      CountDownLatch readingB = new CountDownLatch(1);
      CountDownLatch releaseB = new CountDownLatch(1);
      Pool pool = backend.create(2);
      try {
        CompletableFuture<Integer> a =
            pool.applyAsync(
                x -> {
                  never.pass();
                  return x;
                },
                1);
        Iterator<Integer> oneInput =
            new Iterator<>() {
              private boolean given;

              @Override
              public boolean hasNext() {
                if (!given) {
                  readingB.countDown();
                  awaitQuietly(releaseB);
                }
                return !given;
              }

              @Override
              public Integer next() {
                given = true;
                return 41;
              }
            };
        CompletableFuture<List<Integer>> b = pool.mapAsync(x -> x + 1, oneInput);
        assertThat(readingB.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        AtomicBoolean raced = new AtomicBoolean();
        CompletableFuture<Object> afterA =
            a.handle(
                (value, failure) -> {
                  if (!b.isDone()) {
                    raced.set(true);
                    releaseB.countDown();
                    await().until(b::isDone);
                  }
                  return null;
                });
        pool.terminate();
        releaseB.countDown();
        pool.join();
        afterA.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> b.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
            .as("call b, whose only chunk was read as the pool terminated (a first: %s)", raced)
            .isInstanceOf(CancellationException.class);
        if (raced.get()) {
          aFirst++;
        }
      } finally {
        never.open();
        releaseB.countDown();
        pool.terminate();
      }
    }
    assertThat(aFirst).as("rounds in which call a was cancelled before call b").isPositive();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the test never released the input");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @EveryBackendAndTheSeam
  void nextWithATimeoutThrowsTimeoutExceptionAndTheCallGoesOn(PoolFactory backend)
      throws Exception {
    Gate gate = new Gate();
    try (Pool pool = backend.create(2);
        Results<Integer> results =
            pool.imap(
                x -> {
                  if (x == 1) {
                    gate.pass();
                  }
                  return x * 10;
                },
                range(0, 4),
                1)) {
      assertThat(take(results)).isZero();
      assertThatThrownBy(() -> results.next(Duration.ofMillis(20)))
          .isInstanceOf(TimeoutException.class);
      assertThatThrownBy(() -> results.next(Duration.ZERO)).isInstanceOf(TimeoutException.class);
      gate.open();
      assertThat(take(results)).isEqualTo(10);
      assertThat(results.toList()).containsExactly(20, 30);
    } finally {
      gate.open();
    }
  }

  @EveryBackendAndTheSeam
  void resultsCanBeConsumedAsAStreamAListOrAForEachLoop(PoolFactory backend) throws Exception {
    try (Pool pool = backend.create(2)) {
      try (Stream<Integer> stream = pool.imap(x -> x * x, range(0, 10)).stream()) {
        assertThat(stream.filter(x -> x % 2 == 0).collect(Collectors.toList()))
            .containsExactly(0, 4, 16, 36, 64);
      }

      Results<Integer> results = pool.imap(x -> x * x, range(0, 10));
      assertThat(take(results)).isZero();
      assertThat(take(results)).isEqualTo(1);
      assertThat(results.toList()).as("the rest").containsExactly(4, 9, 16, 25, 36, 49, 64, 81);

      int sum = 0;
      for (int square : pool.imapUnordered(x -> x * x, range(0, 10))) {
        sum += square;
      }
      assertThat(sum).isEqualTo(285);
    }
  }

  @EveryBackendAndTheSeam
  void resultsCanBeIteratedOnlyOnce(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      Results<Integer> results = pool.imap(x -> x, range(0, 3));
      for (int ignored : results) {
        // consume
      }
      assertThatThrownBy(results::iterator)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("once");
    }
  }

  /** An endless stream input that counts its reads and says when the pool closed it. */
  private static final class EndlessStream {
    final Naturals naturals = new Naturals();
    final Gate closed = new Gate();

    Stream<Integer> stream() {
      return Stream.generate(naturals::next).onClose(closed::open);
    }

    boolean isClosed() {
      return closed.isOpen();
    }
  }

  @EveryBackendAndTheSeam
  void closingResultsCancelsTheRemainingWork(PoolFactory backend) throws Exception {
    EndlessStream input = new EndlessStream();
    Pool pool = backend.create(2);
    Results<Integer> results = pool.imap(x -> x, input.stream(), 2);
    assertThat(take(results)).isZero();
    assertThat(take(results)).isEqualTo(1);

    results.close();

    await().until(input::isClosed);
    assertThat(results.hasNext()).isFalse();
    long read = Testing.settled(input.naturals::read);
    Testing.assertStaysTrue("no input is read after close", () -> input.naturals.read() == read);
    closeAndJoin(pool);
  }

  @EveryBackendAndTheSeam
  void closingTheStreamOfResultsCancelsTheRemainingWork(PoolFactory backend) {
    EndlessStream input = new EndlessStream();
    Pool pool = backend.create(2);
    try (Stream<Integer> results = pool.imapUnordered(x -> x, input.stream(), 2).stream()) {
      assertThat(results.limit(10)).hasSize(10);
    }
    await().until(input::isClosed);
    closeAndJoin(pool);
  }

  /** Starts an endless call and drops its results; only a weak reference to them is returned. */
  private static WeakReference<Results<Integer>> dropResults(Pool pool, EndlessStream input)
      throws Exception {
    Results<Integer> results = pool.imap(x -> x, input.stream(), 2);
    assertThat(take(results)).isZero();
    return new WeakReference<>(results);
  }

  @EveryBackendAndTheSeam
  void resultsThatBecomeUnreachableUnconsumedHaveTheirCallCancelled(PoolFactory backend)
      throws Exception {
    EndlessStream input = new EndlessStream();
    Pool pool = backend.create(2);
    WeakReference<Results<Integer>> dropped = dropResults(pool, input);

    await()
        .until(
            () -> {
              System.gc();
              return dropped.get() == null;
            });
    await().until(input::isClosed);

    // had the call gone on, join() would lift its window and read the endless input for ever
    closeAndJoin(pool);
  }

  /**
   * Builds a pool, forgets it, and returns its workers: threads, worker JVMs' pids, or a cluster
   * client's threads.
   */
  private static Set<?> dropPool(PoolFactory backend, List<WeakReference<Pool>> ref) {
    Set<Thread> before = Testing.liveThreads();
    Pool pool = backend.create(2);
    pool.map(x -> x, range(0, 10));
    ref.add(new WeakReference<>(pool));
    if (backend.isCluster()) {
      // the members live on; the pool's threads here, its client's among them, must end
      return Testing.threadsSince(before);
    }
    return backend.sharesMemory() ? workerThreads(pool, 2) : Testing.workerPids(pool, 2);
  }

  @EveryBackendAndTheSeam
  void aPoolThatBecomesUnreachableIsClosedAndItsWorkersExit(PoolFactory backend) {
    List<WeakReference<Pool>> ref = new ArrayList<>();
    Set<?> workers = dropPool(backend, ref);
    await()
        .until(
            () -> {
              System.gc();
              return ref.get(0).get() == null;
            });
    await()
        .until(
            () ->
                workers.stream()
                    .noneMatch(
                        w ->
                            w instanceof Thread
                                ? ((Thread) w).isAlive()
                                : !Testing.noneAlive(Set.of((Long) w))));
  }
}
