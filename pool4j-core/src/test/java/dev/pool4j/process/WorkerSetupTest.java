package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool4j.Pool;
import dev.pool4j.TaskFailedException;
import dev.pool4j.WorkerDiedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a worker process starts with: JVM options, environment, initializer; and its output. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerSetupTest {

  /** Per-worker state, set by the initializer in each worker JVM. */
  static final class State {
    static String greeting;
  }

  @Test
  void theInitializerRunsOnceInEachWorkerBeforeItsTasksAndSetsStateTheyRead() {
    Pool pool =
        Pool.builder()
            .processes()
            .workers(2)
            .initializer(() -> State.greeting = "hello from " + ProcessHandle.current().pid())
            .build();
    try {
      List<String> got = pool.map(x -> State.greeting + " #" + x, List.of(1, 2, 3, 4), 1);
      assertThat(got).allMatch(s -> s.startsWith("hello from "));
      assertThat(State.greeting).isNull(); // this JVM never ran it
    } finally {
      pool.close();
      pool.join();
    }
  }

  @Test
  void aFailingInitializerFailsTheCallWithItsReason() {
    Pool pool =
        Pool.builder()
            .processes()
            .workers(1)
            .initializer(
                () -> {
                  throw new IllegalStateException("no model here");
                })
            .build();
    try {
      assertThatThrownBy(() -> pool.map(x -> x, List.of(1)))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e ->
                  assertThat(e.getCause())
                      .isInstanceOf(WorkerDiedException.class)
                      .hasMessageContaining("initializer")
                      .hasMessageContaining("no model here"));
    } finally {
      pool.terminate();
      pool.join();
    }
    // every process whose initializer failed was killed, not left waiting for chunks
    assertThat(Children.workers()).isEmpty();
  }

  @Test
  void jvmOptionsAndEnvironmentReachTheWorker() {
    Pool pool =
        Pool.builder()
            .processes()
            .workers(1)
            .jvmOptions("-Dpool4j.test=yes", "-Xmx100m")
            .environment(Map.of("POOL4J_TEST_VAR", "42"))
            .build();
    try {
      String got =
          pool.apply(
              x -> System.getProperty("pool4j.test") + " " + System.getenv("POOL4J_TEST_VAR"), 0);
      assertThat(got).isEqualTo("yes 42");
    } finally {
      pool.close();
      pool.join();
    }
  }

  @Test
  void workerOutputLinesAreForwardedWithTheWorkersLabel() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Pool pool = Pool.builder().processes().workers(1).build();
    try {
      pool.apply(
          x -> {
            System.out.println("line one");
            System.out.println("line two");
            return x;
          },
          0);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> captured.toString(StandardCharsets.UTF_8).contains("[worker-1] line two"));
      assertThat(captured.toString(StandardCharsets.UTF_8)).contains("[worker-1] line one");
    } finally {
      pool.close();
      pool.join();
      System.setOut(original);
    }
  }

  @Test
  void processSettingsOnAThreadPoolAreRefused() {
    assertThatThrownBy(() -> Pool.builder().jvmOptions("-Xmx1g").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("processes()");
  }
}
