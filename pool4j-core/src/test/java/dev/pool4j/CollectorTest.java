package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code stream.collect(pool.mapping(f))}: results in encounter order, failures at their index. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CollectorTest {

  @EveryBackend
  void aSequentialStreamIsMappedInEncounterOrder(PoolFactory backend) {
    try (Pool pool = backend.create(3)) {
      List<Integer> got =
          IntStream.range(0, 500).boxed().filter(x -> x % 3 != 0).collect(pool.mapping(x -> x * 2));
      assertThat(got)
          .isEqualTo(
              IntStream.range(0, 500)
                  .filter(x -> x % 3 != 0)
                  .map(x -> x * 2)
                  .boxed()
                  .collect(Collectors.toList()));
    }
  }

  @EveryBackend
  void aParallelStreamKeepsItsEncounterOrderWithAFixedChunkSize(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      List<String> got =
          IntStream.range(0, 2_000).parallel().boxed().collect(pool.mapping(x -> "#" + x, 7));
      assertThat(got)
          .isEqualTo(IntStream.range(0, 2_000).mapToObj(x -> "#" + x).collect(Collectors.toList()));
    }
  }

  @EveryBackend
  void anEmptyStreamGivesAnEmptyListAndTheTaskNeverRuns(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      List<Object> got =
          Stream.<Integer>empty()
              .collect(
                  pool.mapping(
                      x -> {
                        throw new AssertionError("ran on " + x);
                      }));
      assertThat(got).isEmpty();
    }
  }

  @EveryBackend
  void aFailingTaskFailsTheCollectWithTheElementsIndex(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      Collector<Integer, ?, List<Integer>> failsAt42 =
          pool.mapping(
              x -> {
                if (x == 42) {
                  throw new IllegalStateException("bad " + x);
                }
                return x;
              });
      assertThatThrownBy(() -> IntStream.range(0, 100).boxed().collect(failsAt42))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(42);
                assertThat(e.getCause())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("bad 42");
              });
      // the pool and the collector stay usable
      assertThat(Stream.of(1, 2, 3).collect(failsAt42)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void badArgumentsAreRefusedAtOnceWithTheirName() {
    try (Pool pool = Pool.create(1)) {
      assertThatThrownBy(() -> pool.mapping(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("task");
      assertThatThrownBy(() -> pool.mapping(x -> x, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("chunksize must be >= 1, was 0");
    }
  }

  @Test
  void collectingOnAClosedPoolSaysTheCallIsRefused() {
    Pool pool = Pool.create(1);
    Collector<Integer, ?, List<Integer>> collector = pool.mapping(x -> x);
    pool.close();
    assertThatThrownBy(() -> Stream.of(1).collect(collector))
        .isInstanceOf(IllegalStateException.class);
    pool.join();
  }
}
