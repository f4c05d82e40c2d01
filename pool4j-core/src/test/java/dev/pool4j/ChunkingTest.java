package dev.pool4j;

import static dev.pool4j.Testing.lazyRange;
import static dev.pool4j.Testing.settled;
import static dev.pool4j.Testing.take;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chunk size adapts by default: it starts at 1, so that slow tasks stream one by one, and grows
 * while tasks are tiny; a fixed chunk size overrides it.
 *
 * <p>Chunks are seen from outside through the window: with {@code maxInFlight(1)} the one chunk
 * outstanding is read whole, so how far the input is read ahead of the consumer is the size of the
 * current chunk.
 */
class ChunkingTest {

  @EveryBackendAndTheSeam
  void theFirstAdaptiveChunkHoldsOneInputSoASlowSecondInputDoesNotHoldBackTheFirst(
      PoolFactory backend) throws Exception {
    Gate second = new Gate();
    try (Pool pool = backend.create(1);
        Results<Integer> results =
            pool.imap(
                x -> {
                  if (x == 1) {
                    second.pass();
                  }
                  return x;
                },
                lazyRange(0, 10))) {
      assertThat(take(results)).isZero();
      second.open();
      assertThat(results.toList()).isEqualTo(Testing.range(1, 10));
    } finally {
      second.open();
    }
  }

  @EveryBackendAndTheSeam
  void slowTasksStreamOneByOne(PoolFactory backend) throws Exception {
    // a task of 2 ms is far above the chunk time target of threads (0.5 ms), and one of 12 ms
    // above that of worker JVMs and the cluster (5 ms): neither is worth batching for
    long millis = backend.sharesMemory() ? 2 : 12;
    Naturals input = new Naturals();
    long aheadMost = 0;
    try (Pool pool = backend.builder().workers(1).maxInFlight(1).build();
        Results<Integer> results =
            pool.imap(
                x -> {
                  Thread.sleep(millis);
                  return x;
                },
                input)) {
      for (int taken = 1; taken <= 30; taken++) {
        assertThat(take(results)).isEqualTo(taken - 1);
        aheadMost = Math.max(aheadMost, input.read() - taken);
      }
    }
    assertThat(aheadMost).as("inputs read ahead of the consumer").isLessThanOrEqualTo(1);
  }

  @EveryBackendAndTheSeam
  void tinyTasksAreBatched(PoolFactory backend) throws Exception {
    Naturals input = new Naturals();
    long aheadMost = 0;
    try (Pool pool = backend.builder().workers(1).maxInFlight(1).build();
        Results<Integer> results = pool.imap(x -> x, input)) {
      for (int taken = 1; taken <= 20_000; taken++) {
        assertThat(take(results)).isEqualTo(taken - 1);
        aheadMost = Math.max(aheadMost, input.read() - taken);
      }
    }
    assertThat(aheadMost).as("inputs read ahead of the consumer").isGreaterThan(1);
  }

  @EveryBackendAndTheSeam
  void aFixedChunksizeOverridesTheAdaptiveOne(PoolFactory backend) throws Exception {
    try (Pool fromCall = backend.builder().workers(1).maxInFlight(1).build();
        Pool fromBuilder = backend.builder().workers(1).maxInFlight(1).chunksize(3).build();
        Pool callOverBuilder = backend.builder().workers(1).maxInFlight(1).chunksize(5).build()) {
      Naturals a = new Naturals();
      Naturals b = new Naturals();
      Naturals c = new Naturals();
      try (Results<Integer> ra = fromCall.imap(x -> x, a, 3);
          Results<Integer> rb = fromBuilder.imap(x -> x, b);
          Results<Integer> rc = callOverBuilder.imap(x -> x, c, 3)) {
        for (int i = 0; i < 10; i++) {
          take(ra);
          take(rb);
          take(rc);
        }
        for (Naturals input : new Naturals[] {a, b, c}) {
          // chunks of 3 read whole, the one outstanding holds the 10th result: inputs 0..11 read
          long read = settled(input::read);
          assertThat(read % 3).as("read %d, in chunks of 3", read).isZero();
          assertThat(read).isBetween(11L, 13L);
        }
      }
    }
  }
}
