package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of one process pool at a time: the test builds it into {@link #pool}; after each test it
 * is terminated and joined, and no worker process of this JVM may remain.
 */
abstract class ProcessPoolTest {

  /** A fresh directory for each test. */
  @TempDir Path dir;

  /** The pool under test, or null. */
  Pool pool;

  /**
   * Worker processes of pools that earlier test classes closed without joining ({@code
   * try-with-resources}: {@code close()} returns at once) may still be on their way out; they must
   * be gone within a bound, and are not this test's.
   */
  @BeforeEach
  void earlierPoolsWorkersHaveExited() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(Children.workers())
                    .as("worker processes of pools closed before this test")
                    .isEmpty());
  }

  @AfterEach
  void terminatePoolAndCheckForOrphans() {
    if (pool != null) {
      pool.terminate();
      pool.join();
    }
    assertThat(Children.workers()).isEmpty();
  }
}
