package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
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

  @AfterEach
  void terminatePoolAndCheckForOrphans() {
    if (pool != null) {
      pool.terminate();
      pool.join();
    }
    assertThat(Children.workers()).isEmpty();
  }
}
