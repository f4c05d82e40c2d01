package dev.pool4j.hazelcast;

import dev.pool4j.Pool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The cluster's speed figures (issue 6), against worker processes: on a loopback cluster of two
 * member JVMs of one worker each (the {@link Worker} command), through a pool that joins it as a
 * client, and on a process pool of two workers:
 *
 * <ul>
 *   <li>tiny: {@code map} of {@code x * x} over 1,000,000 boxed Integers, adaptive chunks, in
 *       nanoseconds per item; and {@code imap} with chunk size 1 over 5,000, in microseconds;
 *   <li>CPU-bound: 64 items of a fixed integer loop of about 10 ms each (the benchmark issue's
 *       workload), as speedup over a sequential loop in this JVM.
 * </ul>
 *
 * <p>Each figure is measured {@code rounds} times after {@code warmup} rounds; prints the median
 * and the range. Run from the module directory, with the test class path:
 *
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     dev.pool4j.hazelcast.ClusterThroughputMain [rounds] [warm-up rounds]
 * </pre>
 */
public final class ClusterThroughputMain {

  /** Iterations of {@link #spin} that take about 10 ms. */
  private static long spinIterations;

  private ClusterThroughputMain() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    System.setProperty("hazelcast.logging.type", "none");
    spinIterations = calibrate();
    long iterations = spinIterations;
    List<Long> cpuInputs = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      cpuInputs.add(iterations + i);
    }
    long s0 = System.nanoTime();
    for (long n : cpuInputs) {
      spin(n);
    }
    double sequential = (System.nanoTime() - s0) / 1e6;
    System.out.printf(Locale.ROOT, "sequential CPU-bound: %.0f ms for 64 items%n", sequential);

    try (TestCluster cluster = new TestCluster(2)) {
      cluster.start(1);
      cluster.start(1);
      HazelcastBackend backend = cluster.client();
      try (Pool pool = Pool.builder().backend(backend).build()) {
        measure(
            "cluster (2 members x 1 worker, client)", pool, rounds, warmup, cpuInputs, sequential);
      }
    }
    try (Pool pool = Pool.builder().processes().workers(2).build()) {
      measure("processes (2 workers)", pool, rounds, warmup, cpuInputs, sequential);
    }
  }

  private static void measure(
      String name, Pool pool, int rounds, int warmup, List<Long> cpuInputs, double sequential) {
    List<Integer> tiny = IntStream.range(0, 1_000_000).boxed().collect(Collectors.toList());
    List<Integer> small = IntStream.range(0, 5_000).boxed().collect(Collectors.toList());
    List<Double> map = new ArrayList<>();
    List<Double> imap = new ArrayList<>();
    List<Double> speedup = new ArrayList<>();
    for (int round = 0; round < warmup + rounds; round++) {
      long t0 = System.nanoTime();
      List<Integer> squares = pool.map(x -> x * x, tiny);
      long t1 = System.nanoTime();
      long sum = 0;
      for (int v : pool.imap(x -> x * x, small, 1)) {
        sum += v;
      }
      long t2 = System.nanoTime();
      List<Long> spun = pool.map(ClusterThroughputMain::spin, cpuInputs);
      long t3 = System.nanoTime();
      if (squares.size() != tiny.size()
          || squares.get(999) != 999 * 999
          || spun.size() != 64
          || sum <= 0) {
        throw new AssertionError("wrong results");
      }
      if (round >= warmup) {
        map.add((t1 - t0) / (double) tiny.size());
        imap.add((t2 - t1) / 1e3 / small.size());
        speedup.add(sequential / ((t3 - t2) / 1e6));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s: map x*x adaptive %s ns/item; imap chunksize 1 %s us/item; CPU-bound speedup %s"
            + " (%d rounds after %d warm-up)%n",
        name,
        summary(map, "%.1f"),
        summary(imap, "%.2f"),
        summary(speedup, "%.2f"),
        rounds,
        warmup);
  }

  /** A fixed integer loop; its result keeps the JIT from removing it. */
  static Long spin(Long n) {
    long x = 0x9E3779B97F4A7C15L;
    for (long i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return x;
  }

  /** Iterations of {@link #spin} that take about 10 ms here, once warm. */
  private static long calibrate() {
    long n = 1_000_000;
    for (int i = 0; i < 5; i++) {
      spin(n);
    }
    long t0 = System.nanoTime();
    spin(n);
    long nanos = System.nanoTime() - t0;
    return Math.max(1, n * 10_000_000L / Math.max(1, nanos));
  }

  private static String summary(List<Double> values, String format) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    Function<Double, String> f = v -> String.format(Locale.ROOT, format, v);
    return f.apply(median)
        + " ("
        + f.apply(sorted.get(0))
        + " .. "
        + f.apply(sorted.get(n - 1))
        + ")";
  }
}
