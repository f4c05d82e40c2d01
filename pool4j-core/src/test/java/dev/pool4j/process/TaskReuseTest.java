package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import dev.pool4j.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lambda that captures nothing is sent to a worker process once, whatever the calls; a task that
 * holds state is sent afresh with each call, so that no call sees what another left in a worker.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskReuseTest extends ProcessPoolTest {

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void aTaskThatHoldsStateStartsEachCallFromTheCallersCopy() {
    pool = Pool.builder().processes().workers(1).build();
    int[] counter = {0};
    Task<Integer, Integer> count = x -> ++counter[0];
    // the worker's copy counts to 5 in the first call; the second call brings a fresh copy
    assertThat(pool.map(count, range(5), 1)).containsExactly(1, 2, 3, 4, 5);
    assertThat(pool.map(count, range(5), 1)).containsExactly(1, 2, 3, 4, 5);
    assertThat(counter[0]).isZero();
  }

  @Test
  void aLambdaThatCapturesNothingRunsRightInEveryCallEvenAfterTheWorkerForgotIt() {
    pool = Pool.builder().processes().workers(1).build();
    Task<Integer, Integer> square = x -> x * x;
    List<Integer> squares = range(50).stream().map(x -> x * x).collect(Collectors.toList());
    assertThat(pool.map(square, range(50))).isEqualTo(squares);
    assertThat(pool.map(square, range(50))).isEqualTo(squares);
    // more tasks than a worker keeps: it forgets the square, and is sent it again when needed
    for (int i = 0; i < 40; i++) {
      int k = i;
      assertThat(pool.map(x -> x + k, List.of(1))).containsExactly(1 + k);
    }
    assertThat(pool.map(square, range(50))).isEqualTo(squares);
  }

  @Test
  void concurrentCallsOfOneLambdaThatCapturesNothingGetTheirOwnResults() throws Exception {
    pool = Pool.builder().processes().workers(2).build();
    List<CompletableFuture<List<Integer>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(pool.mapAsync(x -> x * 3, range(1_000 + i)));
    }
    for (int i = 0; i < 8; i++) {
      assertThat(calls.get(i).get(30, TimeUnit.SECONDS))
          .isEqualTo(range(1_000 + i).stream().map(x -> x * 3).collect(Collectors.toList()));
    }
  }
}
