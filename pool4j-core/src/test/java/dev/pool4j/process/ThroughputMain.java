package dev.pool4j.process;

import dev.pool4j.Pool;
import dev.pool4j.internal.process.ProcessBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Measures the two speed figures of worker processes (issue 4) on a pool of 2 worker JVMs: the cost
 * per item of {@code imap} with chunk size 1, and of {@code map} of {@code x -> x + 1} over
 * 1,000,000 boxed Integers with adaptive chunks. Each figure is measured {@code rounds} times in
 * one pool (the first rounds warm the JITs of both sides up and are left out); prints every round,
 * then the median and the range of the measured ones. Run from the module directory:
 *
 * <pre>
 * java -cp target/classes:target/test-classes dev.pool4j.process.ThroughputMain [rounds] [warm-up rounds] [imap items] [map items]
 * </pre>
 *
 * <p>An item count of 0 leaves that figure out. It also prints the CPU time the measured rounds
 * took per item, in this JVM and in the worker processes together: a figure that other load on the
 * machine disturbs less than the elapsed time (children's CPU time is read from /proc, in clock
 * ticks).
 */
public final class ThroughputMain {
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int imapItems = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    int mapItems = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
    List<Integer> imapInputs = IntStream.range(0, imapItems).boxed().collect(Collectors.toList());
    List<Integer> mapInputs = IntStream.range(0, mapItems).boxed().collect(Collectors.toList());
    List<Double> imap = new ArrayList<>();
    List<Double> map = new ArrayList<>();
    long[] cpuImap = new long[2];
    long[] cpuMap = new long[2];
    try (Pool pool = Pool.builder().processes().workers(2).build()) {
      ProcessBackend backend = Internals.backend(pool);
      for (int round = 0; round < warmup + rounds; round++) {
        long[] c0 = cpu(backend);
        long t0 = System.nanoTime();
        long sum = 0;
        for (int v : pool.imap(x -> x + 1, imapInputs, 1)) {
          sum += v;
        }
        long t1 = System.nanoTime();
        long[] c1 = cpu(backend);
        List<Integer> mapped = pool.map(x -> x + 1, mapInputs);
        long t2 = System.nanoTime();
        long[] c2 = cpu(backend);
        if (round >= warmup) {
          for (int k = 0; k < 2; k++) {
            cpuImap[k] += c1[k] - c0[k];
            cpuMap[k] += c2[k] - c1[k];
          }
        }
        if (mapped.size() != mapItems
            || (mapItems > 0 && mapped.get(mapItems - 1) != mapItems)
            || sum != (long) imapItems * (imapItems + 1) / 2) {
          throw new AssertionError("wrong results");
        }
        double imapMicros = (t1 - t0) / 1e3 / imapItems;
        double mapNanos = (double) (t2 - t1) / mapItems;
        System.out.printf(
            Locale.ROOT,
            "round %2d%s: imap chunksize 1 %6.2f us/item; map adaptive %7.1f ns/item%n",
            round,
            round < warmup ? " (warm-up)" : "",
            imapMicros,
            mapNanos);
        if (round >= warmup) {
          imap.add(imapMicros);
          map.add(mapNanos);
        }
      }
    }
    if (imapItems > 0) {
      System.out.printf(
          Locale.ROOT,
          "imap chunksize 1 over %d items: median %.2f us/item (%.2f .. %.2f) over %d rounds;"
              + " cpu %.2f us/item here + %.2f us/item in the workers%n",
          imapItems,
          median(imap),
          Collections.min(imap),
          Collections.max(imap),
          imap.size(),
          cpuImap[0] / 1e3 / imapItems / rounds,
          cpuImap[1] / 1e3 / imapItems / rounds);
    }
    if (mapItems > 0) {
      System.out.printf(
          Locale.ROOT,
          "map adaptive over %d items: median %.1f ns/item (%.1f .. %.1f) over %d rounds;"
              + " cpu %.1f ns/item here + %.1f ns/item in the workers%n",
          mapItems,
          median(map),
          Collections.min(map),
          Collections.max(map),
          map.size(),
          (double) cpuMap[0] / mapItems / rounds,
          (double) cpuMap[1] / mapItems / rounds);
    }
  }

  /** CPU nanoseconds used so far by this JVM, and by the pool's live worker processes. */
  private static long[] cpu(ProcessBackend backend) {
    long children = 0;
    for (long pid : backend.pids()) {
      children += cpu(pid);
    }
    return new long[] {cpu(ProcessHandle.current().pid()), children};
  }

  /** A process's user and system time from /proc, in nanoseconds (clock ticks of 10 ms). */
  private static long cpu(long pid) {
    try {
      String stat =
          java.nio.file.Files.readString(
              java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime: fields 14 and 15 of stat, 12 and 13 after the command
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    } catch (java.io.IOException | RuntimeException e) {
      return 0; // gone meanwhile
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
