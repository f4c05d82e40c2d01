package dev.pool4j;

import static dev.pool4j.Testing.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;

/**
 * A call made from inside a task on the same pool never hangs: a worker whose task waits for such a
 * call runs that call's chunks itself, as a {@code ForkJoinPool} worker that joins runs what it
 * waits for. Before, {@code p.map(x -> p.map(y -> y, List.of(x)), List.of(1, 2))} on two workers
 * never returned: both workers waited.
 *
 * <p>In this JVM only ({@link InThisJvm}): a task on a worker JVM or a cluster member cannot hold
 * its pool; {@code process.TaskUsingItsPoolTest} checks that such a task is refused before any work
 * with a message that says so and what to do instead.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard: a pool that deadlocks fails here
class NestedCallTest {

  @InThisJvm
  void mapInsideMapOnEveryWorkerAtOnce(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      AtomicReference<Pool> self = new AtomicReference<>(pool);
      List<List<Integer>> got =
          pool.map(x -> self.get().map(y -> y * 10, List.of(x, x + 1)), List.of(1, 2), 1);
      assertThat(got).containsExactly(List.of(10, 20), List.of(20, 30));
    }
  }

  @InThisJvm
  void nestedThreeDeepOnOneWorker(PoolFactory backend) {
    try (Pool pool = backend.create(1)) {
      AtomicReference<Pool> self = new AtomicReference<>(pool);
      List<Integer> got =
          pool.map(
              x ->
                  self
                      .get()
                      .map(
                          y ->
                              self.get().map(z -> z + 1, range(0, y)).stream()
                                  .mapToInt(Integer::intValue)
                                  .sum(),
                          range(0, x))
                      .stream()
                      .mapToInt(Integer::intValue)
                      .sum(),
              range(0, 6));
      List<Integer> expected =
          range(0, 6).stream()
              .map(
                  x ->
                      range(0, x).stream()
                          .mapToInt(y -> range(0, y).stream().mapToInt(z -> z + 1).sum())
                          .sum())
              .collect(Collectors.toList());
      assertThat(got).isEqualTo(expected);
    }
  }

  @InThisJvm
  void everyKindOfWaitInsideATask(PoolFactory backend) throws Exception {
    try (Pool pool = backend.create(2)) {
      AtomicReference<Pool> self = new AtomicReference<>(pool);
      List<String> got =
          pool.map(
              x -> {
                Pool p = self.get();
                int imapSum = p.imap(y -> y + 1, range(0, 50), 3).stream().mapToInt(i -> i).sum();
                int unordered = p.imapUnordered(y -> y, range(0, 50)).toList().size();
                int applied = p.apply(y -> y * 2, x);
                int async = p.applyAsync(y -> y * 3, x).get();
                int joined = p.mapAsync(y -> y, range(0, 10)).join().size();
                int timed = p.applyAsync(y -> y, 7).get(30, TimeUnit.SECONDS);
                int next = p.imap(y -> y, List.of(5)).next(Duration.ofSeconds(30));
                return imapSum + "," + unordered + "," + applied + "," + async + "," + joined + ","
                    + timed + "," + next;
              },
              List.of(1, 2),
              1);
      assertThat(got).containsExactly("1275,50,2,3,10,7,5", "1275,50,4,6,10,7,5");
    }
  }

  @InThisJvm
  void aNestedFailureReachesTheOuterTask(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      AtomicReference<Pool> self = new AtomicReference<>(pool);
      assertThatThrownBy(
              () ->
                  pool.map(
                      x ->
                          self.get()
                              .map(
                                  y -> {
                                    if (y == 3) {
                                      throw new IllegalStateException("inner " + y);
                                    }
                                    return y;
                                  },
                                  range(0, 5)),
                      List.of(1, 2)))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.getCause()).isInstanceOf(TaskFailedException.class);
                assertThat(((TaskFailedException) e.getCause()).index()).isEqualTo(3);
                assertThat(e.getCause().getCause()).hasMessage("inner 3");
              });
      // the pool is still whole
      assertThat(pool.map(x -> x, range(0, 100))).isEqualTo(range(0, 100));
    }
  }
}
