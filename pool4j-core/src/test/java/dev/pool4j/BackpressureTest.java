package dev.pool4j;

import static dev.pool4j.Testing.assertStaysTrue;
import static dev.pool4j.Testing.await;
import static dev.pool4j.Testing.closeAndJoin;
import static dev.pool4j.Testing.settled;
import static dev.pool4j.Testing.take;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inputs are read lazily and at most {@code maxInFlight} chunks of a call are outstanding, counted
 * until their results are taken: a consumer that stops, or a slow result at the head of {@code
 * imap}, stops the reading, so an endless input never fills memory.
 */
class BackpressureTest {

  private static final int WINDOW = 4;
  private static final int CHUNK = 3;

  /**
   * More than a default window can ever hold ({@code max(16, 4 * workers)} chunks of adaptive
   * size), and far less than a call that ignores its window reads before memory runs out.
   */
  private static final long FAR_AHEAD = 1_000_000;

  @EveryBackendAndTheSeam
  void imapReadsAtMostTheWindowAheadOfItsConsumer(PoolFactory backend) throws Exception {
    Naturals input = new Naturals();
    try (Pool pool = backend.builder().workers(2).maxInFlight(WINDOW).build();
        Results<Integer> results = pool.imap(x -> x, input, CHUNK)) {
      for (int taken = 0; taken < 10; taken++) {
        assertThat(take(results)).isEqualTo(taken);
      }
      assertThat(settled(input::read))
          .as("inputs read after 10 results were taken")
          .isGreaterThan(10)
          .isLessThanOrEqualTo(10 + WINDOW * CHUNK);

      for (int taken = 10; taken < 50; taken++) {
        assertThat(take(results)).isEqualTo(taken);
      }
      assertThat(settled(input::read))
          .as("inputs read after 50 results were taken")
          .isGreaterThan(50)
          .isLessThanOrEqualTo(50 + WINDOW * CHUNK);
    }
  }

  @EveryBackendAndTheSeam
  void imapUnorderedReadsAtMostTheWindowAheadOfAConsumerThatStopped(PoolFactory backend)
      throws Exception {
    Naturals input = new Naturals();
    AtomicLong ran = new AtomicLong();
    try (Pool pool = backend.builder().workers(2).maxInFlight(WINDOW).build();
        Results<Integer> results =
            pool.imapUnordered(
                x -> {
                  ran.incrementAndGet();
                  return x;
                },
                input,
                CHUNK)) {
      // reading starts once a worker is ready (a worker JVM or a cluster client takes a while)
      Testing.await().until(() -> input.read() > 0);
      assertThat(settled(input::read))
          .as("inputs read before any result was taken")
          .isPositive()
          .isLessThanOrEqualTo(WINDOW * CHUNK);
      assertThat(settled(ran::get)).as("tasks run").isLessThanOrEqualTo(WINDOW * CHUNK);

      List<Integer> taken = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        taken.add(take(results));
      }
      assertThat(taken).doesNotHaveDuplicates();
      assertThat(settled(input::read)).isLessThanOrEqualTo(30 + WINDOW * CHUNK);
    }
  }

  @EveryBackendAndTheSeam
  void imapOverAnEndlessInputStoppedAfter100ResultsNeitherHangsNorGrowsMemory(PoolFactory backend)
      throws Exception {
    Naturals input = new Naturals();
    Pool pool = backend.builder().workers(2).maxInFlight(8).build();
    try (Results<Integer> results = pool.imap(x -> x * 2, input, 4)) {
      for (int i = 0; i < 100; i++) {
        assertThat(take(results)).isEqualTo(2 * i);
      }
      assertThat(settled(input::read)).isLessThanOrEqualTo(100 + 8 * 4);
    }
    // closing the results ended the call: had it not, join() would read the endless input for ever
    closeAndJoin(pool);
  }

  @EveryBackendAndTheSeam
  void withDefaultSettingsAnEndlessInputIsReadOnlyBoundedlyAhead(PoolFactory backend)
      throws Exception {
    Naturals input = new Naturals();
    Pool pool = backend.create(2);
    try (Results<Integer> results = pool.imap(x -> x, input)) {
      for (int i = 0; i < 100; i++) {
        assertThat(take(results)).isEqualTo(i);
      }
      assertThat(settled(input::read)).isBetween(101L, 100L + FAR_AHEAD);
      for (int i = 100; i < 20_000; i++) {
        assertThat(take(results)).isEqualTo(i);
      }
      // the chunks may have grown since, but the reading still stops where the window ends
      assertThat(settled(input::read)).isBetween(20_001L, 20_000L + FAR_AHEAD);
    }
    closeAndJoin(pool);
  }

  @EveryBackendAndTheSeam
  void aSlowResultAtTheHeadDoesNotLetReadsGrowWithoutBound(PoolFactory backend) throws Exception {
    Gate head = new Gate();
    Naturals input = new Naturals();
    try (Pool pool = backend.builder().workers(2).maxInFlight(WINDOW).build();
        Results<Integer> results =
            pool.imap(
                x -> {
                  if (x == 0) {
                    head.pass();
                  }
                  return x;
                },
                input,
                1)) {
      // the other worker reads and runs ahead of the stuck head, up to the window, no further
      await().until(() -> input.read() >= WINDOW);
      assertStaysTrue("at most the window is read", () -> input.read() <= WINDOW);

      head.open();
      for (int i = 0; i < 100; i++) {
        assertThat(take(results)).isEqualTo(i);
      }
    } finally {
      head.open();
    }
  }
}
