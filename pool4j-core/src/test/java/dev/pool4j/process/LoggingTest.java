package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool4j.Pool;
import dev.pool4j.TaskFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the pool logs through {@code System.Logger}, heard through {@code java.util.logging} (the
 * JDK's default back end): a worker's death is a warning naming its pid and what the pool does
 * next, the retry it causes is INFO, a task timeout is a warning on threads and on processes, a
 * thread worker whose initializer failed is a warning and its replacement DEBUG, and routine starts
 * are DEBUG.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoggingTest extends ProcessPoolTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  static long awaitPid(Path marker) {
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> Files.exists(marker) && !Files.readString(marker).isEmpty());
    try {
      return Long.parseLong(Files.readString(marker));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Waits for exactly one record that contains every part, and returns it. */
  private static LogCapture.Line one(LogCapture log, String... parts) {
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(
            () -> assertThat(log.containing(parts)).as(log.all().toString()).isNotEmpty());
    return log.containing(parts).get(0);
  }

  @Test
  void aKilledWorkerProcessIsAWarningWithItsPidAndTheRetryItCausesIsInfo() throws Exception {
    try (LogCapture log = LogCapture.pool4j()) {
      pool = Pool.builder().processes().workers(2).build();
      String marker = dir.resolve("pid").toString();
      var future =
          pool.mapAsync(x -> x == 3 ? WorkerCrashTest.blockOnce(x, marker) : x * 2, range(20));
      long pid = awaitPid(Path.of(marker));
      assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
      assertThat(future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(range(20).stream().map(x -> x == 3 ? 3 : x * 2).collect(Collectors.toList()));

      LogCapture.Line death = one(log, "(pid " + pid + ")", "died while running");
      assertThat(death.level()).isEqualTo(Level.WARNING);
      assertThat(death.logger()).isEqualTo("dev.pool4j.process");
      assertThat(death.message())
          .contains("killed by signal 9, SIGKILL")
          .contains("a fresh worker process replaces it");

      LogCapture.Line retry = one(log, "run again on another worker");
      assertThat(retry.level()).isEqualTo(Level.INFO);
      assertThat(retry.logger()).isEqualTo("dev.pool4j");
      assertThat(retry.message()).contains("retry 1 of at most 1").contains("pid " + pid);

      LogCapture.Line started = one(log, "(pid " + pid + ") started in");
      assertThat(started.level()).isEqualTo(Level.FINE); // System.Logger's DEBUG
      assertThat(started.logger()).isEqualTo("dev.pool4j.process");
      // the replacement: the same worker's second process
      assertThat(one(log, ".2 (pid ", "in place of the one before").level()).isEqualTo(Level.FINE);
    }
  }

  @Test
  void aTaskTimeoutOnAWorkerProcessIsAWarningThatSaysTheProcessWasKilled() {
    try (LogCapture log = LogCapture.pool4j()) {
      pool = Pool.builder().processes().workers(1).taskTimeout(Duration.ofSeconds(2)).build();
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        if (x == 1) {
                          Thread.sleep(120_000);
                        }
                        return x;
                      },
                      List.of(0, 1, 2),
                      1))
          .isInstanceOf(TaskFailedException.class)
          .hasCauseInstanceOf(TimeoutException.class);
      LogCapture.Line line = one(log, "the task at index 1", "ran past the task timeout of PT2S");
      assertThat(line.level()).isEqualTo(Level.WARNING);
      assertThat(line.logger()).isEqualTo("dev.pool4j.process");
      assertThat(line.message()).contains("worker-1 (pid ").contains("was killed (SIGKILL)");
    }
  }

  @Test
  void aTaskTimeoutOnAThreadIsAWarningThatSaysTheWorkerIsReplaced() {
    try (LogCapture log = LogCapture.pool4j()) {
      pool = Pool.builder().threads().workers(1).taskTimeout(Duration.ofMillis(300)).build();
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        if (x == 1) {
                          Thread.sleep(120_000);
                        }
                        return x;
                      },
                      List.of(0, 1, 2),
                      1))
          .isInstanceOf(TaskFailedException.class)
          .hasCauseInstanceOf(TimeoutException.class);
      LogCapture.Line line = one(log, "the task at index 1", "ran past the task timeout");
      assertThat(line.level()).isEqualTo(Level.WARNING);
      assertThat(line.logger()).isEqualTo("dev.pool4j");
      assertThat(line.message())
          .contains("on worker-1")
          .contains("-worker-1 was interrupted")
          .contains("a fresh worker replaces worker-1");
      // the pool goes on with the replacement
      assertThat(pool.map(x -> x + 1, List.of(1, 2))).containsExactly(2, 3);
      assertThat(one(log, "worker-2 started on thread").level()).isEqualTo(Level.FINE);
    }
  }

  @Test
  void aThreadWorkerWhoseInitializerFailedIsAWarningAndItsReplacementIsDebug() {
    AtomicBoolean first = new AtomicBoolean(true);
    try (LogCapture log = LogCapture.pool4j()) {
      pool =
          Pool.builder()
              .threads()
              .workers(1)
              .initializer(
                  () -> {
                    if (first.getAndSet(false)) {
                      throw new IllegalStateException("no model file");
                    }
                  })
              .build();
      assertThat(pool.map(x -> x * 10, List.of(1, 2, 3))).containsExactly(10, 20, 30);

      LogCapture.Line failed = one(log, "the initializer failed on worker-1");
      assertThat(failed.level()).isEqualTo(Level.WARNING);
      assertThat(failed.message()).contains("no model file").contains("a fresh worker replaces it");
      LogCapture.Line replaced = one(log, "worker-1 left the pool and worker-2 replaces it");
      assertThat(replaced.level()).isEqualTo(Level.FINE);
      LogCapture.Line retry = one(log, "run again on another worker after worker-1 was lost");
      assertThat(retry.level()).isEqualTo(Level.INFO);
      // the failed worker never counted as started
      assertThat(log.containing("worker-1 started")).isEmpty();
      assertThat(one(log, "worker-2 started on thread").logger()).isEqualTo("dev.pool4j");
    }
  }
}
