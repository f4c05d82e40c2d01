package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.BiTask;
import dev.pool4j.Pool;
import dev.pool4j.Task;
import dev.pool4j.TaskFailedException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java idioms on worker processes: per-worker state made in each worker JVM, the collector,
 * starmap with a chunk size and starmapAsync; the executor view, which needs tasks in this JVM,
 * refused. One pool of two workers serves each test, to keep the JVM starts few.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdiomsOnProcessesTest extends ProcessPoolTest {

  /** Made once per worker JVM: its pid and a count of the tasks that used it. */
  static final class PerProcess {
    final long pid = ProcessHandle.current().pid();
    final long made = System.nanoTime();
    int tasks;
  }

  @Test
  void eachWorkerProcessMakesItsOwnStateOnceAndTheCallsUseIt() throws Exception {
    pool = Pool.builder().processes().workers(2).workerState(PerProcess::new).build();
    // pid, when the state was made, and how many tasks the state has served so far
    Task<Integer, String> touch =
        Pool.withWorkerState(PerProcess.class, (s, x) -> s.pid + ":" + s.made + ":" + (++s.tasks));
    List<String> first = pool.map(touch, range(200), 10);
    List<String> second = range(200).stream().parallel().collect(pool.mapping(touch, 10));
    List<String> all = new java.util.ArrayList<>(first);
    all.addAll(second);
    // every task ran in a worker JVM, not here, and each JVM made exactly one state in both calls
    assertThat(all).noneMatch(s -> s.startsWith(ProcessHandle.current().pid() + ":"));
    java.util.Map<String, List<String>> byPid =
        all.stream().collect(Collectors.groupingBy(s -> s.split(":")[0]));
    assertThat(byPid.size()).isBetween(1, 2);
    byPid.forEach(
        (pid, seen) -> {
          assertThat(seen.stream().map(s -> s.split(":")[1]).distinct()).hasSize(1);
          // the counts of one state run 1..n: no task got a fresh copy
          assertThat(seen.stream().map(s -> Integer.parseInt(s.split(":")[2])).sorted())
              .isEqualTo(
                  IntStream.rangeClosed(1, seen.size()).boxed().collect(Collectors.toList()));
        });
  }

  @Test
  void starmapWithAChunkSizeStarmapAsyncAndTheCollectorKeepOrderAndIndexes() throws Exception {
    pool = Pool.builder().processes().workers(2).build();
    BiTask<Integer, Integer, Integer> mul = (a, b) -> a * b;
    List<Integer> expected =
        IntStream.range(0, 300).map(i -> i * (i + 1)).boxed().collect(Collectors.toList());
    assertThat(pool.starmap(mul, range(300), range(1, 301), 16)).isEqualTo(expected);
    assertThat(pool.starmapAsync(mul, range(300), range(1, 301)).get(60, TimeUnit.SECONDS))
        .isEqualTo(expected);
    assertThat(java.util.stream.Stream.<Integer>empty().collect(pool.mapping(x -> x))).isEmpty();
    assertThatThrownBy(
            () ->
                pool.starmapAsync(
                        (Integer a, Integer b) -> {
                          if (a == 123) {
                            throw new ArithmeticException("at " + a);
                          }
                          return a;
                        },
                        range(300),
                        range(300),
                        8)
                    .get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(123);
              assertThat(e.getCause()).isInstanceOf(ArithmeticException.class).hasMessage("at 123");
            });
    assertThatThrownBy(pool::asExecutor)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("threads()");
  }

  @Test
  void aFactoryThatCannotBeSerializedIsRefusedByTheCallNamingItsClass() {
    Object notSerializable = new Object();
    pool = Pool.builder().processes().workers(1).workerState(() -> notSerializable).build();
    assertThatThrownBy(() -> pool.map(x -> x, List.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }

  private static List<Integer> range(int n) {
    return range(0, n);
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toList());
  }
}
