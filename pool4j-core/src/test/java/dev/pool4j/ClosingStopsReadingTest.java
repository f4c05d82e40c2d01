package dev.pool4j;

import static dev.pool4j.Testing.PATIENCE;
import static dev.pool4j.Testing.closeAndJoin;
import static dev.pool4j.Testing.settled;
import static dev.pool4j.Testing.take;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closing a call's results stops the reading of its input: a chunk being read when the results are
 * closed reads a few more items at most, not to its end, and no chunk is read after it. Before, a
 * chunk of adaptive size went on to its end: about 27,000 items of an endless input were read after
 * the close.
 */
class ClosingStopsReadingTest {

  /** What a chunk being read may still take after a cancel: it looks at the limit this often. */
  private static final long SLACK = 64;

  @EveryBackendAndTheSeam
  void closingTheResultsStopsAChunkThatIsBeingRead(PoolFactory backend) throws Exception {
    CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    AtomicLong read = new AtomicLong();
    Iterator<Integer> input =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Integer next() {
            long n = read.getAndIncrement();
            if (n == 50) {
              reached.countDown();
              try {
                resume.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return (int) n;
          }
        };
    Pool pool = backend.create(2);
    try {
      // one chunk of a million items: its reading is under way when the results are closed
      Results<Integer> results = pool.imap(x -> x, input, 1_000_000);
      assertThat(reached.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      results.close();
      resume.countDown();
      assertThat(settled(read::get)).as("inputs read").isLessThanOrEqualTo(51 + SLACK);
    } finally {
      resume.countDown();
      closeAndJoin(pool);
    }
  }

  @EveryBackendAndTheSeam
  void closingTheResultsOfAnEndlessInputStopsItsReading(PoolFactory backend) throws Exception {
    Naturals input = new Naturals();
    Pool pool = backend.create(2);
    try {
      Results<Integer> results = pool.imap(x -> x, input);
      // long enough for the adaptive chunks to grow to thousands of items
      for (int i = 0; i < 200_000; i++) {
        assertThat(take(results)).isEqualTo(i);
      }
      results.close();
      long atClose = input.read();
      assertThat(settled(input::read) - atClose)
          .as("inputs read after the results were closed")
          .isLessThanOrEqualTo(SLACK);
    } finally {
      closeAndJoin(pool);
    }
  }
}
