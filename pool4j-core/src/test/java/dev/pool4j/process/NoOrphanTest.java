package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import dev.pool4j.internal.process.ProcessBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No worker process outlives its pool: close and join, terminate, or a parent killed by kill -9.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NoOrphanTest {

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  private static List<ProcessHandle> handles(List<Long> pids) {
    List<ProcessHandle> handles = new ArrayList<>();
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(handles::add);
    }
    return handles;
  }

  /**
   * Whether a process has exited. An orphan that exited stays a zombie until the reaper (pid 1)
   * collects it, and {@link ProcessHandle#isAlive()} counts zombies as alive; some container inits
   * reap only every second or so.
   */
  static boolean exited(ProcessHandle p) {
    if (!p.isAlive()) {
      return true;
    }
    try {
      String stat =
          java.nio.file.Files.readString(
              java.nio.file.Path.of("/proc", Long.toString(p.pid()), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException e) {
      return !p.isAlive();
    }
  }

  @Test
  void closeLetsCallsFinishThenJoinReturnsWhenEveryWorkerHasExited() {
    Pool pool = Pool.builder().processes().workers(2).build();
    Results<Integer> results = pool.imap(x -> x * 2, range(500), 1);
    List<ProcessHandle> workers = handles(Internals.backend(pool).pids());
    pool.close();
    pool.join();
    assertThat(results.toList())
        .isEqualTo(range(500).stream().map(x -> x * 2).collect(Collectors.toList()));
    assertThat(workers).noneMatch(ProcessHandle::isAlive);
    assertThat(Children.workers()).isEmpty();
  }

  @Test
  void terminateKillsRunningWorkersAndJoinReturnsPromptly() {
    Pool pool = Pool.builder().processes().workers(2).build();
    Results<Integer> results =
        pool.imap(
            x -> {
              Thread.sleep(600_000);
              return x;
            },
            range(4),
            1);
    ProcessBackend backend = Internals.backend(pool);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> backend.readyNanos().size() == 2);
    List<ProcessHandle> workers = handles(backend.pids());
    long start = System.nanoTime();
    pool.terminate();
    pool.join();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThatThrownBy(results::next).isInstanceOf(CancellationException.class);
    assertThat(workers).hasSize(2).noneMatch(ProcessHandle::isAlive);
    assertThat(Children.workers()).isEmpty();
  }

  @Test
  void maxTasksPerWorkerRecyclesTheWorkerProcess() {
    Pool pool = Pool.builder().processes().workers(1).maxTasksPerWorker(3).build();
    List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), range(9), 1);
    pool.close();
    pool.join();
    assertThat(pids.stream().distinct().count()).isEqualTo(3);
    // each replacement is a worker of its own, ready once (ReadyMomentsTest bounds what is kept);
    // the third one's replacement may have been ready before close() too
    ProcessBackend backend = Internals.backend(pool);
    assertThat(backend.readyCount()).isBetween(3L, 4L);
    assertThat(backend.readyNanos()).hasSize((int) backend.readyCount());
    assertThat(pids.subList(0, 3)).containsOnly(pids.get(0));
    assertThat(pids.subList(3, 6)).containsOnly(pids.get(3));
    assertThat(Children.workers()).isEmpty();
  }

  @Test
  void workersExitWithinTwoSecondsOfTheirParentsKill9(@TempDir Path tmp) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    // the parent's java.io.tmpdir: where the sockets of its starting workers are
    Process parent =
        new ProcessBuilder(
                java,
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                ParentMain.class.getName())
            .redirectErrorStream(true)
            .start();
    List<Long> pids = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null && !line.equals("ready"); ) {
        if (line.startsWith("pid ")) {
          pids.add(Long.parseLong(line.substring(4)));
        }
      }
      List<ProcessHandle> workers = handles(pids);
      assertThat(workers).hasSize(2).allMatch(ProcessHandle::isAlive);

      parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
      parent.waitFor();
      long killed = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> workers.stream().allMatch(NoOrphanTest::exited));
      System.out.printf(
          "workers gone %.0f ms after their parent's kill -9%n",
          (System.nanoTime() - killed) / 1e6);
      // a worker that had not connected yet deleted the socket its dead parent left behind
      assertThat(tmp).isEmptyDirectory();
    } finally {
      parent.destroyForcibly();
      for (ProcessHandle h : handles(pids)) {
        h.destroyForcibly();
      }
    }
  }
}
