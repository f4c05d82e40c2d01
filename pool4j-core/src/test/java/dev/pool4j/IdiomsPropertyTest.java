package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * For random inputs, worker counts and chunk sizes, on every backend, with per-worker state: the
 * collector (over sequential and parallel streams), {@code starmap} with a chunk size and {@code
 * starmapAsync} equal a sequential map; and every state served its worker's tasks one at a time.
 * The default run makes a quarter of the tries, CI's long run all ({@link LongRunTries}).
 */
@AddLifecycleHook(LongRunTries.class)
@Tag(LongRun.SCALED)
class IdiomsPropertyTest {

  @Provide
  Arbitrary<PoolFactory> backends() {
    return Arbitraries.of(PoolFactory.all().collect(Collectors.toList()));
  }

  /** A state that fails the task if two tasks ever use it at once. */
  static final class Exclusive {
    private boolean busy;

    int use(int x) {
      if (busy) {
        throw new IllegalStateException("two tasks share one worker's state");
      }
      busy = true;
      try {
        return x * 31 + 7;
      } finally {
        busy = false;
      }
    }
  }

  @Property(tries = 40)
  void theIdiomsEqualASequentialMap(
      @ForAll("backends") PoolFactory backend,
      @ForAll @Size(max = 300) List<@IntRange(min = -10_000, max = 10_000) Integer> inputs,
      @ForAll @IntRange(min = 1, max = 6) int workers,
      @ForAll @IntRange(min = 1, max = 40) int chunksize)
      throws Exception {
    List<Integer> expected = inputs.stream().map(x -> x * 31 + 7).collect(Collectors.toList());
    List<Integer> indexes = IntStream.range(0, inputs.size()).boxed().collect(Collectors.toList());
    List<Integer> expectedSums = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      expectedSums.add(inputs.get(i) + i);
    }
    Task<Integer, Integer> f = Pool.withWorkerState(Exclusive.class, (s, x) -> s.use(x));
    try (Pool pool = backend.builder().workers(workers).workerState(Exclusive::new).build()) {
      assertThat(inputs.stream().collect(pool.mapping(f))).isEqualTo(expected);
      assertThat(inputs.parallelStream().collect(pool.mapping(f, chunksize))).isEqualTo(expected);
      assertThat(pool.starmap(Integer::sum, inputs, indexes, chunksize)).isEqualTo(expectedSums);
      assertThat(pool.starmapAsync(Integer::sum, inputs, indexes).get(30, TimeUnit.SECONDS))
          .isEqualTo(expectedSums);
    }
  }
}
