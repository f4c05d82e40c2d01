package dev.pool4j.process;

import dev.pool4j.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Run by {@link FlightRecorderColdTest} in a JVM of its own, with {@code -Xlog:class+load}: pools
 * of every built-in backend with no recording, then a recording started on a running program, as
 * {@code jcmd PID JFR.start} does.
 *
 * <p>Prints {@code no recording: initialized=false} after the first part, and {@code recorded:
 * NAME=COUNT ...} (the dev.pool4j events of the recording) after the second; exits 1 if a map
 * returns a wrong result.
 */
public final class FlightRecorderColdMain {

  private FlightRecorderColdMain() {}

  public static void main(String[] args) throws Exception {
    List<Integer> xs = IntStream.range(0, 2_000).boxed().collect(Collectors.toList());
    List<Integer> squares = xs.stream().map(x -> x * x).collect(Collectors.toList());
    boolean virtual = Runtime.version().feature() >= 21;

    // 1. no recording: pools of every backend, built, used and closed
    Pool platform = Pool.builder().threads().workers(2).build();
    check(platform.map(x -> x * x, xs), squares);
    if (virtual) {
      try (Pool pool = Pool.builder().virtualThreads().workers(2).build()) {
        check(pool.map(x -> x * x, xs), squares);
      }
    }
    try (Pool pool = Pool.builder().processes().workers(2).build()) {
      check(pool.map(x -> x * x, xs), squares);
    }
    System.out.println("no recording: initialized=" + FlightRecorder.isInitialized());

    // 2. a recording starts while the program runs: the pool built before it records its next
    // call; a pool of worker processes built during it records its workers' start too
    Path file = Files.createTempFile("pool4j-cold", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("dev.pool4j.Call");
      recording.enable("dev.pool4j.Chunk").withThreshold(Duration.ZERO);
      recording.enable("dev.pool4j.WorkerStarted");
      recording.start();
      check(platform.map(x -> x * x, xs), squares);
      Pool pool = Pool.builder().processes().workers(2).build();
      try {
        check(pool.map(x -> x * x, xs), squares);
      } finally {
        // a worker still starting when the map ended commits its event once ready: join waits
        pool.close();
        pool.join();
      }
      recording.stop();
      recording.dump(file);
    }
    platform.close();
    Map<String, Integer> counts = new TreeMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String name = e.getEventType().getName();
      if (name.startsWith("dev.pool4j.")) {
        counts.merge(name, 1, Integer::sum);
      }
    }
    Files.delete(file);
    System.out.println(
        "recorded: "
            + counts.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
  }

  private static void check(List<Integer> got, List<Integer> expected) {
    if (!got.equals(expected)) {
      System.out.println("wrong result");
      System.exit(1);
    }
  }
}
