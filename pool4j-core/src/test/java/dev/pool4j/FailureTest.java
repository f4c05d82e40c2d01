package dev.pool4j;

import static dev.pool4j.Testing.closeAndJoin;
import static dev.pool4j.Testing.parallelWorkers;
import static dev.pool4j.Testing.range;
import static dev.pool4j.Testing.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A task that throws fails its call with a {@link TaskFailedException} (cause: its exception,
 * index: its input's position): {@code map} cancels the rest, {@code imap} first yields every
 * earlier result. An input that throws fails the call the same way. The pool stays usable.
 */
class FailureTest {

  @EveryBackendAndTheSeam
  void mapThrowsTheTasksOwnExceptionWithTheIndexOfItsInput(PoolFactory backend) {
    IllegalStateException boom = new IllegalStateException("boom at 7");
    try (Pool pool = backend.create(2)) {
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        if (x == 7) {
                          throw boom;
                        }
                        return x;
                      },
                      range(0, 20)))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(7);
                if (backend.sharesMemory()) {
                  assertThat(e.getCause()).isSameAs(boom);
                } else {
                  // from another JVM: a copy, with the class and message of the original
                  assertThat(e.getCause())
                      .isExactlyInstanceOf(IllegalStateException.class)
                      .hasMessage("boom at 7");
                }
              });
    }
  }

  @EveryBackendAndTheSeam
  void aCheckedExceptionKeepsItsClassAndMessage(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        if (x == 3) {
                          throw new IOException("disk full at " + x);
                        }
                        return x;
                      },
                      range(0, 5),
                      1))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(3);
                assertThat(e.getCause())
                    .isExactlyInstanceOf(IOException.class)
                    .hasMessage("disk full at 3");
                assertThat(e).hasMessageContaining("3").hasMessageContaining("disk full at 3");
              });
    }
  }

  @EveryBackendAndTheSeam
  void mapCancelsTheRestOfTheCallAfterAFailure(PoolFactory backend) {
    // two workers, chunks of three: input 0 fails at once; input 3, first of the only other chunk
    // that can be running, waits until map has thrown. Nothing else may run: not 1 and 2, which
    // share the failing chunk, not 4 and 5 after input 3, and no chunk read after the failure.
    Marks ran = new Marks();
    Gate mapThrew = new Gate();
    Pool pool = backend.create(2);
    try {
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        ran.add(x);
                        if (x == 0) {
                          throw new IllegalStateException("first input fails");
                        }
                        if (x == 3) {
                          mapThrew.pass();
                        }
                        return x;
                      },
                      range(0, 60),
                      3))
          .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.index()).isZero());
    } finally {
      mapThrew.open();
      closeAndJoin(pool);
    }
    if (backend.sharesMemory()) {
      assertThat(ran.ints()).contains(0).isSubsetOf(0, 3);
    } else {
      // a worker JVM or a member finishes the chunk it has (3, 4, 5), as the README says; no
      // chunk is sent after the failure
      assertThat(ran.ints()).contains(0).isSubsetOf(0, 3, 4, 5);
    }
  }

  @EveryBackendAndTheSeam
  void imapYieldsEveryEarlierResultThenThrowsAtTheFailingPosition(PoolFactory backend)
      throws Exception {
    for (int chunksize : new int[] {1, 2, 5}) {
      try (Pool pool = backend.create(3);
          Results<Integer> results =
              pool.imap(
                  x -> {
                    if (x == 6) {
                      throw new IllegalArgumentException("six");
                    }
                    return x * 2;
                  },
                  range(0, 50),
                  chunksize)) {
        for (int i = 0; i < 6; i++) {
          assertThat(take(results)).as("result %d, chunksize %d", i, chunksize).isEqualTo(2 * i);
        }
        assertThatThrownBy(results::next)
            .isInstanceOfSatisfying(
                TaskFailedException.class,
                e -> {
                  assertThat(e.index()).isEqualTo(6);
                  assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
                  assertThat(e.getCause()).hasMessage("six");
                });
        assertThat(results.hasNext()).isFalse();
      }
    }
  }

  /**
   * Task 3 fails only once task 7 has failed. On worker processes and a cluster, chunks are sent to
   * a worker ahead of time, so 7 may be queued behind 3 on the same worker and not run before 3
   * ends: there 3 waits at most 5 s for 7's failure (under load, 7 is sometimes queued behind it),
   * and the earliest failure must win either way. In this JVM no chunk waits behind another, and 3
   * waits for 7 without a bound.
   */
  @EveryBackendAndTheSeam
  void imapReportsTheEarliestFailureEvenWhenALaterOneHappenedFirst(PoolFactory backend)
      throws Exception {
    Gate laterFailed = new Gate();
    boolean inOrder = backend.sharesMemory();
    try (Pool pool = backend.create(2);
        Results<Integer> results =
            pool.imap(
                x -> {
                  if (x == 3) {
                    if (inOrder) {
                      laterFailed.pass();
                    } else {
                      laterFailed.await(5, TimeUnit.SECONDS);
                    }
                    throw new IllegalStateException("at 3");
                  }
                  if (x == 7) {
                    laterFailed.open();
                    throw new IllegalStateException("at 7");
                  }
                  return x;
                },
                range(0, 20),
                1)) {
      assertThat(take(results)).isZero();
      assertThat(take(results)).isEqualTo(1);
      assertThat(take(results)).isEqualTo(2);
      assertThatThrownBy(results::next)
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(3);
                assertThat(e.getCause()).hasMessage("at 3");
              });
    } finally {
      laterFailed.open();
    }
  }

  @EveryBackendAndTheSeam
  void imapUnorderedThrowsAsSoonAsAFailureIsSeen(PoolFactory backend) {
    Gate first = new Gate();
    try (Pool pool = backend.create(2);
        Results<Integer> results =
            pool.imapUnordered(
                x -> {
                  if (x == 0) {
                    first.pass();
                  }
                  if (x == 1) {
                    throw new IllegalStateException("one");
                  }
                  return x;
                },
                range(0, 10),
                1)) {
      // input 0 is still running: the failure of input 1 must not wait for it
      assertThatThrownBy(() -> take(results))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(1);
                assertThat(e.getCause()).hasMessage("one");
              });
      assertThat(first.isOpen()).isFalse();
      assertThat(results.hasNext()).isFalse();
    } finally {
      first.open();
    }
  }

  @EveryBackendAndTheSeam
  void thePoolStaysUsableWithAllItsWorkersAfterFailures(PoolFactory backend) {
    try (Pool pool = backend.create(3)) {
      for (int round = 0; round < 3; round++) {
        assertThatThrownBy(() -> pool.map(x -> 10 / (x - 5), range(0, 10)))
            .isInstanceOf(TaskFailedException.class);
        assertThatThrownBy(() -> pool.imap(x -> 10 / (x - 5), range(0, 10), 1).toList())
            .isInstanceOf(TaskFailedException.class);
        assertThatThrownBy(() -> pool.apply(x -> 10 / x, 0))
            .isInstanceOfSatisfying(
                TaskFailedException.class,
                e -> {
                  assertThat(e.index()).isZero();
                  assertThat(e.getCause()).isInstanceOf(ArithmeticException.class);
                });
      }
      assertThat(pool.map(x -> x + 1, range(0, 100))).isEqualTo(range(1, 101));
      assertThat(parallelWorkers(pool, 3)).hasSize(3);
    }
  }

  /** An input whose iterator throws {@code failure} when asked for the element at {@code at}. */
  private static Iterator<Integer> breakingAt(int at, RuntimeException failure) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Integer next() {
        if (next == at) {
          throw failure;
        }
        return next++;
      }
    };
  }

  @EveryBackendAndTheSeam
  void anInputThatThrowsFailsMapAtItsPositionWithItsException(PoolFactory backend) {
    IllegalStateException broken = new IllegalStateException("the input broke");
    try (Pool pool = backend.create(2)) {
      assertThatThrownBy(() -> pool.map(x -> x, breakingAt(5, broken)))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(5);
                assertThat(e.getCause()).isSameAs(broken);
              });
      assertThatThrownBy(() -> pool.map(x -> x, breakingAt(0, broken), 3))
          .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.index()).isZero());
      assertThat(pool.map(x -> x, range(0, 3))).containsExactly(0, 1, 2);
    }
  }

  @EveryBackendAndTheSeam
  void anInputThatThrowsFailsImapAfterEveryEarlierResult(PoolFactory backend) throws Exception {
    IllegalStateException broken = new IllegalStateException("the input broke");
    try (Pool pool = backend.create(2);
        Results<Integer> results = pool.imap(x -> x * 3, breakingAt(5, broken), 2)) {
      for (int i = 0; i < 5; i++) {
        assertThat(take(results)).isEqualTo(3 * i);
      }
      assertThatThrownBy(results::next)
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(5);
                assertThat(e.getCause()).isSameAs(broken);
              });
    }
  }

  @EveryBackendAndTheSeam
  void aStreamThatThrowsFailsTheCallAtItsPosition(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      Stream<Integer> failing =
          Stream.iterate(0, i -> i + 1)
              .map(
                  i -> {
                    if (i == 4) {
                      throw new UnsupportedOperationException("no 4");
                    }
                    return i;
                  });
      assertThatThrownBy(() -> pool.map(x -> x, failing))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(4);
                assertThat(e.getCause()).isInstanceOf(UnsupportedOperationException.class);
              });
    }
  }

  @EveryBackendAndTheSeam
  void theExceptionOfEachFailureNamesItsPositionInTheMessage(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      List<Long> indexes =
          Stream.of(0, 13, 99)
              .map(
                  bad -> {
                    try {
                      pool.map(
                          x -> {
                            if (x.equals(bad)) {
                              throw new IllegalStateException("bad " + x);
                            }
                            return x;
                          },
                          range(0, 100));
                      throw new AssertionError("no failure for " + bad);
                    } catch (TaskFailedException e) {
                      assertThat(e.getMessage()).contains(String.valueOf(bad));
                      return e.index();
                    }
                  })
              .collect(Collectors.toList());
      assertThat(indexes).containsExactly(0L, 13L, 99L);
    }
  }
}
