package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import dev.pool4j.TaskFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract's basic calls on worker processes give what a sequential map gives. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessBasicsTest {

  private static Pool pool;

  @BeforeAll
  static void start() {
    pool = Pool.builder().processes().workers(2).build();
  }

  @AfterAll
  static void stop() {
    pool.close();
    pool.join();
    assertThat(Children.workers()).isEmpty();
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void mapEqualsTheSequentialMap() {
    List<Integer> inputs = range(10_000);
    assertThat(pool.map(x -> x * x + 1, inputs))
        .isEqualTo(inputs.stream().map(x -> x * x + 1).collect(Collectors.toList()));
  }

  @Test
  void mapWithAFixedChunkSize() {
    List<Integer> inputs = range(1_000);
    assertThat(pool.map(x -> "v" + x, inputs, 7))
        .isEqualTo(inputs.stream().map(x -> "v" + x).collect(Collectors.toList()));
  }

  @Test
  void imapYieldsInOrder() {
    List<Integer> inputs = range(2_000);
    List<Long> got = new ArrayList<>();
    for (long v : pool.imap(x -> (long) x * 3, inputs, 1)) {
      got.add(v);
    }
    assertThat(got).isEqualTo(inputs.stream().map(x -> (long) x * 3).collect(Collectors.toList()));
  }

  @Test
  void imapUnorderedYieldsEveryResultOnce() {
    List<Integer> inputs = range(3_000);
    assertThat(pool.imapUnordered(x -> -x, inputs).toList())
        .containsExactlyInAnyOrderElementsOf(
            inputs.stream().map(x -> -x).collect(Collectors.toList()));
  }

  @Test
  void starmapZips() {
    assertThat(pool.starmap((Integer a, Integer b) -> a * b, List.of(1, 2, 3, 4), List.of(10, 30, 70, 20)))
        .containsExactly(10, 60, 210, 80);
  }

  @Test
  void applyRunsOneInputInAWorkerProcess() {
    long pid = pool.apply(x -> ProcessHandle.current().pid(), 0);
    assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(Children.workers()).extracting(ProcessHandle::pid).contains(pid);
  }

  @Test
  void applyAsyncAndMapAsyncComplete() throws Exception {
    assertThat(pool.applyAsync(x -> x + 1, 41).get(30, TimeUnit.SECONDS)).isEqualTo(42);
    assertThat(pool.mapAsync(x -> x + 1, range(100)).get(30, TimeUnit.SECONDS))
        .isEqualTo(range(101).subList(1, 101));
  }

  @Test
  void plainAndSerializedValuesTravelBothWaysUnchanged() {
    List<Object> inputs =
        java.util.Arrays.asList(
            null, 1, -7L, 2.5d, 1.5f, (short) 3, 'x', (byte) -2, true, "ascii", "grüße ✓ 𝄞", "",
            new byte[] {1, 2, 3}, List.of(1, "two"), java.time.Duration.ofSeconds(5),
            Integer.MIN_VALUE, Long.MAX_VALUE, Double.NaN);
    List<Object> echoed = pool.map(x -> x, inputs, 4);
    assertThat(echoed).hasSameSizeAs(inputs);
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(java.util.Objects.deepEquals(echoed.get(i), inputs.get(i)))
          .as("element %d: %s", i, inputs.get(i))
          .isTrue();
    }
    assertThat(pool.map(x -> x == null ? "null" : x.getClass().getName(), inputs, 3))
        .isEqualTo(
            inputs.stream()
                .map(x -> x == null ? "null" : x.getClass().getName())
                .collect(Collectors.toList()));
  }

  @Test
  void runsOfIntegersOrLongsOnlyAndRunsThatTurnOutMixedTravelUnchanged() {
    List<Integer> ints = List.of(Integer.MIN_VALUE, -1, 0, 1, 127, 128, 65_536, Integer.MAX_VALUE);
    List<Long> longs = List.of(Long.MIN_VALUE, -1L, 0L, 1L << 40, Long.MAX_VALUE);
    List<Object> mixed = java.util.Arrays.asList(1, 2, 3L, 4, "five");
    List<Object> withNull = java.util.Arrays.asList(1L, 2L, null, 4L);
    for (List<?> inputs : List.of(ints, longs, mixed, withNull)) {
      List<Object> echoed = pool.map(x -> x, inputs, inputs.size());
      assertThat(echoed).isEqualTo(inputs);
      for (int i = 0; i < inputs.size(); i++) {
        Object in = inputs.get(i);
        assertThat(echoed.get(i) == null ? null : echoed.get(i).getClass())
            .isEqualTo(in == null ? null : in.getClass());
      }
    }
    // results too: a run of Longs back for a run of Integers
    assertThat(pool.map(x -> (long) x * 3, ints, ints.size()))
        .isEqualTo(ints.stream().map(x -> (long) x * 3).collect(Collectors.toList()));
  }

  @Test
  void integerInputsWhoseResultsStopBeingIntegersPartwayComeBackUnchanged() throws Exception {
    // a worker runs a chunk of Integers in one pass while its results are Integers, and hands
    // over to the general encoding at the first one that is not: at its first item, its second,
    // past its eighth, its middle, its last. No retries: a worker that failed here would fail the
    // call, not be hidden by a retry (which runs item by item, on the general path)
    List<Integer> inputs = range(1_000);
    try (Pool strict = Pool.builder().processes().workers(2).retries(0).build()) {
      for (int from : List.of(0, 1, 9, 500, 999)) {
        dev.pool4j.Task<Integer, Object> task =
            x ->
                x < from
                    ? (Object) (x * 2)
                    : x % 4 == 0 ? null : x % 4 == 1 ? "s" + x : x % 4 == 2 ? (Object) (long) x : x;
        List<Object> expected = new ArrayList<>();
        for (Integer x : inputs) {
          expected.add(task.apply(x));
        }
        assertThat(strict.map(task, inputs, inputs.size())).as("from %d", from).isEqualTo(expected);
      }
      // and a task that throws partway through such a chunk fails its own index
      assertThatThrownBy(
              () ->
                  strict.map(
                      x -> {
                        if (x == 700) {
                          throw new IllegalStateException("seven hundred");
                        }
                        return x * 2;
                      },
                      inputs,
                      inputs.size()))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(700);
                assertThat(e.getCause()).hasMessage("seven hundred");
              });
      strict.close();
      strict.join();
    }
  }

  @Test
  void valuesOfSeveralMegabytesTravelUnchanged() {
    byte[] big = new byte[5 << 20];
    new java.util.Random(1).nextBytes(big);
    String text = "x".repeat(6 << 20);
    List<Object> inputs = List.of(big, text, 1, big);
    List<Object> echoed = pool.map(x -> x, inputs, inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(java.util.Objects.deepEquals(echoed.get(i), inputs.get(i))).as("element %d", i).isTrue();
    }
    // the worker's and this JVM's buffers keep working for small chunks after a huge one
    assertThat(pool.map(x -> x + 1, range(1_000), 10)).isEqualTo(range(1_001).subList(1, 1_001));
  }

  @Test
  void emptyInputGivesEmptyResult() {
    assertThat(pool.map(x -> x, List.<Integer>of())).isEmpty();
    Results<Object> r = pool.imap(x -> x, List.of());
    assertThat(r.hasNext()).isFalse();
  }

  @Test
  void aTaskExceptionComesBackWithItsIndexClassMessageAndWorkerStack() {
    assertThatThrownBy(
            () ->
                pool.map(
                    x -> {
                      if (x == 37) {
                        throw new IllegalStateException("bad " + x);
                      }
                      return x;
                    },
                    range(100)))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(37);
              assertThat(e.getCause())
                  .isExactlyInstanceOf(IllegalStateException.class)
                  .hasMessage("bad 37");
              assertThat(e.getCause().getStackTrace())
                  .anySatisfy(
                      frame -> assertThat(frame.getClassName()).isEqualTo(
                          "dev.pool4j.internal.process.WorkerMain"));
            });
    // the pool stays usable
    assertThat(pool.map(x -> x + 1, List.of(1, 2))).containsExactly(2, 3);
  }

  @Test
  void imapYieldsEveryEarlierResultThenTheFailure() {
    Results<Integer> results =
        pool.imap(
            x -> {
              if (x == 50) {
                throw new ArithmeticException("fifty");
              }
              return x;
            },
            range(100),
            3);
    List<Integer> got = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              while (results.hasNext()) {
                got.add(results.next());
              }
            })
        .isInstanceOfSatisfying(
            TaskFailedException.class, e -> assertThat(e.index()).isEqualTo(50));
    assertThat(got).isEqualTo(range(50));
  }
}
