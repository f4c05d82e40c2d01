package dev.pool4j;

import static dev.pool4j.Testing.PATIENCE;
import static dev.pool4j.Testing.await;
import static dev.pool4j.Testing.closeAndJoin;
import static dev.pool4j.Testing.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A thread interrupted while it waits for a call (in {@code map}, {@code next}, {@code join}...)
 * gets a {@link CancellationException}, keeps its interrupt flag, and the call's remaining work is
 * cancelled.
 */
class InterruptTest {

  /** The ways a caller waits for a call; each is given a task held at a gate on input 0. */
  enum Wait {
    MAP {
      @Override
      Object on(Pool pool, Task<Integer, Integer> task) {
        return pool.map(task, range(0, 20));
      }
    },
    APPLY {
      @Override
      Object on(Pool pool, Task<Integer, Integer> task) {
        return pool.apply(task, 0);
      }
    },
    IMAP_NEXT {
      @Override
      Object on(Pool pool, Task<Integer, Integer> task) {
        return pool.imap(task, range(0, 20)).next();
      }
    },
    IMAP_HAS_NEXT {
      @Override
      Object on(Pool pool, Task<Integer, Integer> task) {
        return pool.imap(task, range(0, 20)).hasNext();
      }
    },
    IMAP_NEXT_WITH_TIMEOUT {
      @Override
      Object on(Pool pool, Task<Integer, Integer> task) throws Exception {
        return pool.imap(task, range(0, 20)).next(PATIENCE);
      }
    },
    IMAP_UNORDERED_NEXT {
      @Override
      Object on(Pool pool, Task<Integer, Integer> task) {
        return pool.imapUnordered(task, range(0, 20)).next();
      }
    },
    IMAP_TO_LIST {
      @Override
      Object on(Pool pool, Task<Integer, Integer> task) {
        return pool.imap(task, range(0, 20)).toList();
      }
    },
    IMAP_STREAM {
      @Override
      Object on(Pool pool, Task<Integer, Integer> task) {
        try (Stream<Integer> results = pool.imap(task, range(0, 20)).stream()) {
          return results.collect(Collectors.toList());
        }
      }
    },
    FOR_EACH {
      @Override
      Object on(Pool pool, Task<Integer, Integer> task) {
        int sum = 0;
        for (int result : pool.imap(task, range(0, 20))) {
          sum += result;
        }
        return sum;
      }
    };

    abstract Object on(Pool pool, Task<Integer, Integer> task) throws Exception;
  }

  static Stream<Arguments> backendsAndWaits() {
    return PoolFactory.all()
        .flatMap(backend -> Arrays.stream(Wait.values()).map(w -> Arguments.of(backend, w)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("backendsAndWaits")
  void anInterruptedCallerGetsCancellationKeepsItsFlagAndTheCallIsCancelled(
      PoolFactory backend, Wait wait) {
    Gate gate = new Gate();
    Marks ran = new Marks();
    Pool pool = backend.builder().workers(1).chunksize(1).build();
    try {
      Caller<Object> caller =
          Caller.start(
              () ->
                  wait.on(
                      pool,
                      x -> {
                        ran.add(x);
                        if (x == 0) {
                          gate.pass();
                        }
                        return x;
                      }));
      await().until(() -> ran.contains(0));
      caller.awaitBlocked().interrupt();

      assertThat(caller.failure())
          .isInstanceOf(CancellationException.class)
          .hasMessageContaining("interrupted");
      assertThat(caller.interruptedAtEnd()).as("the interrupt flag is kept").isTrue();

      gate.open();
      assertThat(pool.map(x -> x + 1, range(0, 5)))
          .as("the pool goes on")
          .containsExactly(1, 2, 3, 4, 5);
    } finally {
      gate.open();
      closeAndJoin(pool);
    }
    assertThat(ran.ints()).as("the inputs that ran").containsExactly(0);
  }

  @EveryBackendAndTheSeam
  void aCallerInterruptedInJoinGetsCancellationAndThePoolIsTerminated(PoolFactory backend)
      throws Exception {
    Gate never = new Gate();
    Gate running = new Gate();
    Gate interrupted = new Gate();
    Marks ranIn = new Marks();
    Pool pool = backend.create(1);
    try {
      pool.applyAsync(
          x -> {
            ranIn.add(ProcessHandle.current().pid());
            running.open();
            try {
              never.pass();
            } catch (InterruptedException e) {
              interrupted.open();
              throw e;
            }
            return x;
          },
          0);
      assertThat(running.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      pool.close();

      Caller<Void> joiner =
          Caller.start(
              () -> {
                pool.join();
                return null;
              });
      joiner.awaitBlocked().interrupt();

      assertThat(joiner.failure())
          .isInstanceOf(CancellationException.class)
          .hasMessageContaining("interrupted");
      assertThat(joiner.interruptedAtEnd()).as("the interrupt flag is kept").isTrue();
      Testing.assertStopped(backend, interrupted, ranIn);
      assertThatThrownBy(() -> pool.map(x -> x, range(0, 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("terminated");
    } finally {
      never.open();
    }
    Testing.closeAndJoin(pool);
  }
}
