package dev.pool4j;

import static dev.pool4j.Testing.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Values come back as they went, on every backend: plain values and serialized ones, runs of {@code
 * Integer}s or {@code Long}s that worker JVMs send in one pass and runs that turn out mixed, values
 * of several megabytes, and a task's exception with its index, class, message and the stack of the
 * worker that ran it. (Once {@code process.ProcessBasicsTest}, for worker JVMs only: its calls that
 * the rest of the matrix covers went, the rest run here on every backend.)
 */
class ValuesTest {

  @EveryBackendAndTheSeam
  void plainAndSerializedValuesTravelBothWaysUnchanged(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      List<Object> inputs =
          java.util.Arrays.asList(
              null,
              1,
              -7L,
              2.5d,
              1.5f,
              (short) 3,
              (short) -30_000,
              'x',
              '\uFFFE',
              (byte) -2,
              true,
              "ascii",
              "grüße ✓ 𝄞",
              "",
              new byte[] {1, 2, 3},
              List.of(1, "two"),
              java.time.Duration.ofSeconds(5),
              Integer.MIN_VALUE,
              Long.MAX_VALUE,
              Double.NaN);
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
  }

  @EveryBackendAndTheSeam
  void runsOfIntegersOrLongsOnlyAndRunsThatTurnOutMixedTravelUnchanged(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      List<Integer> ints =
          List.of(Integer.MIN_VALUE, -1, 0, 1, 127, 128, 65_536, Integer.MAX_VALUE);
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
  }

  @EveryBackendAndTheSeam
  void integerInputsWhoseResultsStopBeingIntegersPartwayComeBackUnchanged(PoolFactory backend)
      throws Exception {
    // a worker runs a chunk of Integers in one pass while its results are Integers, and hands
    // over to the general encoding at the first one that is not: at its first item, its second,
    // past its eighth, its middle, its last. No retries: a worker that failed here would fail the
    // call, not be hidden by a retry (which runs item by item, on the general path)
    List<Integer> inputs = range(0, 1_000);
    try (Pool strict = backend.builder().workers(2).retries(0).build()) {
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

  @EveryBackendAndTheSeam
  void valuesOfSeveralMegabytesTravelUnchanged(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      byte[] big = new byte[5 << 20];
      new java.util.Random(1).nextBytes(big);
      String text = "x".repeat(6 << 20);
      List<Object> inputs = List.of(big, text, 1, big);
      List<Object> echoed = pool.map(x -> x, inputs, inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        assertThat(java.util.Objects.deepEquals(echoed.get(i), inputs.get(i)))
            .as("element %d", i)
            .isTrue();
      }
      // the worker's and this JVM's buffers keep working for small chunks after a huge one
      assertThat(pool.map(x -> x + 1, range(0, 1_000), 10))
          .isEqualTo(range(0, 1_001).subList(1, 1_001));
    }
  }

  @EveryBackendAndTheSeam
  void aTaskExceptionComesBackWithItsIndexClassMessageAndWorkerStack(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        if (x == 37) {
                          throw new IllegalStateException("bad " + x);
                        }
                        return x;
                      },
                      range(0, 100)))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(37);
                assertThat(e.getCause())
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("bad 37");
                // the stack is the one the task threw with, wherever it ran
                assertThat(e.getCause().getStackTrace())
                    .anySatisfy(
                        frame -> {
                          assertThat(frame.getClassName()).isEqualTo(ValuesTest.class.getName());
                          // the task's own lambda, with a line number: a stack made where it ran
                          assertThat(frame.getMethodName())
                              .startsWith("lambda$aTaskExceptionComesBack");
                          assertThat(frame.getLineNumber()).isPositive();
                        });
                if (backend.isProcesses()) {
                  assertThat(e.getCause().getStackTrace())
                      .anySatisfy(
                          frame ->
                              assertThat(frame.getClassName())
                                  .isEqualTo("dev.pool4j.internal.process.WorkerMain"));
                }
              });
      // the pool stays usable
      assertThat(pool.map(x -> x + 1, List.of(1, 2))).containsExactly(2, 3);
    }
  }
}
