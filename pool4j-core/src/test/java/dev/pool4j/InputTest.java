package dev.pool4j;

import static dev.pool4j.Testing.await;
import static dev.pool4j.Testing.closeAndJoin;
import static dev.pool4j.Testing.lazyRange;
import static dev.pool4j.Testing.range;
import static dev.pool4j.Testing.settled;
import static dev.pool4j.Testing.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Every call takes an {@link Iterable}, an {@link Iterator}, a {@link Stream}, or the {@link
 * Results} of another call (a pipeline).
 */
class InputTest {

  private static final List<Integer> SQUARES =
      IntStream.range(0, 100).map(x -> x * x).boxed().collect(Collectors.toList());

  @EveryBackendAndTheSeam
  void anyIterableIsAnInput(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      assertThat(pool.map(x -> x * x, lazyRange(0, 100))).isEqualTo(SQUARES);
      assertThat(pool.map(x -> x * x, new LinkedHashSet<>(range(0, 100)))).isEqualTo(SQUARES);
      assertThat(pool.imap(x -> x * x, lazyRange(0, 100)).toList()).isEqualTo(SQUARES);
      assertThat(pool.imapUnordered(x -> x * x, lazyRange(0, 100), 3).toList())
          .containsExactlyInAnyOrderElementsOf(SQUARES);
      assertThat(pool.mapAsync(x -> x * x, lazyRange(0, 100)).join()).isEqualTo(SQUARES);
    }
  }

  /** A random-access list whose iterator must not be read: its elements come by index. */
  static final class IndexedOnly extends java.util.AbstractList<Integer>
      implements java.util.RandomAccess {
    private final int size;

    IndexedOnly(int size) {
      this.size = size;
    }

    @Override
    public Integer get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException(index);
      }
      return index;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public Iterator<Integer> iterator() {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          throw new AssertionError("a random-access list is read by index, a chunk at a time");
        }

        @Override
        public Integer next() {
          throw new AssertionError("a random-access list is read by index, a chunk at a time");
        }
      };
    }
  }

  @EveryBackendAndTheSeam
  void aRandomAccessListIsReadAChunkAtATime(PoolFactory backend) {
    try (Pool pool = backend.create(3)) {
      assertThat(pool.map(x -> x * x, new IndexedOnly(100))).isEqualTo(SQUARES);
      assertThat(pool.map(x -> x * x, new IndexedOnly(100), 7)).isEqualTo(SQUARES);
      assertThat(pool.imap(x -> x * x, new IndexedOnly(100), 1).toList()).isEqualTo(SQUARES);
      assertThat(pool.imapUnordered(x -> x * x, new IndexedOnly(100)).toList())
          .containsExactlyInAnyOrderElementsOf(SQUARES);
      assertThat(pool.map(x -> x * x, new IndexedOnly(0))).isEmpty();
      // a failure still names its input's index
      assertThatThrownBy(() -> pool.map(x -> 10 / (x - 57), new IndexedOnly(100), 5))
          .isInstanceOfSatisfying(
              TaskFailedException.class, e -> assertThat(e.index()).isEqualTo(57));
    }
  }

  @EveryBackendAndTheSeam
  void anIteratorIsReadFromWhereItStands(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      Iterator<Integer> inputs = range(0, 100).iterator();
      inputs.next();
      inputs.next();
      assertThat(pool.map(x -> x * x, inputs)).isEqualTo(SQUARES.subList(2, 100));

      assertThat(pool.map(x -> x * x, range(0, 100).iterator(), 7)).isEqualTo(SQUARES);
      assertThat(pool.imap(x -> x * x, range(0, 100).iterator()).toList()).isEqualTo(SQUARES);
      assertThat(pool.imap(x -> x * x, range(0, 100).iterator(), 3).toList()).isEqualTo(SQUARES);
      assertThat(pool.imapUnordered(x -> x * x, range(0, 100).iterator()).toList())
          .containsExactlyInAnyOrderElementsOf(SQUARES);
      assertThat(pool.mapAsync(x -> x * x, range(0, 100).iterator()).join()).isEqualTo(SQUARES);
      assertThat(
              pool.starmap(
                  (Integer a, Integer b) -> a * b,
                  range(0, 100).iterator(),
                  range(0, 100).iterator()))
          .isEqualTo(SQUARES);
    }
  }

  @EveryBackendAndTheSeam
  void aStreamIsAnInputAndIsClosedWhenTheCallEnds(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      CountDownLatch closed = new CountDownLatch(1);
      assertThat(pool.map(x -> x * x, range(0, 100).stream().onClose(closed::countDown)))
          .isEqualTo(SQUARES);
      await().until(() -> closed.getCount() == 0);

      assertThat(pool.map(x -> x * x, IntStream.range(0, 100).boxed(), 9)).isEqualTo(SQUARES);
      assertThat(pool.imap(x -> x * x, IntStream.range(0, 100).boxed()).toList())
          .isEqualTo(SQUARES);
      assertThat(pool.imap(x -> x * x, IntStream.range(0, 100).boxed(), 4).toList())
          .isEqualTo(SQUARES);
      assertThat(pool.imapUnordered(x -> x * x, IntStream.range(0, 100).boxed()).toList())
          .containsExactlyInAnyOrderElementsOf(SQUARES);
      assertThat(pool.mapAsync(x -> x * x, IntStream.range(0, 100).boxed()).join())
          .isEqualTo(SQUARES);
      assertThat(
              pool.starmap(
                  (Integer a, Integer b) -> a * b,
                  IntStream.range(0, 100).boxed(),
                  IntStream.range(0, 100).boxed()))
          .isEqualTo(SQUARES);
    }
  }

  @EveryBackendAndTheSeam
  void aStreamIsClosedWhenItsCallFails(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      CountDownLatch closed = new CountDownLatch(1);
      try {
        pool.map(
            x -> {
              if (x == 50) {
                throw new IllegalStateException("50");
              }
              return x;
            },
            range(0, 100).stream().onClose(closed::countDown));
        fail("the call should have failed");
      } catch (TaskFailedException expected) {
        await().until(() -> closed.getCount() == 0);
      }
    }
  }

  @EveryBackendAndTheSeam
  void anEndlessStreamIsReadLazily(PoolFactory backend) throws Exception {
    Naturals naturals = new Naturals();
    try (Pool pool = backend.builder().workers(2).maxInFlight(4).build();
        Results<Integer> results = pool.imap(x -> x, Stream.generate(naturals::next), 2)) {
      for (int i = 0; i < 20; i++) {
        assertThat(take(results)).isEqualTo(i);
      }
      assertThat(settled(naturals::read)).isLessThanOrEqualTo(20 + 4 * 2);
    }
  }

  @EveryBackendAndTheSeam
  void nullElementsAndNullResultsArePassedThrough(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      List<Integer> withNull = Arrays.asList(1, null, 3);
      assertThat(pool.map(x -> x == null ? -1 : x, withNull)).containsExactly(1, -1, 3);
      assertThat(pool.<Integer, Integer>map(x -> x == 2 ? null : x, List.of(1, 2, 3)))
          .containsExactly(1, null, 3);
      assertThat(pool.<Integer, Integer>imap(x -> x == 2 ? null : x, List.of(1, 2, 3)).toList())
          .containsExactly(1, null, 3);
      Task<Object, String> describe = x -> x == null ? "none" : "some";
      assertThat(pool.apply(describe, null)).isEqualTo("none");
    }
  }

  @EveryBackendAndTheSeam
  void theResultsOfOneCallFeedACallOnAnotherPool(PoolFactory backend) {
    try (Pool first = backend.create(2);
        Pool second = backend.create(2)) {
      Results<Integer> squares = first.imap(x -> x * x, range(0, 100));
      assertThat(second.map(x -> x + 1, squares))
          .isEqualTo(SQUARES.stream().map(x -> x + 1).collect(Collectors.toList()));

      Results<Integer> unordered = first.imapUnordered(x -> x * x, range(0, 100), 3);
      assertThat(second.imap(x -> -x, unordered).toList())
          .containsExactlyInAnyOrderElementsOf(
              SQUARES.stream().map(x -> -x).collect(Collectors.toList()));

      assertThat(second.mapAsync(x -> x, first.imap(x -> x * x, range(0, 100))).join())
          .isEqualTo(SQUARES);
      assertThat(second.imapUnordered(x -> x, first.imap(x -> x * x, range(0, 100)), 2).toList())
          .containsExactlyInAnyOrderElementsOf(SQUARES);
    }
  }

  @EveryBackendAndTheSeam
  void theResultsOfOneCallFeedAnotherCallOnTheSamePool(PoolFactory backend) {
    try (Pool pool = backend.create(3)) {
      Results<Integer> squares = pool.imap(x -> x * x, range(0, 100));
      Results<Integer> plusOne = pool.imap(x -> x + 1, squares, 2);
      assertThat(pool.map(x -> x - 1, plusOne)).isEqualTo(SQUARES);
    }
  }

  @EveryBackendAndTheSeam
  void aPipelineOnASingleWorkerPoolCompletes(PoolFactory backend) throws Exception {
    // Python's pool.map(f, pool.imap(g, xs)) works with Pool(1); so must ours. A pool of one worker
    // is also what Pool.create() gives on a one-CPU container. The first stage waits until the
    // second is submitted, so that the two run interleaved on the one worker. A correct pool needs
    // milliseconds; a deadlock is reported after five seconds, not Testing.PATIENCE, to stay cheap.
    Duration stuckAfter = Duration.ofSeconds(5);
    Gate secondStageSubmitted = new Gate();
    Pool pool = backend.create(1);
    try {
      Results<Integer> squares =
          pool.imap(
              x -> {
                if (x == 0) {
                  secondStageSubmitted.pass();
                }
                return x * x;
              },
              range(0, 1_000),
              1);
      CompletableFuture<List<Integer>> plusOne = pool.mapAsync(x -> x + 1, squares);
      secondStageSubmitted.open();
      assertThat(plusOne.get(stuckAfter.toMillis(), TimeUnit.MILLISECONDS))
          .isEqualTo(range(0, 1_000).stream().map(x -> x * x + 1).collect(Collectors.toList()));
    } catch (TimeoutException stuck) {
      pool.terminate();
      throw new AssertionError(
          "mapAsync over imap of the same one-worker pool did not finish within " + stuckAfter,
          stuck);
    } finally {
      secondStageSubmitted.open();
    }
    closeAndJoin(pool);
  }
}
