package dev.pool4j.benchmarks;

import dev.pool4j.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code map} of {@code x -> x * x} over 1,000,000 boxed Integers, in nanoseconds per item, against
 * the JDK's own ways of doing the same.
 *
 * <p><b>Target (issue 2):</b> {@code pool4j} on platform threads within 1.3x of {@code
 * parallelStream}, and at least 10x faster than {@code executorInvokeAll} (one {@code Callable} per
 * item).
 *
 * <p>Contenders, one {@code @Benchmark} each; every one returns the full list of results (or, for
 * the executor, consumes every future's value), so nothing is optimised away:
 *
 * <ul>
 *   <li>{@link #pool4j}: {@code Pool.builder().threads()} ({@link Pool#cpuCount()} workers,
 *       adaptive chunks), built once per trial. Its {@code threads} parameter is {@code platform}
 *       by default; on Java 21+ add {@code -p threads=platform,virtual} for {@code
 *       virtualThreads()} (not listed by default because Java 17 has no virtual threads);
 *   <li>{@link #pool4jProcesses}: {@code processes()}, 2 worker JVMs;
 *   <li>{@link #parallelStream}: {@code list.parallelStream().map(x -> x * x).toList()};
 *   <li>{@link #executorInvokeAll}: {@code invokeAll} of one {@code Callable} per item on a fixed
 *       pool of {@link Pool#cpuCount()} threads;
 *   <li>{@link #sequential}: a plain loop on the benchmark thread.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(MapBenchmark.ITEMS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class MapBenchmark {

  static final int ITEMS = 1_000_000;

  /** The input list, shared by every contender. */
  @State(Scope.Benchmark)
  public static class Inputs {
    List<Integer> list;

    @Setup(Level.Trial)
    public void setUp() {
      list = Pools.inputs(ITEMS);
    }
  }

  /** A thread pool for the whole trial. */
  @State(Scope.Benchmark)
  public static class ThreadPool {
    /** {@code platform} or, on Java 21+ only, {@code virtual}. */
    @Param({"platform"})
    public String threads;

    Pool pool;

    @Setup(Level.Trial)
    public void setUp() {
      pool = Pools.threads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      Pools.shutdown(pool);
    }
  }

  /** A pool of 2 worker JVMs for the whole trial. */
  @State(Scope.Benchmark)
  public static class ProcessPool {
    Pool pool;

    @Setup(Level.Trial)
    public void setUp() {
      pool = Pools.processes();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      Pools.shutdown(pool);
    }
  }

  /** The executor of the one-task-per-item contender. */
  @State(Scope.Benchmark)
  public static class Executor {
    ExecutorService executor;

    @Setup(Level.Trial)
    public void setUp() {
      executor = Executors.newFixedThreadPool(Pool.cpuCount());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      executor.shutdown();
      executor.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  @Benchmark
  public List<Integer> pool4j(Inputs in, ThreadPool p) {
    return p.pool.map(Pools.SQUARE, in.list);
  }

  @Benchmark
  public List<Integer> pool4jProcesses(Inputs in, ProcessPool p) {
    return p.pool.map(Pools.SQUARE, in.list);
  }

  @Benchmark
  public List<Integer> parallelStream(Inputs in) {
    return in.list.parallelStream().map(x -> x * x).toList();
  }

  @Benchmark
  public void executorInvokeAll(Inputs in, Executor e, Blackhole bh)
      throws InterruptedException, ExecutionException {
    List<Callable<Integer>> tasks = new ArrayList<>(in.list.size());
    for (Integer x : in.list) {
      tasks.add(() -> x * x);
    }
    for (Future<Integer> f : e.executor.invokeAll(tasks)) {
      bh.consume(f.get());
    }
  }

  @Benchmark
  public List<Integer> sequential(Inputs in) {
    List<Integer> out = new ArrayList<>(in.list.size());
    for (Integer x : in.list) {
      out.add(x * x);
    }
    return out;
  }
}
