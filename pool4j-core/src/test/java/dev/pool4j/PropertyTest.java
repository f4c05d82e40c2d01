package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * For random inputs, worker counts 1 to 8 and chunk sizes (fixed, or 0 for adaptive), on every
 * backend: {@code map} and {@code imap} equal a sequential map, {@code imapUnordered} is a
 * permutation of it, and a failure at a random position is reported with that index. Tries are few,
 * each builds a pool: the point is variety, not volume. The default run makes a quarter of them,
 * CI's long run all ({@link LongRunTries}).
 */
@AddLifecycleHook(LongRunTries.class)
@Tag(LongRun.SCALED)
class PropertyTest {

  private static final Task<Integer, Integer> F = x -> x * 31 + 7;

  private static int f(int x) {
    return x * 31 + 7;
  }

  @Provide
  Arbitrary<PoolFactory> backends() {
    return Arbitraries.of(PoolFactory.all().collect(Collectors.toList()));
  }

  /** 0 stands for the adaptive chunk size. */
  @Provide
  Arbitrary<Integer> chunksizes() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(0)), Tuple.of(2, Arbitraries.integers().between(1, 40)));
  }

  private static List<Integer> map(
      Pool pool, Task<Integer, Integer> task, List<Integer> in, int c) {
    return c == 0 ? pool.map(task, in) : pool.map(task, in, c);
  }

  private static Results<Integer> imap(
      Pool pool, Task<Integer, Integer> task, Iterable<Integer> in, int c) {
    return c == 0 ? pool.imap(task, in) : pool.imap(task, in, c);
  }

  private static Results<Integer> imapUnordered(
      Pool pool, Task<Integer, Integer> task, Iterable<Integer> in, int c) {
    return c == 0 ? pool.imapUnordered(task, in) : pool.imapUnordered(task, in, c);
  }

  @Property(tries = 80)
  void mapAndImapEqualASequentialMapAndImapUnorderedIsAPermutationOfIt(
      @ForAll("backends") PoolFactory backend,
      @ForAll @Size(max = 300) List<@IntRange(min = -10_000, max = 10_000) Integer> inputs,
      @ForAll @IntRange(min = 1, max = 8) int workers,
      @ForAll("chunksizes") int chunksize) {
    List<Integer> expected = inputs.stream().map(PropertyTest::f).collect(Collectors.toList());
    Iterable<Integer> lazy = inputs::iterator;
    try (Pool pool = backend.create(workers)) {
      assertThat(map(pool, F, inputs, chunksize)).isEqualTo(expected);
      assertThat(imap(pool, F, inputs, chunksize).toList()).isEqualTo(expected);
      assertThat(imap(pool, F, lazy, chunksize).toList()).isEqualTo(expected);
      assertThat(imapUnordered(pool, F, lazy, chunksize).toList())
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /** Fails on input {@code failAt} only; inputs are their own positions. */
  private static Task<Integer, Integer> failingAt(int failAt) {
    return x -> {
      if (x == failAt) {
        throw new IllegalStateException("fails at " + x);
      }
      return f(x);
    };
  }

  @Property(tries = 80)
  void aFailingTaskAtARandomPositionIsReportedWithThatIndex(
      @ForAll("backends") PoolFactory backend,
      @ForAll @IntRange(min = 1, max = 300) int size,
      @ForAll @IntRange(min = 0, max = 299) int position,
      @ForAll @IntRange(min = 1, max = 8) int workers,
      @ForAll("chunksizes") int chunksize)
      throws TimeoutException {
    int failAt = position % size;
    List<Integer> inputs = Testing.range(0, size);
    Task<Integer, Integer> task = failingAt(failAt);
    try (Pool pool = backend.create(workers)) {
      assertThatThrownBy(() -> map(pool, task, inputs, chunksize))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(failAt);
                assertThat(e.getCause()).hasMessage("fails at " + failAt);
              });

      try (Results<Integer> results = imap(pool, task, inputs, chunksize)) {
        for (int i = 0; i < failAt; i++) {
          assertThat(Testing.take(results)).isEqualTo(f(i));
        }
        assertThatThrownBy(results::next)
            .isInstanceOfSatisfying(
                TaskFailedException.class, e -> assertThat(e.index()).isEqualTo(failAt));
      }

      try (Results<Integer> results = imapUnordered(pool, task, inputs, chunksize)) {
        List<Integer> before = new ArrayList<>();
        assertThatThrownBy(
                () -> {
                  while (true) {
                    before.add(Testing.take(results));
                  }
                })
            .isInstanceOfSatisfying(
                TaskFailedException.class, e -> assertThat(e.index()).isEqualTo(failAt));
        assertThat(before).doesNotHaveDuplicates().doesNotContain(f(failAt));
      }
    }
  }

  /** Inputs 0, 1, ... {@code size - 1} whose iterator throws instead of giving {@code failAt}. */
  private static Iterator<Integer> inputFailingAt(int size, int failAt) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public Integer next() {
        if (next == failAt) {
          throw new IllegalStateException("input fails at " + next);
        }
        return next++;
      }
    };
  }

  @Property(tries = 60)
  void aFailingInputAtARandomPositionIsReportedWithThatIndex(
      @ForAll("backends") PoolFactory backend,
      @ForAll @IntRange(min = 1, max = 300) int size,
      @ForAll @IntRange(min = 0, max = 299) int position,
      @ForAll @IntRange(min = 1, max = 8) int workers,
      @ForAll("chunksizes") int chunksize)
      throws TimeoutException {
    int failAt = position % size;
    try (Pool pool = backend.create(workers)) {
      Iterator<Integer> forMap = inputFailingAt(size, failAt);
      assertThatThrownBy(
              () -> {
                if (chunksize == 0) {
                  pool.map(F, forMap);
                } else {
                  pool.map(F, forMap, chunksize);
                }
              })
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(failAt);
                assertThat(e.getCause()).hasMessage("input fails at " + failAt);
              });

      Iterator<Integer> forImap = inputFailingAt(size, failAt);
      try (Results<Integer> results =
          chunksize == 0 ? pool.imap(F, forImap) : pool.imap(F, forImap, chunksize)) {
        for (int i = 0; i < failAt; i++) {
          assertThat(Testing.take(results)).isEqualTo(f(i));
        }
        assertThatThrownBy(results::next)
            .isInstanceOfSatisfying(
                TaskFailedException.class, e -> assertThat(e.index()).isEqualTo(failAt));
      }
    }
  }
}
