package dev.pool4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that adds the benchmark JVM's CPU time per operation ({@code ·cpu.time}, µs/op):
 * the CPU every thread of the fork used during an iteration (the pool's workers, the caller, GC,
 * the JIT, a flight recording's threads), divided by the operations the iteration made.
 *
 * <p>On a shared machine a busy neighbour lengthens the wall time of a call far more than the CPU
 * the call needs, so two variants compared by CPU time per call differ by what they cost, not by
 * when they ran. Use it as {@code -prof dev.pool4j.benchmarks.CpuTimeProfiler}; the figure is in
 * the result's secondary metrics.
 */
public final class CpuTimeProfiler implements InternalProfiler {

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private long before;

  @Override
  public String getDescription() {
    return "CPU time of the whole benchmark JVM per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    before = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - before;
    long ops = result.getMetadata().getAllOps();
    if (before < 0 || cpu < 0 || ops <= 0) {
      return List.of();
    }
    return List.of(new ScalarResult("·cpu.time", cpu / 1e3 / ops, "us/op", AggregationPolicy.AVG));
  }
}
