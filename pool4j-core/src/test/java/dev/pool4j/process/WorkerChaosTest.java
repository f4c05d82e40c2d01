package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.LongRun;
import dev.pool4j.Pool;
import dev.pool4j.Results;
import dev.pool4j.internal.process.ProcessBackend;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Worker processes killed at random while an imap runs: no hang, no lost or duplicated result. A
 * hundred kills during 10,000 items in CI's long run, 25 during 2,500 by default ({@link LongRun}).
 */
@Tag(LongRun.SCALED)
class WorkerChaosTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void randomKillsDuringAnImapLoseNothingAndDuplicateNothing() {
    int items = LongRun.size(2_500, 10_000);
    int kills = LongRun.size(25, 100);
    Random random = new Random(42);
    Pool pool = Pool.builder().processes().workers(2).retries(1_000).build();
    try {
      ProcessBackend backend = Internals.backend(pool);
      List<Integer> inputs = IntStream.range(0, items).boxed().collect(Collectors.toList());
      Results<Long> results =
          pool.imap(
              x -> {
                long spin = System.nanoTime() + 20_000; // 20 us of work
                while (System.nanoTime() < spin) {
                  Thread.onSpinWait();
                }
                return (long) x * x;
              },
              inputs,
              5);
      int step = (items - 100) / kills;
      int done = 0;
      int killed = 0;
      long start = System.nanoTime();
      while (results.hasNext()) {
        long v = results.next();
        assertThat(v).as("result %d", done).isEqualTo((long) done * done);
        done++;
        // The next kill is due every `step` results; while both workers are being replaced
        // (no pid to kill) it waits for the next result, so every kill happens, spread over all
        // but the last 100 items.
        if (killed < kills && done >= (killed + 1) * step) {
          List<Long> pids = backend.pids();
          if (!pids.isEmpty()) {
            long pid = pids.get(random.nextInt(pids.size()));
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            killed++;
          }
        }
      }
      assertThat(done).isEqualTo(items);
      assertThat(killed).isEqualTo(kills);
      System.out.printf(
          "%d items, %d kills: %.1f s%n", items, killed, (System.nanoTime() - start) / 1e9);
    } finally {
      pool.close();
      pool.join();
    }
    assertThat(Children.workers()).isEmpty();
  }
}
