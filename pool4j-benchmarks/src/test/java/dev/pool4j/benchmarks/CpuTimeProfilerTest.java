package dev.pool4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.IterationResultMetaData;
import org.openjdk.jmh.results.Result;

class CpuTimeProfilerTest {

  @Test
  void reportsAtLeastTheCpuThisThreadSpentPerOperation() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    CpuTimeProfiler profiler = new CpuTimeProfiler();
    long ops = 1_000;

    profiler.beforeIteration(null, null);
    long start = threads.getCurrentThreadCpuTime();
    long spin = 0;
    while (threads.getCurrentThreadCpuTime() - start < 50_000_000L) {
      spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
    }
    long spent = threads.getCurrentThreadCpuTime() - start;
    List<Result> results =
        new ArrayList<>(
            profiler.afterIteration(
                null,
                null,
                new IterationResult(null, null, new IterationResultMetaData(ops, ops))));

    assertThat(spin).isNotNegative();
    assertThat(results).hasSize(1);
    Result result = results.get(0);
    assertThat(result.getLabel()).isEqualTo("·cpu.time");
    assertThat(result.getScoreUnit()).isEqualTo("us/op");
    // the process's CPU includes this thread's: at least what it spent, per operation, in us
    assertThat(result.getScore()).isGreaterThanOrEqualTo(spent / 1e3 / ops * 0.99);
  }

  @Test
  void reportsNothingForAnIterationWithoutOperations() {
    CpuTimeProfiler profiler = new CpuTimeProfiler();
    profiler.beforeIteration(null, null);
    assertThat(
            profiler.afterIteration(
                null, null, new IterationResult(null, null, new IterationResultMetaData(0, 0))))
        .isEmpty();
  }
}
