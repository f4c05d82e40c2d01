package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool4j.Pool;
import dev.pool4j.TaskFailedException;
import dev.pool4j.WorkerDiedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker process that dies or hangs never hangs the pool: its chunk runs again or fails. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerCrashTest extends ProcessPoolTest {

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  /** Writes this worker's pid to {@code marker} the first time, then blocks; else returns x. */
  static int blockOnce(int x, String marker) throws Exception {
    Path path = Path.of(marker);
    try {
      Files.writeString(
          path,
          Long.toString(ProcessHandle.current().pid()),
          java.nio.file.StandardOpenOption.CREATE_NEW);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return x;
    }
    Thread.sleep(120_000);
    return x;
  }

  /** Runs a blocking call on a thread of its own. */
  static <V> java.util.concurrent.CompletableFuture<V> async(
      java.util.concurrent.Callable<V> call) {
    var future = new java.util.concurrent.CompletableFuture<V>();
    Thread t =
        new Thread(
            () -> {
              try {
                future.complete(call.call());
              } catch (Throwable e) {
                future.completeExceptionally(e);
              }
            });
    t.setDaemon(true);
    t.start();
    return future;
  }

  private static long awaitPid(Path marker) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> Files.exists(marker) && !Files.readString(marker).isEmpty());
    try {
      return Long.parseLong(Files.readString(marker));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aWorkerKilledWhileRunningIsReplacedAndItsChunkRunsAgain() throws Exception {
    pool = Pool.builder().processes().workers(2).build();
    Path marker = dir.resolve("pid");
    String m = marker.toString();
    var future = pool.mapAsync(x -> x == 3 ? blockOnce(x, m) : x * 2, range(20));
    long pid = awaitPid(marker);
    assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
    List<Integer> results = future.get(30, TimeUnit.SECONDS);
    assertThat(results)
        .isEqualTo(range(20).stream().map(x -> x == 3 ? 3 : x * 2).collect(Collectors.toList()));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
  }

  @Test
  void withoutRetriesAKilledWorkerFailsTheCallWithItsExitCode() {
    pool = Pool.builder().processes().workers(2).retries(0).build();
    Path marker = dir.resolve("pid");
    String m = marker.toString();
    var future = async(() -> pool.map(x -> x == 3 ? blockOnce(x, m) : x, range(10), 1));
    long pid = awaitPid(marker);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TaskFailedException.class)
        .satisfies(
            e -> {
              TaskFailedException failed = (TaskFailedException) e.getCause();
              assertThat(failed.index()).isEqualTo(3);
              assertThat(failed.getCause())
                  .isInstanceOf(WorkerDiedException.class)
                  .hasMessageContaining("pid " + pid)
                  .hasMessageContaining("exit code 137");
              assertThat(((WorkerDiedException) failed.getCause()).exitCode()).isEqualTo(137);
            });
    assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
  }

  @Test
  void systemExitInATaskFailsItsIndexWithTheExitCodeAndLastStderrLines() {
    pool = Pool.builder().processes().workers(2).build();
    assertThatThrownBy(
            () ->
                pool.map(
                    x -> {
                      if (x == 57) {
                        System.err.println("about to exit from " + x);
                        System.exit(3);
                      }
                      return x;
                    },
                    range(200)))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(57);
              assertThat(e.getCause())
                  .isInstanceOf(WorkerDiedException.class)
                  .hasMessageContaining("exit code 3")
                  .hasMessageContaining("about to exit from 57");
            });
    assertThat(pool.map(x -> x * 2, range(100))).hasSize(100);
  }

  /**
   * Chunks of one tiny task, queued many deep to the one worker: it holds back results while it
   * runs the next chunk, so a death (a halt, which sends nothing held back) leaves several chunks
   * queued whose results never came. Each of them runs again and no result is lost or doubled, no
   * task runs more often than the retries allow (1 + 1 here: each run leaves a byte in a file of
   * its index), and a task that exits every time is still pinned on its own index once the retries
   * are used.
   */
  @Test
  void aWorkerThatDiesWithResultsHeldBackRunsTheQueuedChunksAgain() throws Exception {
    pool = Pool.builder().processes().workers(1).build();
    String once = dir.resolve("exited").toString();
    String runs = dir.toString();
    List<Integer> results = new java.util.ArrayList<>();
    for (Integer r :
        pool.imap(
            x -> {
              Files.write(
                  Path.of(runs, "run-" + x),
                  new byte[1],
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.APPEND);
              if (x == 1500 && !Files.exists(Path.of(once))) {
                Files.createFile(Path.of(once));
                Runtime.getRuntime().halt(3);
              }
              return x + 1;
            },
            range(3000),
            1)) {
      results.add(r);
    }
    assertThat(results)
        .isEqualTo(range(3000).stream().map(x -> x + 1).collect(Collectors.toList()));
    for (int x = 0; x < 3000; x++) {
      assertThat(Files.size(dir.resolve("run-" + x))).as("runs of task %d", x).isBetween(1L, 2L);
    }
    assertThatThrownBy(
            () -> {
              for (Integer r :
                  pool.imap(
                      x -> {
                        if (x == 1500) {
                          System.exit(3);
                        }
                        return x;
                      },
                      range(3000),
                      1)) {
                assertThat(r).isLessThan(1500);
              }
            })
        .isInstanceOfSatisfying(TaskFailedException.class, e -> exitedWith3At1500(e));
  }

  /**
   * Without retries a worker answers every chunk at once: a death is pinned on the chunk that ran,
   * and the tiny chunks before it, queued many deep on the same worker (the only one), all deliver
   * their results. The task halts its JVM, which gives nothing held back a chance to go out.
   */
  @Test
  void withoutRetriesOnlyTheChunkWhoseTaskKilledItsWorkerFails() {
    pool = Pool.builder().processes().workers(1).retries(0).build();
    List<Integer> seen = new java.util.ArrayList<>();
    assertThatThrownBy(
            () -> {
              for (Integer r :
                  pool.imap(
                      x -> {
                        if (x == 1500) {
                          Runtime.getRuntime().halt(3);
                        }
                        return x;
                      },
                      range(3000),
                      1)) {
                seen.add(r);
              }
            })
        .isInstanceOfSatisfying(TaskFailedException.class, e -> exitedWith3At1500(e));
    assertThat(seen).isEqualTo(range(1500));
    assertThat(Internals.backend(pool).chunksSentHolding()).isZero();
  }

  /**
   * A worker holds back the results of a tiny chunk while it runs the next one, but not for long: a
   * task that waits until the consumer has seen the result before it still gets there (it gives up
   * after 20 s and returns -1, which fails the test instead of hanging it).
   */
  @Test
  void resultsHeldBackReachTheConsumerWhileTheNextTaskWaitsForThem() throws Exception {
    pool = Pool.builder().processes().workers(1).build();
    Path seen = dir.resolve("seen-1499");
    String s = seen.toString();
    List<Integer> results = new java.util.ArrayList<>();
    for (Integer r :
        pool.imap(
            x -> {
              if (x == 1500) {
                long end = System.nanoTime() + 20_000_000_000L;
                while (!Files.exists(Path.of(s))) {
                  if (System.nanoTime() > end) {
                    return -1;
                  }
                  Thread.sleep(1);
                }
              }
              return x;
            },
            range(3000),
            1)) {
      if (r == 1499) {
        Files.createFile(seen);
      }
      results.add(r);
    }
    assertThat(results).isEqualTo(range(3000));
    // the premise: the tiny chunks were sent so that their results could be held back
    assertThat(Internals.backend(pool).chunksSentHolding()).isGreaterThan(1000);
  }

  /**
   * Results are held back for short chunks only, queued many deep: chunks of 2 ms, queued at most
   * one ahead, are answered at once (a held result there takes the room of the next chunk, and the
   * process idles while this JVM sends it).
   */
  @Test
  void longerChunksAreAnsweredAtOnce() {
    pool = Pool.builder().processes().workers(2).build();
    List<Integer> results =
        pool.map(
            x -> {
              Thread.sleep(2);
              return x;
            },
            range(60),
            1);
    assertThat(results).isEqualTo(range(60));
    assertThat(Internals.backend(pool).chunksSentHolding()).isZero();
  }

  private static void exitedWith3At1500(TaskFailedException e) {
    assertThat(e.index()).isEqualTo(1500);
    assertThat(e.getCause())
        .isInstanceOf(WorkerDiedException.class)
        .hasMessageContaining("exit code 3");
  }

  @Test
  void runtimeHaltInATaskFailsItsIndex() {
    pool = Pool.builder().processes().workers(2).build();
    assertThatThrownBy(
            () ->
                pool.map(
                    x -> {
                      if (x == 5) {
                        Runtime.getRuntime().halt(42);
                      }
                      return x;
                    },
                    range(10)))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(5);
              assertThat(((WorkerDiedException) e.getCause()).exitCode()).isEqualTo(42);
            });
    assertThat(pool.map(x -> x * 2, range(10))).hasSize(10);
  }

  @Test
  void aTaskThatRunsOutOfMemoryFailsWithoutHarmingThePool() {
    pool = Pool.builder().processes().workers(1).retries(0).jvmOptions("-Xmx32m").build();
    assertThatThrownBy(
            () ->
                pool.apply(
                    x -> {
                      List<long[]> hog = new java.util.ArrayList<>();
                      for (; ; ) {
                        hog.add(new long[1 << 20]);
                      }
                    },
                    0))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e ->
                assertThat(e.getCause())
                    .isInstanceOf(WorkerDiedException.class)
                    .hasMessageContaining("exit code 3")
                    .hasMessageContaining("OutOfMemoryError"));
    int two = pool.apply(x -> x + 1, 1);
    assertThat(two).isEqualTo(2);
  }

  @Test
  void anEndlessTaskIsKilledSoonAfterTheTimeout() {
    pool = Pool.builder().processes().workers(2).taskTimeout(Duration.ofMillis(500)).build();
    pool.map(x -> x, range(4)); // warm: both workers ready
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                pool.map(
                    x -> {
                      if (x == 2) {
                        for (; ; ) {
                          Thread.onSpinWait();
                        }
                      }
                      return x;
                    },
                    range(4),
                    1))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(2);
              assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
            });
    // ten timeouts: generous for a loaded machine, far from never (the task never ends) and from
    // a deadline counted in calls or chunks rather than from the item's start
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(pool.map(x -> x * 2, range(10), 1)).hasSize(10);
  }
}
