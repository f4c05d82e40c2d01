package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link Results} that a thread waits in is never cancelled by the garbage collector: once {@code
 * next()} is compiled, the JIT no longer keeps {@code this} alive while the call waits, and a
 * collection during the wait made the cleaner cancel the call ("the results were dropped
 * unconsumed") in 299 of 300 calls. The default run makes a third of the collected calls, CI's long
 * run all ({@link LongRun}); the warm-up, which the JIT needs, is the same in both.
 */
@Tag(LongRun.SCALED)
class ReachabilityTest {

  /** Calls made before the measured ones, so that the view's methods are compiled. */
  private static final int WARM_UP = 20_000;

  /** Calls during which the task forces a collection while the caller waits. */
  private static final int COLLECTED = LongRun.size(50, 150);

  @EveryBackendAndTheSeam
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aResultsWaitedInSurvivesCollections(PoolFactory backend) throws Exception {
    try (Pool pool = backend.create(1)) {
      for (int i = 0; i < WARM_UP; i++) {
        assertThat(pool.imap(x -> x, List.of(i)).next()).isEqualTo(i);
      }
      for (int i = 0; i < COLLECTED; i++) {
        int expected = i;
        // the view is referenced only from the caller's stack, inside next()
        Integer got =
            pool.imap(
                    x -> {
                      System.gc();
                      // time for the cleaner's thread to act on what the collection found
                      Thread.sleep(2);
                      return x;
                    },
                    List.of(i))
                .next();
        assertThat(got).isEqualTo(expected);
      }
      Integer viaHasNext = hasNextThenNext(pool);
      assertThat(viaHasNext).isEqualTo(7);
    }
  }

  private static Integer hasNextThenNext(Pool pool) {
    Results<Integer> results =
        pool.imap(
            x -> {
              System.gc();
              Thread.sleep(2);
              return x;
            },
            List.of(7));
    assertThat(results.hasNext()).isTrue();
    return results.next();
  }
}
