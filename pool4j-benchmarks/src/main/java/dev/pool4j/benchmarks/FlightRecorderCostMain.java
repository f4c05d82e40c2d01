package dev.pool4j.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.pool4j.Pool;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a flight recording costs a tiny {@code map}, measured in rounds: the same pool, in the same
 * JVM, runs one block of calls in each of three modes, in a rotating order: no recording ({@code
 * off}); a recording of JFR's {@code default} configuration (what {@code -XX:StartFlightRecording}
 * uses) with the {@code dev.pool4j} events disabled ({@code jdk}: the JDK's own events, which any
 * program pays for); and the same recording with the {@code dev.pool4j} events as they come ({@code
 * all}). A machine shared with other work slows the blocks of a round alike, so the ratio of two
 * blocks of one round is steadier than either time, and the median of the ratios is the figure.
 * Each block reports its wall time per call and the process's CPU time per call (every thread of
 * the JVM, the recorder's included): a busy machine stretches the first and hardly touches the
 * second. {@link FlightRecorderBenchmark} measures the same with JMH, one fork per mode, which is
 * right on a quiet machine and all noise on a busy one.
 *
 * <p>Arguments: items per call (1000), rounds (40), milliseconds per block (250), and optionally a
 * threshold in microseconds for {@code dev.pool4j.Chunk} in the {@code all} mode ({@code 0} to
 * record every chunk; without it, the event's default). Prints each round, then the median and
 * quartiles of {@code jdk/off}, {@code all/off} and {@code all/jdk}, and the pool4j events one
 * recorded call makes. {@code -Ddisable=dev.pool4j.Call,...} leaves those events out of the {@code
 * all} mode, to tell the events' costs apart.
 *
 * <pre>
 * mvn -q -pl pool4j-benchmarks -am package -DskipTests
 * java -cp pool4j-benchmarks/target/benchmarks.jar dev.pool4j.benchmarks.FlightRecorderCostMain 1000 40
 * </pre>
 */
public final class FlightRecorderCostMain {

  private static final String[] EVENTS = {
    "dev.pool4j.Call",
    "dev.pool4j.Chunk",
    "dev.pool4j.WorkerStarted",
    "dev.pool4j.WorkerDied",
    "dev.pool4j.TaskTimedOut"
  };

  private enum Mode {
    OFF,
    JDK,
    ALL
  }

  private static final OperatingSystemMXBean CPU =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private FlightRecorderCostMain() {}

  public static void main(String[] args) throws Exception {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    long blockNanos = (args.length > 2 ? Long.parseLong(args[2]) : 250) * 1_000_000L;
    String threshold = args.length > 3 ? args[3] : null;
    List<Integer> list = Pools.inputs(items);
    Configuration config = Configuration.getConfiguration("default");
    Pool pool = Pools.threads("platform");
    try {
      // warm-up: every path compiled before anything counts
      for (int i = 0; i < 6; i++) {
        for (Mode mode : Mode.values()) {
          block(pool, list, blockNanos, config, mode, threshold);
        }
      }
      // [wall or cpu][jdk/off, all/off, all/jdk]
      List<List<List<Double>>> ratios = new ArrayList<>();
      for (int m = 0; m < 2; m++) {
        List<List<Double>> three = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
          three.add(new ArrayList<>());
        }
        ratios.add(three);
      }
      Mode[] modes = Mode.values();
      for (int r = 0; r < rounds; r++) {
        double[][] us = new double[modes.length][];
        for (int k = 0; k < modes.length; k++) {
          Mode mode = modes[(r + k) % modes.length];
          us[mode.ordinal()] = block(pool, list, blockNanos, config, mode, threshold);
        }
        for (int m = 0; m < 2; m++) {
          double off = us[Mode.OFF.ordinal()][m];
          double jdk = us[Mode.JDK.ordinal()][m];
          double all = us[Mode.ALL.ordinal()][m];
          ratios.get(m).get(0).add(jdk / off);
          ratios.get(m).get(1).add(all / off);
          ratios.get(m).get(2).add(all / jdk);
          System.out.printf(
              Locale.ROOT,
              "round %2d %s: off %8.2f us, jdk %8.2f us, all %8.2f us; jdk/off %.3f, all/off %.3f,"
                  + " all/jdk %.3f%n",
              r,
              m == 0 ? "wall" : "cpu ",
              off,
              jdk,
              all,
              jdk / off,
              all / off,
              all / jdk);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "map of %d items, %d rounds of %d ms blocks, dev.pool4j.Chunk threshold %s:%n",
          items,
          rounds,
          blockNanos / 1_000_000,
          threshold == null ? "(the event's default)" : threshold + " us");
      for (int m = 0; m < 2; m++) {
        System.out.printf(
            Locale.ROOT,
            "  %s per call: jdk/off %s; all/off %s; all/jdk %s%n",
            m == 0 ? "wall time" : "process CPU time",
            summary(ratios.get(m).get(0)),
            summary(ratios.get(m).get(1)),
            summary(ratios.get(m).get(2)));
      }
      System.out.println(
          "pool4j events of one recorded call: " + eventsOfOneCall(pool, list, config, threshold));
    } finally {
      Pools.shutdown(pool);
    }
  }

  private static String summary(List<Double> ratios) {
    List<Double> sorted = new ArrayList<>(ratios);
    Collections.sort(sorted);
    int n = sorted.size();
    return String.format(
        Locale.ROOT,
        "median %.3f, quartiles %.3f .. %.3f",
        sorted.get(n / 2),
        sorted.get(n / 4),
        sorted.get(3 * n / 4));
  }

  private static Recording recording(Configuration config, Mode mode, String threshold) {
    Recording recording = new Recording(config);
    if (mode == Mode.JDK) {
      for (String event : EVENTS) {
        recording.disable(event);
      }
    } else {
      if (threshold != null) {
        recording
            .enable("dev.pool4j.Chunk")
            .withThreshold(Duration.ofNanos(Long.parseLong(threshold) * 1_000));
      }
      for (String event : System.getProperty("disable", "").split(",")) {
        if (!event.isBlank()) {
          recording.disable(event);
        }
      }
    }
    return recording;
  }

  /**
   * Runs calls for about {@code nanos} in one mode; the mean wall time and the mean process CPU
   * time of a call, in microseconds.
   */
  private static double[] block(
      Pool pool,
      List<Integer> list,
      long nanos,
      Configuration config,
      Mode mode,
      String threshold) {
    Recording recording = null;
    if (mode != Mode.OFF) {
      recording = recording(config, mode, threshold);
      recording.setToDisk(true);
      recording.start();
    }
    try {
      long cpu = CPU.getProcessCpuTime();
      long start = System.nanoTime();
      int calls = 0;
      long now;
      do {
        pool.map(Pools.SQUARE, list);
        calls++;
        now = System.nanoTime();
      } while (now - start < nanos);
      long cpuNanos = CPU.getProcessCpuTime() - cpu;
      return new double[] {(now - start) / 1_000.0 / calls, cpuNanos / 1_000.0 / calls};
    } finally {
      if (recording != null) {
        recording.stop();
        recording.close();
      }
    }
  }

  /** The dev.pool4j events of one call, by name. */
  private static String eventsOfOneCall(
      Pool pool, List<Integer> list, Configuration config, String threshold) throws Exception {
    Path file = Files.createTempFile("pool4j-jfr-cost", ".jfr");
    try (Recording recording = recording(config, Mode.ALL, threshold)) {
      recording.start();
      pool.map(Pools.SQUARE, list);
      recording.stop();
      recording.dump(file);
      java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        String name = e.getEventType().getName();
        if (name.startsWith("dev.pool4j.")) {
          counts.merge(name, 1, Integer::sum);
        }
      }
      return counts.toString();
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
