package dev.pool4j.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool4j.WorkerDiedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A starting worker is waited for on events, not by polling: the thread that starts it wakes only
 * when something happens (the worker's exit, a terminate, which kills it, a connection), so a
 * worker that exits before it connects is seen by the exit itself.
 *
 * <p>The worker JVM starts paused ({@code -XX:+PauseAtStartup}), before it connects: it neither
 * connects nor exits until the test acts. The test counts how often the starting thread's wait on
 * the listener ended ({@link Listener#wakeUps()}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerStartWaitTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /**
   * How long the test watches a waiting starter for a wake-up without a reason: the poll this
   * replaced woke it every 50 ms, ten times in this window.
   */
  private static final Duration QUIET = Duration.ofMillis(500);

  @TempDir Path dir;

  private ProcessBackend backend;
  private Thread starter;

  @AfterEach
  void killWhatIsLeft() throws InterruptedException {
    if (backend != null) {
      backend.terminate(null);
    }
    if (starter != null) {
      starter.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(starter.isAlive()).as("the starting thread ended").isFalse();
    }
    if (backend != null) {
      assertThat(backend.pids()).isEmpty();
    }
  }

  /** Starts a worker whose JVM pauses before it connects; what the start ended with is returned. */
  private CompletableFuture<Object> startPaused(Listener listener) {
    Path pause = dir.resolve("pause");
    backend =
        new ProcessBackend(
            new ProcessBackend.Options(
                List.of(
                    "-XX:+UnlockDiagnosticVMOptions",
                    "-XX:+PauseAtStartup",
                    "-XX:PauseAtStartupFile=" + pause),
                Map.of(),
                null,
                null,
                null,
                null));
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    starter =
        new Thread(
            () -> {
              try {
                Child child = Child.start(backend, "worker-wait", listener);
                child.kill();
                outcome.complete(child);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            },
            "worker-wait-starter");
    starter.start();
    // the worker JVM is up and paused, and the starter waits on the listener for it
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> Files.exists(pause) && backend.pids().size() == 1 && waitsInAccept(starter));
    return outcome;
  }

  private static boolean waitsInAccept(Thread thread) {
    return Arrays.stream(thread.getStackTrace())
        .anyMatch(
            f ->
                f.getClassName().equals(Listener.class.getName())
                    && f.getMethodName().equals("accept"));
  }

  /** Asserts that the starter does not wake for {@link #QUIET}: nothing happened. */
  private static void assertNoWakeUpWithoutAReason(Listener listener) {
    int before = listener.wakeUps();
    await()
        .alias("the starting thread woke with nothing to look at")
        .during(QUIET)
        .atMost(QUIET.multipliedBy(10))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> listener.wakeUps() == before);
  }

  @Test
  void aWorkerThatExitsBeforeItConnectsEndsTheWaitByItsExit() throws Exception {
    Listener listener = Listener.open(true);
    CompletableFuture<Object> outcome = startPaused(listener);
    assertNoWakeUpWithoutAReason(listener);
    int before = listener.wakeUps();
    long pid = backend.pids().get(0);

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    Object ended = outcome.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(ended)
        .isInstanceOf(WorkerDiedException.class)
        .asString()
        .contains("exited while starting");
    // one wake-up, the exit's; the start-up deadline is a minute away
    assertThat(listener.wakeUps() - before).isEqualTo(1);
    assertThat(listener.directory()).as("the socket's directory is gone").isNull();
  }

  @Test
  void aTerminateWhileAWorkerStartsEndsTheWaitByTheWorkersExit() throws Exception {
    Listener listener = Listener.open(true);
    CompletableFuture<Object> outcome = startPaused(listener);
    assertNoWakeUpWithoutAReason(listener);
    int before = listener.wakeUps();

    backend.terminate(null);

    Object ended = outcome.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(ended).isInstanceOf(Child.Aborted.class);
    assertThat(listener.wakeUps() - before).isEqualTo(1);
    assertThat(backend.pids()).isEmpty();
  }
}
