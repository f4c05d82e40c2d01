package dev.pool4j;

import static dev.pool4j.Testing.range;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Timeout;

/**
 * On threads, a task may wait for a later task of its own call (as long as the pool has another
 * worker): the later task must not sit unrun behind the waiting one. It guards reading ahead
 * (several chunks of tiny tasks in one turn of a call's read token). With a worker's own read-ahead
 * ({@code Worker.readAhead()}, off for every backend) on for thread workers, and an idle worker
 * handing back the chunks of a turn that stopped moving, this test failed on platform threads (a
 * waiting task's later task sat in its own worker's turn while the other worker, not idle but
 * blocked in a waiting task of its own, could not take it; the gate's patience turns the hang into
 * a failure). The read-ahead thread workers use now leaves those chunks in the call, for any worker
 * to take.
 *
 * <p>Not on worker processes: they queue a chunk behind the running one in the worker JVM
 * (pipelining), where no other worker can take it, so this test fails there (as it does on main).
 */
class WaitForLaterTaskTest {

  /**
   * Tiny tasks first, so that the call measures them tiny and hands out turns of several chunks;
   * then, every 40 items, a task that waits until a task 1 to 8 items later has run. Random worker
   * counts (2 to 4) and gaps; the seed is in the failure message.
   */
  @InThisJvm
  @Timeout(300) // a hang guard only: each gate gives up after Testing.PATIENCE
  void aTaskMayWaitForALaterTaskOfItsOwnCall(PoolFactory backend) throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    int rounds = 5;
    for (int round = 0; round < rounds; round++) {
      int workers = 2 + random.nextInt(3);
      int pairs = 8;
      int first = 100 + random.nextInt(100);
      int[] waiter = new int[pairs];
      int[] later = new int[pairs];
      List<Gate> gates = new ArrayList<>();
      for (int p = 0; p < pairs; p++) {
        waiter[p] = first + 40 * p;
        later[p] = waiter[p] + 1 + random.nextInt(8);
        gates.add(new Gate());
      }
      int size = first + 40 * pairs + 50;
      String what =
          "seed " + seed + ", round " + round + ", " + workers + " workers, waiters " + first;
      try (Pool pool = backend.create(workers);
          Results<Integer> results =
              pool.imap(
                  x -> {
                    for (int p = 0; p < pairs; p++) {
                      if (x == waiter[p]) {
                        gates.get(p).pass();
                      } else if (x == later[p]) {
                        gates.get(p).open();
                      }
                    }
                    return x;
                  },
                  range(0, size),
                  1)) {
        assertThat(results.toList()).as(what).isEqualTo(range(0, size));
      } finally {
        gates.forEach(Gate::open);
      }
    }
  }
}
