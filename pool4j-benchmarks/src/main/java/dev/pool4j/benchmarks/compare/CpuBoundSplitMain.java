package dev.pool4j.benchmarks.compare;

import dev.pool4j.Insights;
import dev.pool4j.Pool;
import dev.pool4j.Results;
import dev.pool4j.benchmarks.LoopbackCluster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the cluster's CPU-bound speedup goes (issue 17): the comparison's CPU-bound workload (64
 * items of about 10 ms of {@link Workloads#spin}) on worker processes ({@code processes()}, 2
 * workers) and on a loopback cluster of 2 member JVMs x 1 worker reached as a client, alternating,
 * each call followed by its {@link Insights}: wall time, the busy time of each worker, its chunks
 * and its longest chunk, so that a slower call shows whether the workers were slower per item (busy
 * time up: CPU taken by something else) or idle (chunking, hand-offs, the tail).
 *
 * <pre>
 * java -cp benchmarks.jar dev.pool4j.benchmarks.compare.CpuBoundSplitMain ROUNDS [MS_PER_ITEM [WARMUP_S]]
 * </pre>
 *
 * <p>The sequential time of the same 64 items is measured in this JVM before each round; the
 * speedup is sequential / pool wall time, as in the comparison (where each is a fresh JVM).
 */
public final class CpuBoundSplitMain {

  private CpuBoundSplitMain() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    double ms = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    long warmupNanos = (long) ((args.length > 2 ? Double.parseDouble(args[2]) : 3) * 1e9);
    int n = 64;
    long iterations = calibrate(ms);
    List<Long> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      xs.add(iterations + i);
    }
    System.out.printf(Locale.ROOT, "iterations per item %d (about %.1f ms)%n", iterations, ms);
    try (LoopbackCluster cluster = new LoopbackCluster(2, 1);
        Pool processes = Pool.builder().processes().workers(2).build();
        Pool onCluster = cluster.clientPool()) {
      // warm up: the JIT of every JVM, for at least 3 s each by default, as the comparison does
      for (Pool p : List.of(processes, onCluster)) {
        long until = System.nanoTime() + warmupNanos;
        while (System.nanoTime() < until) {
          p.map(Workloads.SPIN, xs);
        }
      }
      Map<String, Map<String, Long>> totals = new TreeMap<>();
      Map<String, Integer> calls = new HashMap<>();
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        long check = 0;
        for (long x : xs) {
          check += Workloads.spin(x);
        }
        double sequential = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "round %d: sequential %.3f s (%d)%n", r, sequential, check);
        for (String name :
            r % 2 == 0 ? List.of("processes", "cluster") : List.of("cluster", "processes")) {
          Pool p = name.equals("processes") ? processes : onCluster;
          Map<String, Long> threads0 = threadTicks();
          long cpu0 = ownCpu();
          long w0 = System.nanoTime();
          Results<Long> results = p.imap(Workloads.SPIN, xs);
          long sum = 0;
          for (Long v : results) {
            sum += v;
          }
          double wall = (System.nanoTime() - w0) / 1e9;
          long cpu = ownCpu() - cpu0;
          if (sum != check) {
            throw new IllegalStateException("wrong checksum on " + name);
          }
          Map<String, Long> threads1 = threadTicks();
          Map<String, Long> split = totals.computeIfAbsent(name, k -> new TreeMap<>());
          threads1.forEach((k, v) -> split.merge(k, v - threads0.getOrDefault(k, 0L), Long::sum));
          calls.merge(name, 1, Integer::sum);
          Insights in = results.insights();
          System.out.printf(
              Locale.ROOT,
              "  %-9s wall %.3f s, speedup %.2f, this JVM's CPU %.1f ms; busy %.3f s over %d workers%n",
              name,
              wall,
              sequential / wall,
              cpu / 1e6,
              in.busyTime().toNanos() / 1e9,
              in.workers().size());
          for (Insights.WorkerStats w : in.workers()) {
            System.out.printf(
                Locale.ROOT,
                "    %-40s busy %.3f s, idle %.3f s, chunks' items %d, mean %.1f ms, max %.1f ms%n",
                w.name(),
                w.busy().toNanos() / 1e9,
                w.idle().toNanos() / 1e9,
                w.tasks(),
                w.meanTask().toNanos() / 1e6,
                w.maxTask().toNanos() / 1e6);
            StringBuilder line =
                new StringBuilder("      chunks (ms from the call's start, items):");
            for (Insights.Span span : in.spans()) {
              if (span.workerId() == w.id()) {
                line.append(
                    String.format(
                        Locale.ROOT,
                        " %.0f-%.0f(%d)",
                        span.startNanos() / 1e6,
                        span.endNanos() / 1e6,
                        span.items()));
              }
            }
            System.out.println(line);
          }
        }
      }
      System.out.println(
          "CPU per call by JVM and thread group (ms; /proc ticks of 10 ms summed over the calls,"
              + " groups under 1 ms left out):");
      totals.forEach(
          (name, split) -> {
            System.out.println("  " + name + " (" + calls.get(name) + " calls):");
            split.entrySet().stream()
                .filter(e -> e.getValue() * 10.0 / calls.get(name) >= 1)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(
                    e ->
                        System.out.printf(
                            Locale.ROOT,
                            "    %-50s %8.1f%n",
                            e.getKey(),
                            e.getValue() * 10.0 / calls.get(name)));
          });
    }
  }

  /**
   * CPU ticks (user + system) of every thread of this JVM and of its child processes, by JVM
   * ("client" or the child's pid) and thread name with digits masked, from Linux's /proc.
   */
  private static Map<String, Long> threadTicks() {
    Map<String, Long> ticks = new HashMap<>();
    List<ProcessHandle> jvms = new ArrayList<>();
    jvms.add(ProcessHandle.current());
    ProcessHandle.current().descendants().forEach(jvms::add);
    for (ProcessHandle h : jvms) {
      String who = h.pid() == ProcessHandle.current().pid() ? "this JVM" : "child " + h.pid();
      try (DirectoryStream<Path> tasks =
          Files.newDirectoryStream(Path.of("/proc/" + h.pid() + "/task"))) {
        for (Path task : tasks) {
          try {
            String stat = Files.readString(task.resolve("stat"));
            String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            ticks.merge(who + ": " + comm.replaceAll("[0-9]+", "#"), t, Long::sum);
          } catch (IOException | RuntimeException e) {
            // a thread that ended meanwhile
          }
        }
      } catch (IOException e) {
        // a process that ended meanwhile
      }
    }
    return ticks;
  }

  private static long ownCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Iterations of {@link Workloads#spin} that take about {@code ms} here, once warm. */
  private static long calibrate(double ms) {
    long iterations = 100_000;
    for (int i = 0; i < 40; i++) {
      long t0 = System.nanoTime();
      Workloads.spin(iterations);
      long t = System.nanoTime() - t0;
      iterations = Math.max(1000, (long) (iterations * (ms * 1e6 / Math.max(1, t))));
    }
    return iterations;
  }
}
