package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.Pool;
import dev.pool4j.TaskFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jdk.jfr.Configuration;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool's JDK Flight Recorder events, read back from a real recording: calls and chunks on
 * threads and on worker processes, workers started, a worker process killed ({@code kill -9}), and
 * task timeouts, each with the fields {@code jfr print} and Mission Control show.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FlightRecorderTest extends ProcessPoolTest {

  private static final List<String> EVENTS =
      List.of(
          "dev.pool4j.Call",
          "dev.pool4j.Chunk",
          "dev.pool4j.WorkerStarted",
          "dev.pool4j.WorkerDied",
          "dev.pool4j.TaskTimedOut");

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  private static int sleepAt(int x, int at) throws InterruptedException {
    if (x == at) {
      Thread.sleep(120_000);
    }
    return x;
  }

  /** Runs {@code work} while recording the pool's events; returns them. */
  private List<RecordedEvent> record(ThrowingRunnable work) throws Exception {
    Path file = dir.resolve("pool4j.jfr");
    try (Recording recording = new Recording()) {
      for (String name : EVENTS) {
        // every chunk, however short (dev.pool4j.Chunk's default threshold is 100 us)
        recording.enable(name).withThreshold(Duration.ZERO);
      }
      recording.start();
      work.run();
      recording.stop();
      recording.dump(file);
    }
    return RecordingFile.readAllEvents(file);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
    return events.stream()
        .filter(e -> e.getEventType().getName().equals(name))
        .collect(Collectors.toList());
  }

  @Test
  void callsAndChunksOnThreadsAndWorkerProcessesAreRecordedWithTheirFields() throws Exception {
    List<Long> pids = new java.util.ArrayList<>();
    List<RecordedEvent> events =
        record(
            () -> {
              try (Pool threads = Pool.builder().threads().workers(2).build()) {
                assertThat(threads.map(x -> x + 1, range(100), 10)).hasSize(100);
              }
              pool = Pool.builder().processes().workers(2).build();
              assertThat(pool.map(x -> x * 2, range(30), 5)).hasSize(30);
              Children.workers().forEach(p -> pids.add(p.pid()));
              // a worker whose process was still starting when the map ended (the other ran
              // every chunk) is ready, and its event committed, before join() returns
              pool.close();
              assertThat(pool.join(Duration.ofSeconds(30))).isTrue();
            });

    List<RecordedEvent> calls = named(events, "dev.pool4j.Call");
    RecordedEvent onThreads = only(calls, "platform threads");
    RecordedEvent onProcesses = only(calls, "worker processes");
    for (RecordedEvent call : List.of(onThreads, onProcesses)) {
      assertThat(call.getString("outcome")).isEqualTo("completed");
      assertThat(call.getString("mode")).isEqualTo("collect");
      assertThat(call.getClass("taskClass").getName()).startsWith(getClass().getName());
      assertThat(call.getString("pool")).startsWith("pool4j-");
      assertThat(call.getDuration()).isPositive();
      assertThat(call.getEventType().getCategoryNames()).containsExactly("pool4j");
    }
    assertThat(onThreads.getLong("items")).isEqualTo(100);
    assertThat(onProcesses.getLong("items")).isEqualTo(30);

    assertChunksCover(events, onThreads.getLong("callId"), 100, 10);
    assertChunksCover(events, onProcesses.getLong("callId"), 30, 5);

    List<RecordedEvent> started = named(events, "dev.pool4j.WorkerStarted");
    assertThat(started)
        .filteredOn(e -> e.getString("kind").equals("thread"))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.getLong("pid")).isEqualTo(-1));
    assertThat(pids).isNotEmpty();
    assertThat(started)
        .filteredOn(e -> e.getString("kind").equals("process"))
        .extracting(e -> e.getLong("pid"))
        .hasSize(2)
        .containsAll(pids);
    assertThat(named(events, "dev.pool4j.WorkerDied")).isEmpty();
    assertThat(named(events, "dev.pool4j.TaskTimedOut")).isEmpty();
  }

  /** The call's completed chunks cover 0..n-1 once, each of {@code size} items, by workers. */
  private static void assertChunksCover(List<RecordedEvent> events, long callId, int n, int size) {
    List<RecordedEvent> chunks =
        named(events, "dev.pool4j.Chunk").stream()
            .filter(e -> e.getLong("callId") == callId)
            .collect(Collectors.toList());
    assertThat(chunks).hasSize(n / size);
    assertThat(chunks)
        .allSatisfy(
            c -> {
              assertThat(c.getString("outcome")).isEqualTo("completed");
              assertThat(c.getInt("size")).isEqualTo(size);
              assertThat(c.getInt("done")).isEqualTo(size);
              assertThat(c.getString("worker")).matches("worker-[0-9]+");
              assertThat(c.getLong("runTime")).isPositive();
              assertThat(c.getDuration().toNanos()).isGreaterThanOrEqualTo(0);
            });
    assertThat(chunks.stream().map(c -> c.getLong("start")).sorted().collect(Collectors.toList()))
        .isEqualTo(
            IntStream.range(0, n / size)
                .mapToObj(i -> (long) i * size)
                .collect(Collectors.toList()));
  }

  private static RecordedEvent only(List<RecordedEvent> calls, String backend) {
    List<RecordedEvent> on =
        calls.stream()
            .filter(e -> backend.equals(e.getString("backend")))
            .collect(Collectors.toList());
    assertThat(on).as("Call events on " + backend + " in " + calls).hasSize(1);
    return on.get(0);
  }

  /**
   * {@code dev.pool4j.Chunk} has a default threshold of 100 us, as the JDK's per-operation events
   * have one: under JFR's {@code default} configuration (which names no pool4j event) a call whose
   * chunks take longer has every chunk recorded, on threads and on worker processes, and no chunk
   * that took less is recorded (the tiny chunks of a call of a thousand {@code x -> x} are not even
   * timed: see {@code ChunkThreshold}).
   */
  @Test
  void underTheDefaultConfigurationChunksShorterThanTheThresholdAreNotRecorded() throws Exception {
    Path file = dir.resolve("default.jfr");
    try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
      recording.start();
      try (Pool threads = Pool.builder().threads().workers(2).build()) {
        assertThat(threads.map(x -> sleepFor(x, 1), range(8), 1)).isEqualTo(range(8));
        assertThat(threads.map(x -> x, range(1000), 10)).isEqualTo(range(1000));
      }
      pool = Pool.builder().processes().workers(2).build();
      assertThat(pool.map(x -> sleepFor(x, 1), range(10), 1)).isEqualTo(range(10));
      pool.close();
      assertThat(pool.join(Duration.ofSeconds(30))).isTrue();
      recording.stop();
      recording.dump(file);
    }
    EventType type =
        FlightRecorder.getFlightRecorder().getEventTypes().stream()
            .filter(t -> t.getName().equals("dev.pool4j.Chunk"))
            .findFirst()
            .orElseThrow();
    assertThat(type.getSettingDescriptors())
        .filteredOn(d -> d.getName().equals("threshold"))
        .singleElement()
        .satisfies(d -> assertThat(d.getDefaultValue()).isEqualTo("100 us"));
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    long slowCall =
        named(events, "dev.pool4j.Call").stream()
            .filter(e -> e.getLong("items") == 8)
            .findFirst()
            .orElseThrow()
            .getLong("callId");
    long slowOnProcesses =
        named(events, "dev.pool4j.Call").stream()
            .filter(e -> e.getLong("items") == 10)
            .findFirst()
            .orElseThrow()
            .getLong("callId");
    List<RecordedEvent> chunks = named(events, "dev.pool4j.Chunk");
    assertThat(chunks)
        .filteredOn(e -> e.getLong("callId") == slowCall)
        .extracting(e -> e.getLong("start"))
        .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(chunks)
        .as("the chunks of the slow call on worker processes")
        .filteredOn(e -> e.getLong("callId") == slowOnProcesses)
        .extracting(e -> e.getLong("start"))
        .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(chunks)
        .allSatisfy(
            e -> assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofNanos(100_000)));
  }

  private static int sleepFor(int x, long millis) throws InterruptedException {
    Thread.sleep(millis);
    return x;
  }

  @Test
  void aKilledWorkerProcessIsAWorkerDiedEventAndItsChunkALostOne() throws Exception {
    long[] killed = new long[1];
    List<RecordedEvent> events =
        record(
            () -> {
              pool = Pool.builder().processes().workers(2).build();
              String marker = dir.resolve("pid").toString();
              var future =
                  WorkerCrashTest.async(
                      () ->
                          pool.map(
                              x -> x == 3 ? WorkerCrashTest.blockOnce(x, marker) : x,
                              range(10),
                              1));
              killed[0] = LoggingTest.awaitPid(Path.of(marker));
              assertThat(ProcessHandle.of(killed[0]).orElseThrow().destroyForcibly()).isTrue();
              assertThat(future.get(30, TimeUnit.SECONDS)).isEqualTo(range(10));
            });

    RecordedEvent died = named(events, "dev.pool4j.WorkerDied").get(0);
    assertThat(died.getLong("pid")).isEqualTo(killed[0]);
    assertThat(died.getInt("exitCode")).isEqualTo(137);
    assertThat(died.getString("worker")).matches("worker-[0-9]+");
    assertThat(died.getString("cause")).contains("died while running the tasks at indexes 3..3");
    assertThat(died.getString("next")).contains("a fresh worker process replaces it");

    List<RecordedEvent> chunk3 =
        named(events, "dev.pool4j.Chunk").stream()
            .filter(e -> e.getLong("start") == 3)
            .sorted(java.util.Comparator.comparing(RecordedEvent::getEndTime))
            .collect(Collectors.toList());
    assertThat(chunk3).extracting(e -> e.getString("outcome")).containsExactly("lost", "completed");
    assertThat(chunk3).extracting(e -> e.getInt("retries")).containsExactly(0, 1);

    // the process that died had started under the same worker's name (its replacement may
    // still be starting when the recording stops: LoggingTest sees it)
    assertThat(named(events, "dev.pool4j.WorkerStarted"))
        .filteredOn(e -> e.getLong("pid") == killed[0])
        .singleElement()
        .satisfies(e -> assertThat(e.getString("worker")).isEqualTo(died.getString("worker")));
  }

  @Test
  void taskTimeoutsOnThreadsAndOnWorkerProcessesAreRecorded() throws Exception {
    List<RecordedEvent> events =
        record(
            () -> {
              try (Pool threads =
                  Pool.builder().threads().workers(1).taskTimeout(Duration.ofMillis(300)).build()) {
                assertThatThrownBy(() -> threads.map(x -> sleepAt(x, 1), range(3), 1))
                    .isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
                // a failed map returns at the failure; its call finishes (and its event is
                // committed) once the chunks still out are reported
                threads.close();
                assertThat(threads.join(Duration.ofSeconds(30))).isTrue();
              }
              pool =
                  Pool.builder().processes().workers(1).taskTimeout(Duration.ofSeconds(2)).build();
              assertThatThrownBy(() -> pool.map(x -> sleepAt(x, 2), range(4), 1))
                  .isInstanceOf(TaskFailedException.class)
                  .hasCauseInstanceOf(TimeoutException.class);
              pool.close();
              assertThat(pool.join(Duration.ofSeconds(30))).isTrue();
            });

    List<RecordedEvent> timeouts = named(events, "dev.pool4j.TaskTimedOut");
    assertThat(timeouts).hasSize(2);
    RecordedEvent onThread =
        timeouts.stream().filter(e -> e.getLong("index") == 1).findFirst().get();
    assertThat(onThread.getLong("timeout")).isEqualTo(Duration.ofMillis(300).toNanos());
    assertThat(onThread.getString("worker")).isEqualTo("worker-1");
    assertThat(onThread.getString("action")).contains("was interrupted");
    RecordedEvent onProcess =
        timeouts.stream().filter(e -> e.getLong("index") == 2).findFirst().get();
    assertThat(onProcess.getLong("timeout")).isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(onProcess.getString("worker")).startsWith("worker-1 (pid ");
    assertThat(onProcess.getString("action")).contains("killed");

    assertThat(named(events, "dev.pool4j.Call"))
        .extracting(e -> e.getString("outcome"))
        .containsExactly("failed", "failed");
    assertThat(named(events, "dev.pool4j.Chunk"))
        .filteredOn(e -> e.getString("outcome").equals("timed out"))
        .extracting(e -> e.getLong("start"))
        .containsExactlyInAnyOrder(1L, 2L);
    // the call ids of the timeouts are those of the calls
    assertThat(timeouts)
        .extracting(e -> e.getLong("callId"))
        .containsExactlyInAnyOrderElementsOf(
            named(events, "dev.pool4j.Call").stream()
                .map(e -> e.getLong("callId"))
                .collect(Collectors.toList()));
  }
}
