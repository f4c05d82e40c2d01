package dev.pool4j.benchmarks;

import dev.pool4j.Pool;
import java.util.List;
import java.util.concurrent.ExecutionException;
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
 * A cluster pool's {@code imap} with chunk size 1 against a bare Hazelcast executor round trip, on
 * the same loopback cluster of two member JVMs of one worker each ({@link LoopbackCluster}, as
 * {@link ClusterBenchmark}), in microseconds per item.
 *
 * <ul>
 *   <li>{@link #roundTrip}: a Hazelcast client submits {@link BareRoundTrip.Echo} (returns its
 *       {@code Integer} input) to the members' executor service, the members in turn, with at most
 *       {@code inFlight} not yet taken, taken in order: 1 (one at a time), 2 (one per member) and
 *       16 (eight per member).
 *   <li>{@link #pool4jImap}: {@code imap(x -> x, inputs, 1)}, every result taken in order, by a
 *       client pool ({@code HazelcastBackend.client()}): {@code workers=members} is the default
 *       pool, which keeps up to eight chunks per member worker while chunks are short (16 here);
 *       {@code workers=2} is {@code workers(2)}: at most 2 chunks on the members, none queued
 *       ahead.
 * </ul>
 *
 * <p><b>Target (issue 17):</b> {@code pool4jImap} at most 1.5x {@code roundTrip}. Each trial starts
 * members of its own (a few seconds), so both contenders run on the same kind of fresh cluster, one
 * after the other in one run. The fork's JVM options are {@link ClusterBenchmark}'s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(ClusterRoundTripBenchmark.ITEMS)
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
public class ClusterRoundTripBenchmark {

  /** Items (round trips, chunks) per operation. */
  static final int ITEMS = 2_000;

  /** A loopback cluster of 2 members x 1 worker and a bare Hazelcast client of it. */
  @State(Scope.Benchmark)
  public static class Bare {
    /** Round trips submitted and not yet taken, at most. */
    @Param({"1", "2", "16"})
    public int inFlight;

    LoopbackCluster cluster;
    BareRoundTrip client;

    @Setup(Level.Trial)
    public void setUp() {
      cluster = new LoopbackCluster(2, 1);
      try {
        client = new BareRoundTrip(cluster.name, cluster.addresses(), 2);
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        if (client != null) {
          client.close();
        }
      } finally {
        cluster.close();
      }
    }
  }

  /** A loopback cluster of 2 members x 1 worker and a pool that joins it as a client. */
  @State(Scope.Benchmark)
  public static class Pool4j {
    /** {@code members}: the default pool; a number: {@code workers(n)}. */
    @Param({"members", "2"})
    public String workers;

    LoopbackCluster cluster;
    Pool pool;
    List<Integer> inputs;

    @Setup(Level.Trial)
    public void setUp() {
      inputs = Pools.inputs(ITEMS);
      cluster = new LoopbackCluster(2, 1);
      try {
        pool = cluster.clientPool(workers.equals("members") ? 0 : Integer.parseInt(workers));
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        if (pool != null) {
          Pools.shutdown(pool);
        }
      } finally {
        cluster.close();
      }
    }
  }

  @Benchmark
  public long roundTrip(Bare s) throws InterruptedException, ExecutionException {
    return s.client.run(ITEMS, s.inFlight);
  }

  @Benchmark
  public long pool4jImap(Pool4j s) {
    long sum = 0;
    for (Integer r : s.pool.imap(SchedulerBenchmark.IDENTITY, s.inputs, 1)) {
      sum += r;
    }
    return sum;
  }
}
