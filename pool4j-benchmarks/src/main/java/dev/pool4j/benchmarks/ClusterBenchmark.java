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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code map} of {@code x -> x * x} over 1,000,000 boxed Integers (adaptive chunks) on a loopback
 * Hazelcast cluster against worker processes, in nanoseconds per item.
 *
 * <p><b>Target (issue 6):</b> the cluster's per-item cost for tiny tasks, beside {@code
 * processes()} with the same number of workers: two member JVMs of one worker each (the {@code
 * dev.pool4j.hazelcast.Worker} command on 127.0.0.1, started in {@code @Setup} and stopped in
 * {@code @TearDown}), reached by a pool that joins as a client ({@code
 * HazelcastBackend.client().clusterName(..).members(..).secretFile(..)}): chunks and results sealed
 * with the cluster's secret, as always; against {@code processes().workers(2)}.
 *
 * <p>The benchmark JVM gets the common fork-join pool's parallelism of 2 (Hazelcast completes its
 * futures there; see {@code HazelcastBackend}'s note on speed) and the {@code --add-opens}
 * Hazelcast wants. Set-up takes several seconds per trial (two member JVMs start and join).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ClusterBenchmark.ITEMS)
@Fork(
    value = 3,
    jvmArgsAppend = {
      "-Xms2g",
      "-Xmx2g",
      "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
      "-Dhazelcast.logging.type=none",
      "-Dhazelcast.phone.home.enabled=false",
      "--add-modules",
      "java.se",
      "--add-exports",
      "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens",
      "java.base/java.lang=ALL-UNNAMED",
      "--add-opens",
      "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens",
      "java.management/sun.management=ALL-UNNAMED",
      "--add-opens",
      "jdk.management/com.sun.management.internal=ALL-UNNAMED"
    })
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class ClusterBenchmark {

  static final int ITEMS = 1_000_000;

  /** {@code cluster}: 2 members x 1 worker, client pool; {@code processes}: 2 worker JVMs. */
  @Param({"cluster", "processes"})
  public String backend;

  private List<Integer> inputs;
  private LoopbackCluster cluster;
  private Pool pool;

  @Setup(Level.Trial)
  public void setUp() {
    inputs = Pools.inputs(ITEMS);
    switch (backend) {
      case "cluster":
        cluster = new LoopbackCluster(2, 1);
        pool = cluster.clientPool();
        break;
      case "processes":
        pool = Pools.processes();
        break;
      default:
        throw new IllegalArgumentException("backend must be cluster or processes, was " + backend);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      Pools.shutdown(pool);
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Benchmark
  public List<Integer> map() {
    return pool.map(Pools.SQUARE, inputs);
  }
}
