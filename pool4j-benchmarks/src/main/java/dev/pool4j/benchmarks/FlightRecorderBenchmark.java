package dev.pool4j.benchmarks;

import dev.pool4j.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the pool's JDK Flight Recorder events cost: a tiny {@code map} ({@code x -> x * x} over
 * {@code items} boxed Integers, platform threads, {@link Pool#cpuCount()} workers, adaptive
 * chunks), in microseconds per call, in a JVM with no recording ({@link #jfrOff}) and in one
 * started with {@code -XX:StartFlightRecording} and the default settings, which record every {@code
 * dev.pool4j} event ({@link #jfrOn}).
 *
 * <p><b>Target (issue 16):</b> no cost with JFR off (compare {@link #jfrOff} against the same
 * benchmark on a build without the events), and {@link #jfrOn} within 5% of {@link #jfrOff}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FlightRecorderBenchmark {

  /** The pool and the input, for the whole trial. */
  @State(Scope.Benchmark)
  public static class Tiny {
    @Param({"1000", "100000"})
    public int items;

    List<Integer> list;
    Pool pool;

    @Setup(Level.Trial)
    public void setUp() {
      list = Pools.inputs(items);
      pool = Pools.threads("platform");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      Pools.shutdown(pool);
    }
  }

  /** No recording in this JVM. */
  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
  public List<Integer> jfrOff(Tiny s) {
    return s.pool.map(Pools.SQUARE, s.list);
  }

  /**
   * The same recording with every dev.pool4j event disabled: what the JDK's own events cost, which
   * any program pays; {@link #jfrOn} minus this is the cost of pool4j's events.
   */
  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {
        "-Xms1g",
        "-Xmx1g",
        "-XX:StartFlightRecording=settings=default,maxsize=100m,+dev.pool4j.Call#enabled=false,"
            + "+dev.pool4j.Chunk#enabled=false,+dev.pool4j.WorkerStarted#enabled=false,"
            + "+dev.pool4j.WorkerDied#enabled=false,+dev.pool4j.TaskTimedOut#enabled=false"
      })
  public List<Integer> jfrJdkOnly(Tiny s) {
    return s.pool.map(Pools.SQUARE, s.list);
  }

  /** A recording with the default settings, which take every dev.pool4j event. */
  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {
        "-Xms1g",
        "-Xmx1g",
        "-XX:StartFlightRecording=settings=default,maxsize=100m"
      })
  public List<Integer> jfrOn(Tiny s) {
    return s.pool.map(Pools.SQUARE, s.list);
  }
}
