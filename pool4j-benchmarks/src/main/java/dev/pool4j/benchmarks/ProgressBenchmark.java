package dev.pool4j.benchmarks;

import dev.pool4j.Pool;
import dev.pool4j.internal.progress.Renderer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code map} of {@code x -> x * x} over 1,000,000 boxed Integers on {@code
 * Pool.builder().threads()} ({@link Pool#cpuCount()} workers), with a progress bar on every call
 * ({@code pool.withProgress("map")}) and without, in nanoseconds per item.
 *
 * <p><b>Target (issue 3):</b> the bar on costs at most 5% over the bar off.
 *
 * <p>The {@code bar} parameter:
 *
 * <ul>
 *   <li>{@code off}: the plain pool, no bar;
 *   <li>{@code stderr}: the production path unchanged, the bar drawn by the standard renderer on
 *       {@code System.err}, which the trial points at a stream that counts and discards bytes. In a
 *       JMH fork stderr is not a terminal, so this is the log mode: a line at most every 5 s and a
 *       final line per call;
 *   <li>{@code terminal}: the worst case, the terminal mode (a carriage-return redraw every 100 ms
 *       and a final line per call, 80 columns, Unicode blocks), drawn into a counting sink through
 *       the renderer seam pool4j-core's own tests use ({@code Renderer.useForPools}, an internal
 *       class reachable on the class path).
 * </ul>
 *
 * <p>Either way the bar really renders: the trial fails at tear-down if nothing was drawn (for
 * instance with {@code POOL4J_PROGRESS=0} in the environment), and prints one line with what was
 * drawn. The environment is otherwise honoured as in production.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ProgressBenchmark.ITEMS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class ProgressBenchmark {

  static final int ITEMS = 1_000_000;

  /** {@code off}, {@code stderr} or {@code terminal}; see the class notes. */
  @Param({"off", "stderr", "terminal"})
  public String bar;

  private List<Integer> inputs;
  private Pool pool;

  /** The pool the benchmark calls: {@link #pool} itself, or its view with a bar. */
  private Pool calls;

  private CountingSink sink;
  private PrintStream savedErr;
  private Renderer savedRenderer;

  @Setup(Level.Trial)
  public void setUp() {
    inputs = Pools.inputs(ITEMS);
    pool = Pools.threads("platform");
    sink = new CountingSink();
    switch (bar) {
      case "off":
        calls = pool;
        break;
      case "stderr":
        savedErr = System.err;
        System.setErr(new PrintStream(sink, false, StandardCharsets.UTF_8));
        calls = pool.withProgress("map");
        break;
      case "terminal":
        savedRenderer =
            Renderer.useForPools(
                Renderer.builder().output(sink).terminal(true).columns(80).unicode(true).build());
        calls = pool.withProgress("map");
        break;
      default:
        throw new IllegalArgumentException("bar must be off, stderr or terminal, was " + bar);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Pools.shutdown(pool);
    if (savedErr != null) {
      System.err.flush();
      System.setErr(savedErr);
    }
    if ("terminal".equals(bar)) {
      Renderer.useForPools(savedRenderer);
    }
    if (!"off".equals(bar)) {
      if (sink.chars() == 0) {
        throw new IllegalStateException(
            "the bar drew nothing (is POOL4J_PROGRESS or TQDM_DISABLE set?): nothing was measured");
      }
      System.out.printf(
          "%n[ProgressBenchmark] bar=%s drew %d chars in %d writes this trial%n",
          bar, sink.chars(), sink.writes());
    }
  }

  @Benchmark
  public List<Integer> map() {
    return calls.map(Pools.SQUARE, inputs);
  }
}
