package dev.pool4j.benchmarks.compare;

import dev.pool4j.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One measurement in a JVM of its own, started by {@link Compare}: builds one contender, runs the
 * workload {@code --warmup} times unmeasured (and for at least {@code --warmup-seconds}), then once
 * measured, and prints one line {@code RESULT {"seconds": ..., "first": ..., "startup": ...,
 * "checksum": ..., "n": ...}}, where {@code startup} is the time the contender took to be built and
 * ready. The first-call and start-up measures ({@code first}, {@code startup}) run cold: no warm-up
 * and no {@code System.gc()}, their call is the JVM's first.
 *
 * <pre>
 * java -cp CP dev.pool4j.benchmarks.compare.CompareChild --measure tiny-map --contender
 *     pool4j-threads --n 1000000 --warmup 2 [--warmup-seconds S] [--workers K] [--virtual]
 *     [--iterations I]
 *     [--ms 10,200] [--chunksize C]
 *     [--cluster NAME --members host:port,host:port --secret-file FILE]
 * </pre>
 */
public final class CompareChild {

  /** Checksums are sums of the results modulo 2^61. */
  static final long MASK = (1L << 61) - 1;

  private CompareChild() {}

  /**
   * Runs one measurement; exits with status 0 after printing its result.
   *
   * @param args see the class notes
   * @throws Exception when the contender fails: the parent reports the row as failed
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = parse(args);
    String measure = o.get("measure");
    String contender = o.get("contender");
    int n = Integer.parseInt(o.getOrDefault("n", "0"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "0"));
    double warmupSeconds = Double.parseDouble(o.getOrDefault("warmup-seconds", "0"));
    int workers = Integer.parseInt(o.getOrDefault("workers", "0"));
    int chunksize = Integer.parseInt(o.getOrDefault("chunksize", "0"));
    long iterations = Long.parseLong(o.getOrDefault("iterations", "0"));
    String[] cluster = {o.get("cluster"), o.get("members"), o.get("secret-file")};
    boolean cold = measure.equals("first") || measure.equals("startup");
    Measured out;
    double startup;
    long s0 = System.nanoTime();
    try (Runner runner = Runners.create(contender, workers, o.containsKey("virtual"), cluster)) {
      startup = (System.nanoTime() - s0) / 1e9;
      if (measure.equals("memory")) {
        LongAdder sum = new LongAdder();
        long t0 = System.nanoTime();
        runner.lazySquares(counting(n), n, sum::add);
        out = new Measured((System.nanoTime() - t0) / 1e9, 0, sum.sum() & MASK);
      } else {
        String ms = o.getOrDefault("ms", "0");
        if (!cold) {
          long warmupNanos = (long) (warmupSeconds * 1e9);
          long w0 = System.nanoTime();
          for (int i = 0; i < warmup || System.nanoTime() - w0 < warmupNanos; i++) {
            once(runner, measure, n, iterations, ms, chunksize, true);
          }
          // a collection of the warm-up's garbage must not land in the measured call of one
          // contender and not another's (a G1 pause here is 60 to 180 ms, more than the call of
          // a million tiny tasks itself): every Java contender starts it on a collected heap
          System.gc();
        }
        out = once(runner, measure, n, iterations, ms, chunksize, false);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "RESULT {\"seconds\": %.9f, \"first\": %.9f, \"startup\": %.9f, \"checksum\": %d,"
            + " \"n\": %d}%n",
        out.seconds,
        out.first,
        startup,
        out.checksum,
        n);
    System.out.flush();
    // a contender may leave non-daemon threads behind (a Hazelcast client, an executor)
    System.exit(0);
  }

  /** What one run measured. */
  private static final class Measured {
    final double seconds;

    /** Seconds to the first result ({@code imap}), else 0. */
    final double first;

    final long checksum;

    Measured(double seconds, double first, long checksum) {
      this.seconds = seconds;
      this.first = first;
      this.checksum = checksum;
    }
  }

  /** One run of a workload. */
  private static Measured once(
      Runner runner, String measure, int n, long iterations, String ms, int chunksize, boolean warm)
      throws Exception {
    switch (measure) {
      case "tiny-map":
      case "first":
      case "startup":
        return timedMap(runner, Workloads.SQUARE, ints(n));
      case "cpu":
        {
          List<Long> xs = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            xs.add(iterations + i);
          }
          return timedMap(runner, Workloads.SPIN, xs);
        }
      case "tutorial-3":
      case "tutorial-sleep":
      case "tutorial-virtual":
      case "scale":
        return timedMap(runner, Workloads.SLEEP, Workloads.sleeps(n, ms, warm));
      case "tiny-imap":
        return timedImap(runner, Workloads.SQUARE, ints(n), 1);
      case "streaming":
        return timedImap(runner, Workloads.SLEEP, Workloads.sleeps(n, ms, warm), 1);
      default:
        throw new IllegalArgumentException("unknown measure " + measure);
    }
  }

  private static <T> Measured timedMap(Runner runner, Task<T, ? extends Number> task, List<T> xs)
      throws Exception {
    long t0 = System.nanoTime();
    List<? extends Number> results = runner.map(task, xs);
    long t1 = System.nanoTime();
    long sum = 0;
    for (Number r : results) {
      sum += r.longValue();
    }
    if (results.size() != xs.size()) {
      sum = -1;
    }
    return new Measured((t1 - t0) / 1e9, 0, sum & MASK);
  }

  private static <T> Measured timedImap(
      Runner runner, Task<T, ? extends Number> task, List<T> xs, int chunksize) throws Exception {
    long[] first = {0};
    LongAdder sum = new LongAdder();
    long t0 = System.nanoTime();
    runner.imap(
        task,
        xs,
        chunksize,
        r -> {
          if (first[0] == 0) {
            first[0] = System.nanoTime();
          }
          sum.add(r);
        });
    long t1 = System.nanoTime();
    return new Measured((t1 - t0) / 1e9, (first[0] - t0) / 1e9, sum.sum() & MASK);
  }

  static List<Integer> ints(int n) {
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      xs.add(i);
    }
    return xs;
  }

  /** {@code 0..n-1}, generated one at a time: never a list. */
  static Iterator<Integer> counting(int n) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < n;
      }

      @Override
      public Integer next() {
        if (next >= n) {
          throw new NoSuchElementException();
        }
        return next++;
      }
    };
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String key = args[i].substring(2);
      if (key.equals("virtual")) {
        o.put(key, "true");
      } else {
        o.put(key, args[++i]);
      }
    }
    return o;
  }
}
