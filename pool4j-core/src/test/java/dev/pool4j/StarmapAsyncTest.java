package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code starmapAsync}, and {@code starmap} with a chunk size. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StarmapAsyncTest {

  private static final List<Integer> FIRSTS = Testing.range(0, 300);
  private static final List<Integer> SECONDS = Testing.range(1_000, 1_300);
  private static final List<Integer> SUMS =
      IntStream.range(0, 300).map(i -> i + i + 1_000).boxed().collect(Collectors.toList());

  @EveryBackend
  void starmapWithAChunkSizeKeepsInputOrderForEveryInputKind(PoolFactory backend) {
    try (Pool pool = backend.create(3)) {
      BiTask<Integer, Integer, Integer> add = Integer::sum;
      assertThat(pool.starmap(add, FIRSTS, SECONDS, 7)).isEqualTo(SUMS);
      assertThat(pool.starmap(add, FIRSTS.iterator(), SECONDS.iterator(), 1)).isEqualTo(SUMS);
      assertThat(pool.starmap(add, FIRSTS.stream(), SECONDS.stream(), 300)).isEqualTo(SUMS);
    }
  }

  @EveryBackend
  void starmapAsyncCompletesWithTheResultsInOrder(PoolFactory backend) throws Exception {
    try (Pool pool = backend.create(3)) {
      BiTask<Integer, Integer, Integer> add = Integer::sum;
      assertThat(pool.starmapAsync(add, FIRSTS, SECONDS).get(30, TimeUnit.SECONDS)).isEqualTo(SUMS);
      assertThat(pool.starmapAsync(add, FIRSTS, SECONDS, 5).get(30, TimeUnit.SECONDS))
          .isEqualTo(SUMS);
      assertThat(
              pool.starmapAsync(add, Testing.lazyRange(0, 300).iterator(), SECONDS.iterator())
                  .get(30, TimeUnit.SECONDS))
          .isEqualTo(SUMS);
      assertThat(
              pool.starmapAsync(add, FIRSTS.stream(), SECONDS.stream()).get(30, TimeUnit.SECONDS))
          .isEqualTo(SUMS);
      assertThat(
              pool.starmapAsync(add, List.<Integer>of(), List.<Integer>of())
                  .get(30, TimeUnit.SECONDS))
          .isEmpty();
    }
  }

  @EveryBackend
  void aFailingPairFailsTheFutureWithItsIndex(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      CompletableFuture<List<Integer>> future =
          pool.starmapAsync(
              (Integer a, Integer b) -> {
                if (a == 77) {
                  throw new ArithmeticException("no " + b);
                }
                return a + b;
              },
              FIRSTS,
              SECONDS,
              4);
      assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(77);
                assertThat(e.getCause())
                    .isInstanceOf(ArithmeticException.class)
                    .hasMessage("no 1077");
              });
    }
  }

  @EveryBackend
  void unequalLengthsAreAnIllegalArgument(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      BiTask<Integer, Integer, Integer> add = Integer::sum;
      // both sizes known: refused at once
      assertThatThrownBy(() -> pool.starmapAsync(add, List.of(1, 2), List.of(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("same length");
      assertThatThrownBy(() -> pool.starmap(add, List.of(1, 2), List.of(1), 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("same length");
      // sizes unknown: the future fails when the shorter one ends
      CompletableFuture<List<Integer>> late =
          pool.starmapAsync(add, Testing.lazyRange(0, 3), Testing.lazyRange(0, 2), 1);
      assertThatThrownBy(() -> late.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("seconds ended after 2 elements");
      assertThatThrownBy(() -> pool.starmap(add, Stream.of(1, 2, 3), Stream.of(1, 2), 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("seconds ended after 2 elements");
    }
  }

  @Test
  void badArgumentsAreRefusedAtOnceWithTheirName() {
    try (Pool pool = Pool.create(1)) {
      BiTask<Integer, Integer, Integer> add = Integer::sum;
      assertThatThrownBy(() -> pool.starmap(add, FIRSTS, SECONDS, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("chunksize must be >= 1, was 0");
      assertThatThrownBy(() -> pool.starmapAsync(add, FIRSTS, SECONDS, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("chunksize must be >= 1, was -1");
      assertThatThrownBy(() -> pool.starmapAsync(null, FIRSTS, SECONDS))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("task");
      assertThatThrownBy(() -> pool.starmapAsync(add, null, SECONDS))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("firsts");
      assertThatThrownBy(() -> pool.starmap(add, FIRSTS, (List<Integer>) null, 3))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("seconds");
    }
  }

  @Test
  void starmapAsyncOnAClosedPoolIsRefused() {
    Pool pool = Pool.create(1);
    pool.close();
    assertThatThrownBy(() -> pool.starmapAsync(Integer::sum, List.of(1), List.of(2)))
        .isInstanceOf(IllegalStateException.class);
    pool.join();
  }
}
