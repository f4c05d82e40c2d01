package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker keeps several short chunks queued to its process; what it queued keeps every guarantee
 * of a chunk sent alone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerPipelineTest extends ProcessPoolTest {

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  /** Kills this worker process the first time it runs (creating {@code marker}); else returns x. */
  static int exitOnce(int x, String marker) throws Exception {
    try {
      Files.writeString(Path.of(marker), "x", StandardOpenOption.CREATE_NEW);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return x;
    }
    Runtime.getRuntime().halt(7);
    return x;
  }

  static long sleepThenPid(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return ProcessHandle.current().pid();
  }

  @Test
  void aWorkerTakesNoLongChunkWhileItsProcessRunsOne() {
    pool = Pool.builder().processes().workers(2).build();
    // both processes up first, so that either worker could take any item
    pool.map(x -> sleepThenPid(x), List.of(200, 200), 1);
    List<Long> pids = pool.map(x -> sleepThenPid(x), List.of(2_000, 100, 100, 100), 1);
    // the worker running the 2 s task waits for it before it takes another: the other worker,
    // idle meanwhile, runs the three short ones; none waits behind the long one
    assertThat(pids.subList(1, 4)).doesNotContain(pids.get(0));
  }

  @Test
  void aChunkOfTensOfMillisecondsIsQueuedBehindTheRunningOneFarFromTheEnd() {
    // chunks of 30 ms are queued one deep while at least 2 items a worker are unread, so that the
    // process starts the next one with no round trip: the worker that sends the 1 s item queues
    // one more item behind it, then takes nothing until the 1 s item is done; the other worker
    // runs the rest meanwhile
    pool = Pool.builder().processes().workers(2).build();
    pool.map(x -> sleepThenPid(x), List.of(200, 200), 1);
    List<Integer> millis = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      millis.add(i == 8 ? 1_000 : 30);
    }
    List<Long> pids = pool.map(x -> sleepThenPid(x), millis, 1);
    assertThat(pids.subList(9, 17)).filteredOn(pids.get(8)::equals).hasSize(1);
  }

  @Test
  void nearTheEndNoChunkIsQueuedBehindARunningOne() {
    // the same chunks of 20 ms, but the long one is the third from the end: with fewer than 2
    // items a worker unread, its worker sends it only to an idle process and takes nothing more
    // while it runs; the other worker runs the last two
    pool = Pool.builder().processes().workers(2).build();
    pool.map(x -> sleepThenPid(x), List.of(200, 200), 1);
    List<Integer> millis = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      millis.add(i == 10 ? 1_500 : 20);
    }
    List<Long> pids = pool.map(x -> sleepThenPid(x), millis, 1);
    assertThat(pids.subList(11, 13)).doesNotContain(pids.get(10));
  }

  @Test
  void chunksQueuedBehindOneWhoseProcessDiedKeepTheirRetries() {
    // item 10 kills its process once, with 11.. queued behind it; then 11 kills the next one once.
    // Had 11 been charged a retry for the first death, the second would fail it.
    pool = Pool.builder().processes().workers(1).retries(1).build();
    String ten = dir.resolve("10").toString();
    String eleven = dir.resolve("11").toString();
    List<Integer> got =
        pool.map(x -> x == 10 ? exitOnce(x, ten) : x == 11 ? exitOnce(x, eleven) : x, range(40), 1);
    assertThat(got).isEqualTo(range(40));
  }

  @Test
  void theTimeoutOfAQueuedChunkStartsWhenTheOneBeforeItEnds() {
    // the first 50 are fast, so the worker queues the slow ones several deep: each waits up to
    // 300 ms behind the one before it, and runs 300 ms itself, within the 700 ms timeout
    pool = Pool.builder().processes().workers(1).taskTimeout(Duration.ofMillis(700)).build();
    List<Integer> got =
        pool.map(
            x -> {
              if (x >= 50) {
                Thread.sleep(300);
              }
              return x;
            },
            range(55),
            1);
    assertThat(got).isEqualTo(range(55));
  }

  @Test
  void anInputFedByTheConsumerOfItsResultsNeverDeadlocks() throws Exception {
    // each input is made only once the result before it has been consumed: the worker reading the
    // input must not hold back the results already computed
    pool = Pool.builder().processes().workers(1).build();
    int n = 200;
    LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
    Iterator<Integer> inputs =
        new Iterator<>() {
          private Integer next;

          @Override
          public boolean hasNext() {
            if (next == null) {
              try {
                next = queue.take();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            }
            return next >= 0;
          }

          @Override
          public Integer next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            Integer v = next;
            next = null;
            return v;
          }
        };
    queue.put(0);
    List<Integer> got = new ArrayList<>();
    Results<Integer> results = pool.imap(x -> x * 2, () -> inputs, 1);
    while (results.hasNext()) {
      int v = results.next(Duration.ofSeconds(20));
      got.add(v);
      queue.put(got.size() < n ? got.size() : -1);
    }
    assertThat(got).isEqualTo(range(n).stream().map(x -> x * 2).collect(Collectors.toList()));
  }
}
