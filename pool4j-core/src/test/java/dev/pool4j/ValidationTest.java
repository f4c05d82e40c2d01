package dev.pool4j;

import static dev.pool4j.Testing.range;
import static dev.pool4j.Testing.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Null task, null inputs, {@code workers < 1}, {@code chunksize < 1}, a builder setting given
 * twice: an immediate exception whose message names the argument. Nothing already accepted is lost.
 */
class ValidationTest {

  private static final Task<Integer, Integer> NO_TASK = null;
  private static final BiTask<Integer, Integer, Integer> NO_BITASK = null;
  private static final Iterable<Integer> NO_ITERABLE = null;
  private static final Iterator<Integer> NO_ITERATOR = null;
  private static final Stream<Integer> NO_STREAM = null;
  private static final Task<Integer, Integer> IDENTITY = x -> x;

  private static void assertNamesNull(String argument, ThrowingCallable call) {
    assertThatThrownBy(call)
        .as("null %s", argument)
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining(argument);
  }

  @EveryBackendAndTheSeam
  void aNullTaskIsRefusedByEveryCall(PoolFactory backend) {
    List<Integer> inputs = List.of(1, 2);
    try (Pool pool = backend.create(1)) {
      assertNamesNull("task", () -> pool.map(NO_TASK, inputs));
      assertNamesNull("task", () -> pool.map(NO_TASK, inputs, 2));
      assertNamesNull("task", () -> pool.map(NO_TASK, inputs.iterator()));
      assertNamesNull("task", () -> pool.map(NO_TASK, inputs.stream()));
      assertNamesNull("task", () -> pool.imap(NO_TASK, inputs));
      assertNamesNull("task", () -> pool.imap(NO_TASK, inputs, 2));
      assertNamesNull("task", () -> pool.imapUnordered(NO_TASK, inputs));
      assertNamesNull("task", () -> pool.imapUnordered(NO_TASK, inputs, 2));
      assertNamesNull("task", () -> pool.starmap(NO_BITASK, inputs, inputs));
      assertNamesNull("task", () -> pool.apply(NO_TASK, 1));
      assertNamesNull("task", () -> pool.applyAsync(NO_TASK, 1));
      assertNamesNull("task", () -> pool.mapAsync(NO_TASK, inputs));
    }
  }

  @EveryBackendAndTheSeam
  void nullInputsAreRefusedByEveryCall(PoolFactory backend) {
    try (Pool pool = backend.create(1)) {
      assertNamesNull("inputs", () -> pool.map(IDENTITY, NO_ITERABLE));
      assertNamesNull("inputs", () -> pool.map(IDENTITY, NO_ITERABLE, 2));
      assertNamesNull("inputs", () -> pool.map(IDENTITY, NO_ITERATOR));
      assertNamesNull("inputs", () -> pool.map(IDENTITY, NO_STREAM));
      assertNamesNull("inputs", () -> pool.imap(IDENTITY, NO_ITERABLE));
      assertNamesNull("inputs", () -> pool.imap(IDENTITY, NO_ITERATOR, 2));
      assertNamesNull("inputs", () -> pool.imapUnordered(IDENTITY, NO_STREAM));
      assertNamesNull("inputs", () -> pool.mapAsync(IDENTITY, NO_ITERABLE));
      assertNamesNull("firsts", () -> pool.starmap((a, b) -> a, NO_ITERABLE, List.of(1)));
      assertNamesNull("seconds", () -> pool.starmap((a, b) -> a, List.of(1), NO_ITERABLE));
    }
  }

  @EveryBackendAndTheSeam
  void aChunksizeBelowOneIsRefusedWithItsValue(PoolFactory backend) {
    try (Pool pool = backend.create(1)) {
      for (int chunksize : new int[] {0, -1, Integer.MIN_VALUE}) {
        List<ThrowingCallable> calls =
            List.of(
                () -> pool.map(IDENTITY, List.of(1), chunksize),
                () -> pool.map(IDENTITY, List.of(1).iterator(), chunksize),
                () -> pool.map(IDENTITY, Stream.of(1), chunksize),
                () -> pool.imap(IDENTITY, List.of(1), chunksize),
                () -> pool.imapUnordered(IDENTITY, List.of(1), chunksize),
                () -> backend.builder().chunksize(chunksize));
        for (ThrowingCallable call : calls) {
          assertThatThrownBy(call)
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("chunksize")
              .hasMessageContaining(String.valueOf(chunksize));
        }
      }
    }
  }

  @Test
  void fewerThanOneWorkerIsRefusedWithTheValue() {
    for (int workers : new int[] {0, -4}) {
      assertThatThrownBy(() -> Pool.create(workers))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("workers")
          .hasMessageContaining(String.valueOf(workers));
      PoolFactory.all()
          .forEach(
              backend ->
                  assertThatThrownBy(() -> backend.builder().workers(workers))
                      .as("%s", backend)
                      .isInstanceOf(IllegalArgumentException.class)
                      .hasMessageContaining("workers")
                      .hasMessageContaining(String.valueOf(workers)));
    }
  }

  @Test
  void otherBuilderSettingsOutOfRangeAreRefusedByName() {
    assertThatThrownBy(() -> Pool.builder().maxInFlight(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxInFlight");
    assertThatThrownBy(() -> Pool.builder().maxTasksPerWorker(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTasksPerWorker");
    assertThatThrownBy(() -> Pool.builder().taskTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taskTimeout");
    assertThatThrownBy(() -> Pool.builder().taskTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taskTimeout");
    assertNamesNull("taskTimeout", () -> Pool.builder().taskTimeout(null));
  }

  /** A builder setting given twice, named as the exception must name it. */
  private static void assertSetTwiceIsRefused(String setting, Consumer<Pool.Builder> set) {
    Pool.Builder builder = Pool.builder();
    set.accept(builder);
    assertThatThrownBy(() -> set.accept(builder))
        .as(setting)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(setting);
  }

  @Test
  void aBuilderSettingGivenTwiceIsRefusedByName() {
    assertSetTwiceIsRefused("workers", b -> b.workers(2));
    assertSetTwiceIsRefused("chunksize", b -> b.chunksize(2));
    assertSetTwiceIsRefused("maxInFlight", b -> b.maxInFlight(2));
    assertSetTwiceIsRefused("taskTimeout", b -> b.taskTimeout(Duration.ofSeconds(1)));
    assertSetTwiceIsRefused("maxTasksPerWorker", b -> b.maxTasksPerWorker(2));
    assertSetTwiceIsRefused("backend", Pool.Builder::threads);
    assertSetTwiceIsRefused("backend", Pool.Builder::virtualThreads);
    assertThatThrownBy(() -> Pool.builder().threads().virtualThreads())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("backend");
  }

  @EveryBackendAndTheSeam
  void aNullTimeoutForNextIsRefused(PoolFactory backend) {
    try (Pool pool = backend.create(1);
        Results<Integer> results = pool.imap(IDENTITY, List.of(1))) {
      assertNamesNull("timeout", () -> results.next(null));
    }
  }

  @EveryBackendAndTheSeam
  void aRefusedCallLosesNothingAlreadyAccepted(PoolFactory backend) throws Exception {
    try (Pool pool = backend.create(2);
        Results<Integer> accepted = pool.imap(x -> x * 2, range(0, 100), 1)) {
      assertThat(take(accepted)).isZero();
      assertThatThrownBy(() -> pool.map(NO_TASK, List.of(1)))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> pool.imap(IDENTITY, List.of(1), 0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> pool.starmap((a, b) -> a, List.of(1), List.of(1, 2)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(accepted.toList()).isEqualTo(range(1, 100).stream().map(x -> x * 2).toList());
      assertThat(pool.map(IDENTITY, range(0, 10))).isEqualTo(range(0, 10));
    }
  }
}
