package dev.pool4j.benchmarks.compare;

import dev.pool4j.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The tasks of the comparison and the checksums they must add up to. The Python script ({@code
 * compare_pool.py}) has the same tasks: its spin loop gives the same values for the same iteration
 * count.
 */
final class Workloads {

  /** The tiny task: {@code x * x} on a boxed int (it wraps, as Java's int does). */
  static final Task<Integer, Integer> SQUARE = x -> x * x;

  /** The CPU-bound task: {@link #spin} iterations. */
  static final Task<Long, Long> SPIN = Workloads::spin;

  /** The sleeping task: sleeps its input in milliseconds and returns it. */
  static final Task<Integer, Integer> SLEEP =
      ms -> {
        if (ms > 0) {
          Thread.sleep(ms);
        }
        return ms;
      };

  private Workloads() {}

  /** A fixed integer loop (xorshift64); its result keeps the JIT from removing it. */
  static long spin(long n) {
    long x = 0x9E3779B97F4A7C15L;
    for (long i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return x;
  }

  /** Iterations of {@link #spin} that take about {@code millis} here, once warm. */
  static long calibrate(double millis) {
    long n = 1_000_000;
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 8; i++) {
      long t0 = System.nanoTime();
      spin(n);
      best = Math.min(best, System.nanoTime() - t0);
    }
    return Math.max(1, (long) (n * millis * 1e6 / Math.max(1, best)));
  }

  /**
   * How long {@code Thread.sleep(millis)} takes here, in milliseconds: the mean of {@code times}
   * sleeps. It bounds what a table of sleeping tasks can reach (timer slack makes it overshoot).
   */
  static double sleepMillis(int millis, int times) {
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < times; i++) {
        Thread.sleep(millis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while timing Thread.sleep", e);
    }
    return (System.nanoTime() - t0) / 1e6 / times;
  }

  /**
   * The sleeping inputs: item i sleeps {@code ms[min(i, last)]} milliseconds ({@code "10,200"}: the
   * first 10, the rest 200), or 0 for a warm-up run.
   */
  static List<Integer> sleeps(int n, String ms, boolean warm) {
    String[] parts = ms.split(",");
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      xs.add(warm ? 0 : Integer.parseInt(parts[Math.min(i, parts.length - 1)].trim()));
    }
    return xs;
  }

  /** The checksum of {@code x * x} over {@code 0..n-1}: Java's (int wraps) or Python's. */
  static long squaresChecksum(long n, boolean python) {
    long sum = 0;
    for (long x = 0; x < n; x++) {
      sum += python ? x * x : (long) ((int) x * (int) x);
    }
    return sum & CompareChild.MASK;
  }

  /** The checksum of the CPU-bound workload: {@code spin(iterations + i)} for i below n. */
  static long spinChecksum(int n, long iterations) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += spin(iterations + i);
    }
    return sum & CompareChild.MASK;
  }

  /** The checksum of the sleeping workloads: the sum of the sleeps. */
  static long sleepsChecksum(int n, String ms) {
    long sum = 0;
    for (int x : sleeps(n, ms, false)) {
      sum += x;
    }
    return sum & CompareChild.MASK;
  }
}
