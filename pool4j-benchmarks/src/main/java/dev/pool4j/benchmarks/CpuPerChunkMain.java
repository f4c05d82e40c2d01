package dev.pool4j.benchmarks;

import dev.pool4j.Pool;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU of a chunk goes, thread by thread: runs calls of chunk size 1 over a no-op task for
 * a while, and prints wall time and CPU time per chunk of this JVM, of each of its threads (grouped
 * by name, digits masked), and of its child processes (worker JVMs, cluster members). Issue 17: the
 * per-chunk cost of the one dispatcher thread of a plugged backend (a cluster's), measured where it
 * runs, and the share of the scheduler against the rest.
 *
 * <pre>
 * java -cp pool4j-benchmarks/target/benchmarks.jar dev.pool4j.benchmarks.CpuPerChunkMain \
 *     BACKEND MODE ITEMS SECONDS [WORKERS]
 * </pre>
 *
 * <p>{@code BACKEND}: {@code threads}, {@code processes}, {@code plugged}, {@code pluggedQueued}
 * (the no-op backends of {@link SchedulerBenchmark}), {@code cluster} (WORKERS loopback members of
 * one worker each, as {@link ClusterBenchmark}; run this JVM with {@link
 * LoopbackCluster#JVM_OPTIONS}), {@code clusterCapped} (the same, with the pool's {@code
 * workers(WORKERS)}: no chunk queued ahead on a member) or {@code roundTrip-N} (no pool: the bare
 * Hazelcast executor round trip of {@link BareRoundTrip} on such a cluster, at most N in flight;
 * MODE is ignored). {@code MODE}: {@code imap} or {@code map}. {@code ITEMS}: items (= chunks) per
 * call. {@code SECONDS}: of warm-up, and again of measurement. {@code WORKERS}: 2 by default.
 *
 * <p>A thread's CPU time is {@link ThreadMXBean#getThreadCpuTime}; a thread that ends during the
 * measurement is missed (none should: pools are built before). Child processes' CPU time is {@link
 * ProcessHandle.Info#totalCpuDuration()}; the JVM's own is its process CPU time, which counts the
 * JIT and GC threads that no Java thread shows.
 */
public final class CpuPerChunkMain {

  private CpuPerChunkMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println(
          "usage: CpuPerChunkMain threads|processes|plugged|pluggedQueued|cluster imap|map ITEMS"
              + " SECONDS [WORKERS]");
      System.exit(2);
    }
    String backend = args[0];
    String mode = args[1];
    int items = Integer.parseInt(args[2]);
    long nanos = Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
    int workers = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    if (!mode.equals("imap") && !mode.equals("map")) {
      throw new IllegalArgumentException("MODE must be imap or map, was " + mode);
    }
    List<Integer> inputs = Pools.inputs(items);
    LoopbackCluster cluster = null;
    Pool pool;
    switch (backend) {
      case "threads":
        pool = Pool.builder().threads().workers(workers).build();
        break;
      case "processes":
        pool = Pools.processes(workers);
        break;
      case "plugged":
        pool = Pool.builder().backend(new SchedulerBenchmark.Inline()).workers(workers).build();
        break;
      case "pluggedQueued":
        pool =
            Pool.builder().backend(new SchedulerBenchmark.Queued(workers)).workers(workers).build();
        break;
      case "cluster":
        cluster = new LoopbackCluster(workers, 1);
        pool = cluster.clientPool();
        break;
      case "clusterCapped":
        cluster = new LoopbackCluster(workers, 1);
        pool = cluster.clientPool(workers);
        break;
      default:
        if (backend.startsWith("roundTrip-")) {
          roundTripMain(backend, items, nanos, workers);
          return;
        }
        throw new IllegalArgumentException(
            "BACKEND must be threads, processes, plugged, pluggedQueued, cluster, clusterCapped"
                + " or roundTrip-N, was "
                + backend);
    }
    try {
      Pool p = pool;
      measure(backend, mode, workers, items, () -> run(p, mode, inputs, nanos));
    } finally {
      Pools.shutdown(pool);
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /**
   * {@code roundTrip-N}: the bare Hazelcast executor round trip ({@link BareRoundTrip}) with at
   * most N in flight, on {@code members} loopback members of one worker each.
   */
  private static void roundTripMain(String backend, int items, long nanos, int members)
      throws Exception {
    int inFlight = Integer.parseInt(backend.substring("roundTrip-".length()));
    try (LoopbackCluster cluster = new LoopbackCluster(members, 1);
        BareRoundTrip client = new BareRoundTrip(cluster.name, cluster.addresses(), members)) {
      measure(
          backend,
          "roundTrip",
          members,
          items,
          () -> {
            long sum = 0;
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
              sum += client.run(items, inFlight);
              chunks += items;
            }
            return sum;
          });
    }
  }

  /** Runs calls for a while and returns a checksum. */
  private interface Workload {
    long run() throws Exception;
  }

  /** Warms up with one run of the workload, then measures a second and prints the figures. */
  private static void measure(String backend, String mode, int workers, int items, Workload work)
      throws Exception {
    long sink = work.run(); // warm-up
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, String> names = new HashMap<>();
    Map<Long, Long> before = cpuByThread(threads, names);
    long processBefore = processCpu();
    long childrenBefore = childrenCpu();
    long[] kernelBefore = kernel(ProcessHandle.current().pid());
    long[] childKernelBefore = childrenKernel();
    long wall0 = System.nanoTime();
    long chunks0 = chunks;
    sink += work.run();
    long wall = System.nanoTime() - wall0;
    long done = chunks - chunks0;
    long process = processCpu() - processBefore;
    long children = childrenCpu() - childrenBefore;
    long[] kernelAfter = kernel(ProcessHandle.current().pid());
    long[] childKernelAfter = childrenKernel();
    Map<Long, Long> after = cpuByThread(threads, names);
    Map<String, long[]> groups = new TreeMap<>();
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      long cpu = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      String group = names.get(e.getKey()).replaceAll("-[0-9]+", "-#");
      long[] g = groups.computeIfAbsent(group, k -> new long[2]);
      g[0] += cpu;
      g[1]++;
    }
    System.out.printf(
        Locale.ROOT,
        "backend=%s mode=%s workers=%d items/call=%d chunks=%d (checksum %d)%n",
        backend,
        mode,
        workers,
        items,
        done,
        sink);
    System.out.printf(Locale.ROOT, "wall          %10.0f ns/chunk%n", (double) wall / done);
    System.out.printf(Locale.ROOT, "this JVM CPU  %10.0f ns/chunk%n", (double) process / done);
    System.out.printf(Locale.ROOT, "children CPU  %10.0f ns/chunk%n", (double) children / done);
    printKernel("this JVM", kernelBefore, kernelAfter, done);
    printKernel("children", childKernelBefore, childKernelAfter, done);
    System.out.println("thread group (count): CPU ns/chunk");
    groups.entrySet().stream()
        .filter(e -> e.getValue()[0] > 0)
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "  %-40s (%d) %10.0f%n",
                    e.getKey(),
                    e.getValue()[1],
                    (double) e.getValue()[0] / done));
  }

  /** Chunks run so far (one per item). */
  private static long chunks;

  /** Runs calls for about {@code nanos}; returns a checksum so nothing is optimised away. */
  private static long run(Pool pool, String mode, List<Integer> inputs, long nanos) {
    long sum = 0;
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      if (mode.equals("imap")) {
        for (Integer r : pool.imap(SchedulerBenchmark.IDENTITY, inputs, 1)) {
          sum += r;
        }
      } else {
        for (Integer r : pool.map(SchedulerBenchmark.IDENTITY, inputs, 1)) {
          sum += r;
        }
      }
      chunks += inputs.size();
    }
    return sum;
  }

  private static Map<Long, Long> cpuByThread(ThreadMXBean threads, Map<Long, String> names) {
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long t = threads.getThreadCpuTime(info.getThreadId());
      if (t >= 0) {
        cpu.put(info.getThreadId(), t);
        names.put(info.getThreadId(), info.getThreadName());
      }
    }
    return cpu;
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * From Linux's {@code /proc}: user and system CPU ticks of a process (all its threads) and the
   * context switches of its threads, voluntary (a thread blocked: a park, a read that waits) and
   * not; zeros where {@code /proc} cannot be read.
   */
  private static long[] kernel(long pid) {
    long[] k = new long[4];
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      k[0] = Long.parseLong(f[11]); // utime, field 14
      k[1] = Long.parseLong(f[12]); // stime, field 15
      try (DirectoryStream<Path> tasks =
          Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
        for (Path task : tasks) {
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              k[2] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
              k[3] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or a thread ended while read: the figures are partial
    }
    return k;
  }

  private static long[] childrenKernel() {
    long[] sum = new long[4];
    ProcessHandle.current()
        .descendants()
        .forEach(
            p -> {
              long[] k = kernel(p.pid());
              for (int i = 0; i < sum.length; i++) {
                sum[i] += k[i];
              }
            });
    return sum;
  }

  private static void printKernel(String who, long[] before, long[] after, long chunks) {
    long user = after[0] - before[0];
    long sys = after[1] - before[1];
    System.out.printf(
        Locale.ROOT,
        "%-13s user %d ticks, system %d ticks (%.0f%% system); context switches per chunk:"
            + " %.2f voluntary, %.2f involuntary%n",
        who,
        user,
        sys,
        user + sys == 0 ? 0.0 : 100.0 * sys / (user + sys),
        (double) (after[2] - before[2]) / chunks,
        (double) (after[3] - before[3]) / chunks);
  }

  private static long childrenCpu() {
    return ProcessHandle.current()
        .descendants()
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L).longValue())
        .sum();
  }
}
