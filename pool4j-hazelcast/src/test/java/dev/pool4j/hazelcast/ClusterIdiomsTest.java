package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.BiTask;
import dev.pool4j.Pool;
import dev.pool4j.Task;
import dev.pool4j.TaskFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java idioms on a cluster of one member JVM (two workers), through one client pool with
 * per-worker state: each member worker makes its own state; the collector, starmap with a chunk
 * size and starmapAsync keep order and indexes; the executor view is refused.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterIdiomsTest {

  static TestCluster cluster;
  static HazelcastBackend backend;
  static Pool pool;

  /** One member worker's state: where it was made, and how many tasks it served. */
  static final class PerWorker {
    final String where = ProcessHandle.current().pid() + "/" + Thread.currentThread().getName();
    final long made = System.nanoTime();
    int tasks;
  }

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster(1);
    cluster.start(2);
    backend = cluster.client();
    pool = Pool.builder().backend(backend).workerState(PerWorker::new).build();
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    try {
      if (pool != null) {
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toList());
  }

  @Test
  void eachMemberWorkerMakesItsOwnStateOnceAndEveryTaskItRunsGetsIt() {
    Task<Integer, String> touch =
        Pool.withWorkerState(PerWorker.class, (s, x) -> s.where + "|" + s.made + "|" + (++s.tasks));
    List<String> all = new ArrayList<>(pool.map(touch, range(0, 400), 5));
    all.addAll(range(0, 400).stream().collect(pool.mapping(touch, 5)));
    String here = ProcessHandle.current().pid() + "/";
    assertThat(all).hasSize(800).noneMatch(s -> s.startsWith(here));
    Map<String, List<String>> byWorker =
        all.stream().collect(Collectors.groupingBy(s -> s.split("\\|")[0]));
    byWorker.forEach(
        (worker, seen) -> {
          // one state per member worker, made once: one creation time, counts 1..n
          assertThat(seen.stream().map(s -> s.split("\\|")[1]).distinct()).as(worker).hasSize(1);
          assertThat(seen.stream().map(s -> Integer.parseInt(s.split("\\|")[2])).sorted())
              .as(worker)
              .isEqualTo(
                  IntStream.rangeClosed(1, seen.size()).boxed().collect(Collectors.toList()));
        });
  }

  @Test
  void starmapWithAChunkSizeAndStarmapAsyncKeepOrderAndFailAtTheIndex() throws Exception {
    BiTask<Integer, Integer, Integer> mul = (a, b) -> a * b;
    List<Integer> expected =
        IntStream.range(0, 500).map(i -> i * (i + 1)).boxed().collect(Collectors.toList());
    assertThat(pool.starmap(mul, range(0, 500), range(1, 501), 9)).isEqualTo(expected);
    assertThat(pool.starmapAsync(mul, range(0, 500), range(1, 501), 9).get(60, TimeUnit.SECONDS))
        .isEqualTo(expected);
    assertThat(Stream.<Integer>empty().collect(pool.mapping(x -> x))).isEmpty();
    assertThatThrownBy(
            () ->
                pool.starmapAsync(
                        (Integer a, Integer b) -> {
                          if (a == 321) {
                            throw new ArithmeticException("at " + a);
                          }
                          return a;
                        },
                        range(0, 500),
                        range(0, 500))
                    .get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(321);
              assertThat(e.getCause()).isInstanceOf(ArithmeticException.class).hasMessage("at 321");
            });
    assertThatThrownBy(pool::asExecutor)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("other JVMs");
  }
}
