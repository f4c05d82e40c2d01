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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-item overhead of {@code imap} with chunk size 1 ({@code pool.imap(x -> x * x, inputs,
 * 1)}, every result taken in order by the benchmark thread), in microseconds per item.
 *
 * <p><b>Targets:</b> threads under 2 µs per item; worker processes under 15 µs per item (Python's
 * {@code Pool.imap} with chunk size 1 costs about 31 µs per item on the same machine).
 *
 * <ul>
 *   <li>{@link #threads}: 20,000 items per operation on {@code Pool.builder().threads()} ({@link
 *       Pool#cpuCount()} workers); on Java 21+ add {@code -p threads=platform,virtual} for virtual
 *       threads;
 *   <li>{@link #processes}: 5,000 items per operation on {@code processes()} with 2 worker JVMs.
 * </ul>
 *
 * <p>Each pool ({@link MapBenchmark}'s pool states) is built once per trial; the input lists once
 * per trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ImapBenchmark {

  static final int THREAD_ITEMS = 20_000;
  static final int PROCESS_ITEMS = 5_000;

  /** The inputs of both contenders, built once per trial. */
  @State(Scope.Benchmark)
  public static class Inputs {
    List<Integer> threads;
    List<Integer> processes;

    @Setup(Level.Trial)
    public void setUp() {
      threads = Pools.inputs(THREAD_ITEMS);
      processes = Pools.inputs(PROCESS_ITEMS);
    }
  }

  @Benchmark
  @OperationsPerInvocation(THREAD_ITEMS)
  public void threads(MapBenchmark.ThreadPool p, Inputs in, Blackhole bh) {
    for (Integer r : p.pool.imap(Pools.SQUARE, in.threads, 1)) {
      bh.consume(r);
    }
  }

  @Benchmark
  @OperationsPerInvocation(PROCESS_ITEMS)
  public void processes(MapBenchmark.ProcessPool p, Inputs in, Blackhole bh) {
    for (Integer r : p.pool.imap(Pools.SQUARE, in.processes, 1)) {
      bh.consume(r);
    }
  }
}
