package dev.pool4j;

import static dev.pool4j.Testing.lazyRange;
import static dev.pool4j.Testing.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** {@code starmap} zips its two inputs; inputs of unequal lengths are an error. */
class StarmapTest {

  @EveryBackendAndTheSeam
  void starmapZipsItsTwoInputs(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      BiTask<Integer, Integer, Integer> multiply =
          (a, b) -> {
            Thread.sleep(a);
            return a * b;
          };
      assertThat(pool.starmap(multiply, List.of(1, 2, 3, 4), List.of(10, 30, 70, 20)))
          .containsExactly(10, 60, 210, 80);
      assertThat(
              pool.starmap(
                  (String s, Integer n) -> s.repeat(n), List.of("a", "b", "c"), List.of(3, 0, 1)))
          .containsExactly("aaa", "", "c");
    }
  }

  @EveryBackendAndTheSeam
  void collectionsOfUnequalLengthsAreRefusedBeforeAnyTaskRuns(PoolFactory backend) {
    AtomicInteger ran = new AtomicInteger();
    BiTask<Integer, Integer, Integer> add =
        (a, b) -> {
          ran.incrementAndGet();
          return a + b;
        };
    try (Pool pool = backend.create(2)) {
      assertThatThrownBy(() -> pool.starmap(add, range(0, 5), range(0, 4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("firsts")
          .hasMessageContaining("seconds")
          .hasMessageContaining("5")
          .hasMessageContaining("4");
      assertThatThrownBy(() -> pool.starmap(add, range(0, 0), range(0, 1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(ran).hasValue(0);
    }
  }

  @EveryBackendAndTheSeam
  void lazyInputsOfUnequalLengthsFailWithIllegalArgumentException(PoolFactory backend) {
    BiTask<Integer, Integer, Integer> add = (a, b) -> a + b;
    try (Pool pool = backend.create(2)) {
      assertThatThrownBy(() -> pool.starmap(add, lazyRange(0, 50), lazyRange(0, 49)))
          .as("firsts longer")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("firsts")
          .hasMessageContaining("seconds");
      assertThatThrownBy(() -> pool.starmap(add, lazyRange(0, 49), lazyRange(0, 50)))
          .as("seconds longer")
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> pool.starmap(add, range(0, 50).iterator(), range(0, 10).iterator()))
          .as("iterators")
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> pool.starmap(add, Stream.of(1, 2, 3), Stream.of(1, 2)))
          .as("streams")
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> pool.starmap(add, range(0, 3), lazyRange(0, 2)))
          .as("a collection and a lazy input")
          .isInstanceOf(IllegalArgumentException.class);

      assertThat(pool.starmap(add, lazyRange(0, 3), lazyRange(0, 3))).containsExactly(0, 2, 4);
    }
  }

  @EveryBackendAndTheSeam
  void aFailingPairFailsStarmapWithItsIndex(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      assertThatThrownBy(
              () ->
                  pool.starmap(
                      (Integer a, Integer b) -> a / b, List.of(1, 2, 3, 4), List.of(1, 1, 0, 1)))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(2);
                assertThat(e.getCause()).isInstanceOf(ArithmeticException.class);
              });
    }
  }
}
