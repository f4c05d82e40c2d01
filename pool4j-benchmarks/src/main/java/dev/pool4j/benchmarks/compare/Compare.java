package dev.pool4j.benchmarks.compare;

import dev.pool4j.benchmarks.LoopbackCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The side-by-side comparison (issues 5 and 6): every workload on every contender, in rounds that
 * alternate the contenders, each measurement in a JVM (or Python interpreter) of its own; writes
 * {@code benchmarks.md} and one PNG chart per table to {@code --out} (default {@code docs}).
 *
 * <pre>
 * java -cp pool4j-benchmarks/target/benchmarks.jar dev.pool4j.benchmarks.compare.Compare \
 *     [--rounds 5] [--warmup 2] [--warmup-seconds 3] [--quick] \
 *     [--only tiny,cpu,tutorial,streaming,memory,first,scale,startup] \
 *     [--contenders pool4j-threads,python,...] [--out docs] [--heap 2g] [--timeout 180]
 * </pre>
 *
 * <p>How it measures: round r runs each contender of a table once, in an order shuffled per round,
 * so that drift of the machine hits all of them alike. Each run is a fresh child JVM ({@link
 * CompareChild}, fixed heap {@code -Xms2g -Xmx2g -XX:+AlwaysPreTouch}) that builds its contender,
 * runs the workload {@code --warmup} times unmeasured (and, on the tiny and CPU-bound tables, for
 * at least {@code --warmup-seconds}, so that the JIT of worker JVMs is done too) and once measured;
 * Python runs are {@code python3 compare_pool.py} the same way. Every run returns a checksum of its
 * results that must equal the expected one, else its row says WRONG. The memory table instead
 * searches the smallest {@code -Xmx} of a ladder at which each Java contender completes, once. The
 * first-call and start-up tables run cold (no warm-up: their call is the child's first); the scale
 * and start-up tables have a row per contender and worker count ({@link Measure.Row#workers}).
 */
public final class Compare {

  static final Pattern RESULT = Pattern.compile("\"(\\w+)\": ([-0-9.eE]+)");
  static final String[] LADDER = {"8m", "16m", "32m", "64m", "128m", "256m", "512m", "1g"};
  static final String[] QUICK_LADDER = {"16m", "64m"};
  static final String[] WORKLOADS = {
    "tiny", "cpu", "tutorial", "streaming", "memory", "first", "scale", "startup"
  };

  /** Worker counts of the scale table; in quick mode fewer. */
  static final int[] SCALE_WORKERS = {1, 10, 100, 1_000};

  static final int[] QUICK_SCALE_WORKERS = {10, 1_000};

  /** The scale table's fixed heap (see its note). */
  static final String SCALE_HEAP = "256m";

  /** Worker processes of the start-up table; in quick mode fewer. */
  static final int[] STARTUP_WORKERS = {2, 8, 16};

  static final int[] QUICK_STARTUP_WORKERS = {2, 4};

  /** Settings of one run. */
  static final class Options {
    int rounds = 5;
    int warmup = 2;

    /**
     * The least time a Java child warms up for on the tiny and CPU-bound tables, calls beyond
     * {@link #warmup} included: the JIT of a pool's worker JVMs needs several calls before their
     * code is compiled, as it does in the parent.
     */
    double warmupSeconds = 3;

    boolean quick;
    Set<String> only = new LinkedHashSet<>(Arrays.asList(WORKLOADS));
    Set<String> contenders;
    Path out = Paths.get("docs");
    String heap = "2g";
    int timeoutSeconds = 180;
    String python = "python3";
    List<String> args = List.of();

    static Options parse(String... args) {
      Options o = new Options();
      o.args = List.of(args);
      boolean heapSet = false;
      boolean roundsSet = false;
      boolean warmupSet = false;
      boolean warmupSecondsSet = false;
      boolean timeoutSet = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--rounds":
            o.rounds = Integer.parseInt(args[++i]);
            roundsSet = true;
            break;
          case "--warmup":
            o.warmup = Integer.parseInt(args[++i]);
            warmupSet = true;
            break;
          case "--warmup-seconds":
            o.warmupSeconds = Double.parseDouble(args[++i]);
            warmupSecondsSet = true;
            break;
          case "--quick":
            o.quick = true;
            break;
          case "--only":
            o.only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
            for (String w : o.only) {
              if (!Arrays.asList(WORKLOADS).contains(w)) {
                throw new IllegalArgumentException(
                    "--only: unknown workload " + w + "; known: " + String.join(",", WORKLOADS));
              }
            }
            break;
          case "--contenders":
            o.contenders = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
            for (String c : o.contenders) {
              if (Report.LABELS.keySet().stream()
                  .noneMatch(id -> id.equals(c) || id.startsWith(c + "-"))) {
                throw new IllegalArgumentException(
                    "--contenders: unknown contender "
                        + c
                        + "; known: "
                        + String.join(",", new TreeSet<>(Report.LABELS.keySet()))
                        + " (or a prefix: pool4j, python, parallel)");
              }
            }
            break;
          case "--out":
            o.out = Paths.get(args[++i]);
            break;
          case "--heap":
            o.heap = args[++i];
            heapSet = true;
            break;
          case "--timeout":
            o.timeoutSeconds = Integer.parseInt(args[++i]);
            timeoutSet = true;
            break;
          case "--python":
            o.python = args[++i];
            break;
          default:
            throw new IllegalArgumentException(
                "unknown argument "
                    + a
                    + "; usage: Compare [--rounds N] [--warmup N]"
                    + " [--warmup-seconds S] [--quick]"
                    + " [--only workload,..] [--contenders id,..] [--out DIR] [--heap 2g]"
                    + " [--timeout S] [--python python3]");
        }
      }
      if (o.quick) {
        o.rounds = roundsSet ? o.rounds : 1;
        o.warmup = warmupSet ? o.warmup : 0;
        o.warmupSeconds = warmupSecondsSet ? o.warmupSeconds : 0;
        o.heap = heapSet ? o.heap : "256m";
        o.timeoutSeconds = timeoutSet ? o.timeoutSeconds : 60;
      }
      if (o.rounds < 1 || o.warmup < 0 || !(o.warmupSeconds >= 0)) {
        throw new IllegalArgumentException(
            "--rounds must be >= 1, --warmup >= 0 and --warmup-seconds >= 0");
      }
      return o;
    }

    /**
     * Whether a contender id was selected: by id, or by a prefix ({@code python}, {@code pool4j}).
     */
    boolean selected(String id) {
      if (contenders == null) {
        return true;
      }
      for (String c : contenders) {
        if (id.equals(c) || id.startsWith(c + "-")) {
          return true;
        }
      }
      return false;
    }
  }

  /** What a run leaves: the tables, and the facts the report states. */
  static final class Outcome {
    final List<Measure> measures = new ArrayList<>();
    String loadStart;
    String loadEnd;
    double elapsedSeconds;
    String pythonVersion;
    long javaIterations;
    long pythonIterations;
    Path report;
    List<Path> charts = new ArrayList<>();

    /** Rows whose results were wrong, as {@code table/contender: status}. */
    List<String> wrongRows() {
      List<String> wrong = new ArrayList<>();
      for (Measure m : measures) {
        for (Measure.Row r : m.rows.values()) {
          if (r.wrong()) {
            wrong.add(m.id + "/" + r.contender + ": " + r.status);
          }
        }
      }
      return wrong;
    }
  }

  /** Every child and member started and not yet ended, for the shutdown hook. */
  static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  private final Options options;
  private final String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  private final String classPath = System.getProperty("java.class.path");
  private Path script;
  private LoopbackCluster cluster;

  private Compare(Options options) {
    this.options = options;
  }

  /**
   * Runs the comparison and writes the report.
   *
   * @param args see the class notes
   * @throws Exception when the report cannot be written
   */
  public static void main(String[] args) throws Exception {
    Outcome outcome = run(args);
    System.out.println("report: " + outcome.report.toAbsolutePath());
    List<String> wrong = outcome.wrongRows();
    if (!wrong.isEmpty()) {
      System.err.println("WRONG results: " + wrong);
      System.exit(1);
    }
  }

  /** Runs the comparison in this JVM (the smoke test's entry point). */
  static Outcome run(String... args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Options options = Options.parse(args);
    return new Compare(options).runAll();
  }

  private Outcome runAll() throws Exception {
    // stopped with Ctrl-C or a kill, the harness takes its children and members with it
    Thread hook = new Thread(Compare::killLive, "compare-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return measureAll();
    } finally {
      killLive();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  static void killLive() {
    for (Process p : LIVE) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  private Outcome measureAll() throws Exception {
    Outcome outcome = new Outcome();
    long start = System.nanoTime();
    outcome.loadStart = Machine.loadAverage();
    outcome.pythonVersion = Machine.pythonVersion(options.python);
    try {
      if (outcome.pythonVersion != null) {
        script = Files.createTempFile("compare_pool", ".py");
        try (InputStream in = Compare.class.getResourceAsStream("compare_pool.py")) {
          Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      outcome.javaIterations = Workloads.calibrate(options.quick ? 2 : 10);
      outcome.pythonIterations = outcome.pythonVersion == null ? 0 : pythonIterations();
      if (options.quick && outcome.pythonIterations > 0) {
        outcome.pythonIterations = Math.max(1, outcome.pythonIterations / 5);
      }
      if (options.selected("pool4j-processes")) {
        primeClassDataSharing();
      }
      for (Measure m : plan(outcome)) {
        if (!options.only.contains(m.workload)) {
          continue;
        }
        m.rows.values().removeIf(r -> !options.selected(r.contender));
        if (m.rows.isEmpty()) {
          continue;
        }
        outcome.measures.add(m);
        log("== " + m.id + ": " + m.title);
        long t0 = System.nanoTime();
        if (m.id.equals("memory")) {
          runLadders(m, outcome);
        } else {
          runRounds(m, outcome);
        }
        log(String.format(Locale.ROOT, "   (%s: %.1f s)", m.id, (System.nanoTime() - t0) / 1e9));
      }
    } finally {
      if (script != null) {
        Files.deleteIfExists(script);
      }
    }
    outcome.loadEnd = Machine.loadAverage();
    outcome.elapsedSeconds = (System.nanoTime() - start) / 1e9;
    Report.write(outcome, options);
    return outcome;
  }

  /** The Java contenders, in the report's order: the baseline, pool4j's backends, the peers. */
  private static final List<String> JAVA_CONTENDERS =
      List.of(
          "sequential",
          "pool4j-threads",
          "pool4j-virtual",
          "pool4j-processes",
          "pool4j-cluster",
          "parallel-streams",
          "executor",
          "parallel-collectors");

  /** The contenders of the {@code map} tables (tiny and CPU-bound). */
  private static final String[] MAP_CONTENDERS =
      javaAnd("parallel-collectors-batching", "python-sequential", "python-map");

  /** Every Java contender, then {@code more}. */
  private static String[] javaAnd(String... more) {
    List<String> all = new ArrayList<>(JAVA_CONTENDERS);
    all.addAll(Arrays.asList(more));
    return all.toArray(new String[0]);
  }

  /** {@code ids} without {@code left}. */
  private static String[] except(String[] ids, String... left) {
    List<String> kept = new ArrayList<>(Arrays.asList(ids));
    kept.removeAll(Arrays.asList(left));
    return kept.toArray(new String[0]);
  }

  /** The tables, their contenders and sizes. */
  private List<Measure> plan(Outcome outcome) {
    boolean q = options.quick;
    List<Measure> plan = new ArrayList<>();
    Measure tinyMap =
        new Measure("tiny-map", "tiny", "tiny tasks: map of x * x", "ns/item", false)
            .contenders(MAP_CONTENDERS);
    tinyMap.n = q ? 20_000 : 1_000_000;
    // a future and a dispatch per item: about 20 µs each here, minutes for a million
    tinyMap.itemsFor.put("parallel-collectors", tinyMap.n / 20);
    tinyMap.note =
        String.format(
            Locale.ROOT,
            "`map` of `x * x` over %,d boxed ints with default settings (pool4j: adaptive chunks;"
                + " Python: its default chunk size), in nanoseconds per item. parallel-collectors"
                + " without batching runs %,d items (it takes about 20 µs an item here).",
            tinyMap.n,
            tinyMap.itemsFor.get("parallel-collectors"));
    plan.add(tinyMap);

    Measure tinyImap =
        new Measure("tiny-imap", "tiny", "tiny tasks: imap, chunk size 1", "µs/item", false)
            .contenders(
                "sequential",
                "pool4j-threads",
                "pool4j-virtual",
                "pool4j-processes",
                "pool4j-cluster",
                "executor",
                "parallel-collectors",
                "python-sequential",
                "python-imap",
                "python-imap-unordered");
    tinyImap.n = q ? 2_000 : 20_000;
    tinyImap.nSlow = q ? 300 : 5_000;
    tinyImap.pythonChunksize = 1;
    tinyImap.note =
        String.format(
            Locale.ROOT,
            "`imap` of `x * x` with chunk size 1, every result consumed in order, in microseconds"
                + " per item: %,d items on threads, %,d on worker processes, the cluster and Python."
                + " ExecutorService: one future per item, taken in order; parallel-collectors:"
                + " `parallelToOrderedStream`.",
            tinyImap.n,
            tinyImap.nSlow);
    plan.add(tinyImap);

    Measure cpu =
        new Measure("cpu", "cpu", "CPU-bound tasks: speedup over sequential", "x", true)
            .contenders(MAP_CONTENDERS);
    cpu.n = q ? 8 : 64;
    cpu.note =
        String.format(
            Locale.ROOT,
            "`map` over %d items of a fixed integer loop of about %d ms each (Java: %,d iterations,"
                + " calibrated once by the harness; Python calibrates its own loop: %,d"
                + " iterations), default workers (%d CPUs); speedup = median sequential time /"
                + " the contender's time, each language against its own sequential loop.",
            cpu.n,
            q ? 2 : 10,
            outcome.javaIterations,
            outcome.pythonIterations,
            Runtime.getRuntime().availableProcessors());
    plan.add(cpu);

    Measure t3 =
        new Measure("tutorial-3", "tutorial", "tutorial: sleeps of 0.1, 0.5, 0.3 s", "s", false)
            .contenders(javaAnd("python-sequential", "python-map"));
    t3.n = 3;
    t3.ms = q ? "10,50,30" : "100,500,300";
    t3.workers = 3;
    t3.note =
        "`map` of three tasks sleeping "
            + t3.ms
            + " ms on 3 workers (parallel streams: the common pool, which it cannot size);"
            + " wall time in seconds against the longest task.";
    plan.add(t3);

    Measure sleep =
        new Measure(
                "tutorial-sleep",
                "tutorial",
                "tutorial: tasks sleeping 10 ms on 2 workers",
                "s",
                false)
            .contenders(
                "sequential",
                "pool4j-threads",
                "pool4j-processes",
                "pool4j-cluster",
                "executor",
                "parallel-collectors",
                "python-sequential",
                "python-map");
    sleep.n = q ? 20 : 200;
    sleep.ms = q ? "5" : "10";
    sleep.workers = 2;
    sleep.note =
        String.format(
            Locale.ROOT,
            "`map` of %d tasks sleeping %s ms on 2 workers (expected %.2f s). The tutorial's"
                + " 1,000 tasks (5 s a run) are scaled to %d to keep the run short.",
            sleep.n,
            sleep.ms,
            sleep.n * Integer.parseInt(sleep.ms) / 2 / 1000.0,
            sleep.n);
    plan.add(sleep);

    Measure virtual =
        new Measure(
                "tutorial-virtual",
                "tutorial",
                "tutorial: tasks sleeping 10 ms on 1,000 threads",
                "s",
                false)
            .contenders(
                "pool4j-virtual",
                "pool4j-cluster",
                "executor",
                "parallel-collectors",
                "python-threadpool");
    virtual.n = q ? 100 : 1_000;
    virtual.ms = q ? "5" : "10";
    virtual.workers = virtual.n;
    virtual.virtual = true;
    virtual.note =
        String.format(
            Locale.ROOT,
            "`map` of %,d tasks sleeping %s ms, all at once: pool4j on virtual threads with"
                + " `workers(%d)`, an ExecutorService and parallel-collectors on a virtual thread"
                + " per task, Python's `ThreadPool(%d)`. Sequentially it would take %.1f s.",
            virtual.n,
            virtual.ms,
            virtual.n,
            virtual.n,
            virtual.n * Integer.parseInt(virtual.ms) / 1000.0);
    plan.add(virtual);

    Measure streaming =
        new Measure("streaming", "streaming", "streaming: time to the first result", "ms", false)
            .contenders(javaAnd("python-sequential", "python-imap", "python-imap-unordered"));
    streaming.n = q ? 4 : 8;
    streaming.ms = q ? "2,20" : "10,200";
    streaming.workers = 2;
    streaming.pythonChunksize = 1;
    streaming.note =
        String.format(
            Locale.ROOT,
            "`imap` (chunk size 1) of %d tasks on 2 workers, the first sleeping %s ms and the rest"
                + " %s ms: milliseconds until the first result is in the caller's hands."
                + " Parallel streams: `forEachOrdered` on the common pool.",
            streaming.n,
            streaming.ms.split(",")[0],
            streaming.ms.split(",")[1]);
    plan.add(streaming);

    int lazy = q ? 200_000 : 10_000_000;
    Measure memory =
        new Measure(
                "memory",
                "memory",
                String.format(Locale.ROOT, "memory: imap over %,d lazy items", lazy),
                "MiB",
                false)
            .contenders(
                javaAnd("parallel-collectors-batching", "python-sequential", "python-imap"));
    memory.n = lazy;
    memory.pythonChunksize = 1000;
    memory.note =
        String.format(
            Locale.ROOT,
            "`x * x` over %,d items generated lazily (an Iterator, never a list), each result"
                + " consumed and dropped. Java: the smallest `-Xmx` of %s (with `-XX:+UseSerialGC"
                + " -XX:+ExitOnOutOfMemoryError`) at which the JVM completes, searched once;"
                + " pool4j `imap` with adaptive chunks (worker processes: the pool's own JVM;"
                + " its workers have their own heaps), parallel streams"
                + " `forEach` over the iterator's spliterator, ExecutorService `invokeAll` (it"
                + " needs every task in a list), parallel-collectors `parallelToOrderedStream`"
                + " over `Stream.iterate(..).limit(n)`. Python: peak RSS of the parent process"
                + " (`VmHWM`) for `imap` with chunk size %d (chunk size 1 would take minutes); an RSS is the whole"
                + " process, interpreter included, not a heap limit: compare with care.",
            memory.n,
            String.join(",", options.quick ? QUICK_LADDER : LADDER),
            memory.pythonChunksize);
    plan.add(memory);

    Measure first =
        new Measure("first", "first", "the first call: map of x * x in a fresh JVM", "ms", false)
            .contenders(
                except(javaAnd("python-map"), "pool4j-cluster", "executor", "parallel-collectors"));
    first.n = q ? 20_000 : 1_000_000;
    first.extraRemark = "pool ready after %s s, excluded";
    first.note =
        String.format(
            Locale.ROOT,
            "The first `map` of `x * x` over %,d boxed ints in a fresh JVM (or Python"
                + " interpreter), with no warm-up and no `System.gc()` before it, in milliseconds:"
                + " the JIT has compiled nothing of the call yet. Start-up is excluded and stated"
                + " beside each figure: the child builds the pool and waits until every worker is"
                + " ready (worker processes: until each worker JVM is connected, polled without"
                + " running a call; Python: until every worker has run its initializer), then"
                + " builds the inputs and times the call. Parallel streams' first call includes"
                + " the common pool's start, which is part of it; the sequential row is a"
                + " for-loop's first run.",
            first.n);
    plan.add(first);

    int[] scaleWorkers = q ? QUICK_SCALE_WORKERS : SCALE_WORKERS;
    Measure scale =
        new Measure("scale", "scale", "scale with workers: tasks sleeping 1 ms", "%", true)
            .contenders(
                scaleWorkers,
                "pool4j-virtual",
                "pool4j-threads",
                "executor",
                "parallel-collectors",
                "python-threadpool");
    scale.ms = "1";
    scale.heap = SCALE_HEAP;
    StringBuilder sizes = new StringBuilder();
    for (int w : scaleWorkers) {
      int tasks = scaleTasks(w, q);
      for (Measure.Row row : scale.rows.values()) {
        if (row.workers == w) {
          row.items = tasks;
        }
      }
      sizes.append(
          String.format(
              Locale.ROOT, "%s%,d tasks on %,d", sizes.length() > 0 ? ", " : "", tasks, w));
    }
    double sleepMs = Workloads.sleepMillis(1, 100);
    scale.note =
        String.format(
            Locale.ROOT,
            "`map` of tasks sleeping 1 ms on N workers, as efficiency = ideal time / measured"
                + " time, ideal = tasks x 1 ms / N (higher is better): %s workers (fewer tasks at"
                + " small N, so that a run takes about %s s at most). pool4j: `workers(N)` on"
                + " virtual or platform threads; ExecutorService: `newFixedThreadPool(N)` and"
                + " `invokeAll`, one task per item; parallel-collectors: `parallel(f, executor,"
                + " N)` on a fixed pool of N; Python: `ThreadPool(N).map`. The vs column compares"
                + " with pool4j on platform threads at the same N. `Thread.sleep(1)` itself takes"
                + " %.3f ms here (mean of 100 in the harness), which caps a Java row's efficiency"
                + " near %.0f%%. Its JVMs run with `-Xms%s -Xmx%s` instead of the others' heap:"
                + " sleeping tasks need little, and pre-touching 2 GB took 1.5 to 3 s per JVM on"
                + " this machine under load, for each of the table's many runs.",
            sizes,
            Report.format(scaleTasks(scaleWorkers[0], q) / (double) scaleWorkers[0] / 1000),
            sleepMs,
            100 / sleepMs,
            scale.heap,
            scale.heap);
    plan.add(scale);

    int[] startupWorkers = q ? QUICK_STARTUP_WORKERS : STARTUP_WORKERS;
    Measure startup =
        new Measure("startup", "startup", "start-up: until every worker is ready", "s", false)
            .contenders(startupWorkers, "pool4j-processes", "python-map");
    for (Measure.Row row : startup.rows.values()) {
      row.items = row.workers;
    }
    startup.pythonChunksize = 1;
    startup.reference = "pool4j-processes";
    startup.extraRemark = "results of its tasks after %s s";
    startup.note =
        String.format(
            Locale.ROOT,
            "Seconds from before a fresh JVM builds a pool of N worker processes (%s) until every"
                + " worker JVM is ready, polled every millisecond without running a call; Python:"
                + " from before `Pool(N)` until every worker has run its initializer (a `Barrier`"
                + " of N + 1 that the parent joins). Beside each figure: the time from the same"
                + " start to the results of a first `map` of N tasks `x * x` (Python: chunk size"
                + " 1), whose answers are checked. The vs column compares with pool4j at the"
                + " same N.",
            Arrays.stream(startupWorkers)
                .mapToObj(Integer::toString)
                .collect(Collectors.joining(", ")));
    plan.add(startup);
    return plan;
  }

  /** Tasks of the scale table on {@code workers}: about 0.2 s of sleeps, 10,000 at most. */
  static int scaleTasks(int workers, boolean quick) {
    return quick ? Math.min(1_000, 20 * workers) : Math.min(10_000, 200 * workers);
  }

  /** Rounds of one table: each contender once per round, in an order shuffled per round. */
  private void runRounds(Measure m, Outcome outcome) throws Exception {
    List<Measure.Row> active = new ArrayList<>();
    for (Measure.Row row : m.rows.values()) {
      row.status = unavailable(m, row.contender, outcome);
      if (row.status == null) {
        active.add(row);
      }
    }
    Random random = new Random(m.id.hashCode());
    for (int round = 0; round < options.rounds; round++) {
      List<Measure.Row> order = new ArrayList<>(active);
      Collections.shuffle(order, random);
      for (Measure.Row row : order) {
        if (row.status != null) {
          continue;
        }
        String c = row.contender;
        Run run;
        if (c.startsWith("python")) {
          run = runPython(m, row, outcome);
        } else if (c.equals("pool4j-cluster")) {
          try {
            run = runOnFreshCluster(m, row, outcome);
          } catch (IllegalStateException e) {
            row.status = "failed: " + e.getMessage();
            continue;
          }
        } else {
          run = runJava(m, row, outcome, jvmOptions(m, c), options.timeoutSeconds);
        }
        record(m, row, run, expected(m, row, outcome));
      }
    }
  }

  /**
   * Runs a cluster measurement on members started for it and stopped after it, like every other
   * contender's fresh JVMs: idle members kept up through a table would take some CPU (heartbeats,
   * about 2% of this 2-core machine) from every other contender's runs.
   */
  private Run runOnFreshCluster(Measure m, Measure.Row row, Outcome outcome) throws Exception {
    try (LoopbackCluster fresh = new LoopbackCluster(2, 1)) {
      cluster = fresh;
      return runJava(m, row, outcome, jvmOptions(m, row.contender), options.timeoutSeconds);
    } finally {
      cluster = null;
    }
  }

  /** Turns a run into a value in the table's unit, or a status. */
  private void record(Measure m, Measure.Row row, Run run, long expected) {
    if (run.status != null) {
      row.status = run.status;
      log("   " + row.key + ": " + run.status);
      return;
    }
    long checksum = run.getLong("checksum");
    if (checksum != expected) {
      row.status = "WRONG: checksum " + checksum + ", expected " + expected;
      log("   " + row.key + ": " + row.status);
      return;
    }
    double seconds = run.get("seconds");
    int n = m.items(row);
    double value;
    switch (m.id) {
      case "tiny-map":
        value = seconds * 1e9 / n;
        break;
      case "tiny-imap":
        value = seconds * 1e6 / n;
        break;
      case "streaming":
        value = run.get("first") * 1e3;
        break;
      case "first":
        value = seconds * 1e3;
        if (!row.contender.equals("sequential") && !row.contender.equals("parallel-streams")) {
          // the pools' start-up, excluded from the call; a loop and the common pool have none
          row.extra.add(run.get("startup"));
        }
        break;
      case "scale":
        // ideal / measured, in percent: n sleeps of ms milliseconds spread over the workers
        value = 100 * n * Double.parseDouble(m.ms) / 1e3 / m.workers(row) / seconds;
        break;
      case "startup":
        value = run.get("startup");
        row.extra.add(value + seconds);
        break;
      default:
        value = seconds;
    }
    row.values.add(value);
    row.seconds.add(seconds);
    log(
        String.format(
            Locale.ROOT,
            "   %-30s %12.4f %s",
            row.key,
            value,
            m.id.equals("cpu") ? "s (speedups are computed at the end)" : m.unit));
  }

  /** Why a contender cannot run a table here, or null when it can. */
  private String unavailable(Measure m, String c, Outcome outcome) {
    boolean java21 = Runners.hasVirtualThreads();
    if (c.equals("pool4j-cluster")
        && !Arrays.asList("tiny-map", "tiny-imap", "cpu").contains(m.id)) {
      return "not run (the cluster runs the tiny and CPU-bound workloads only)";
    }
    if (c.equals("pool4j-virtual") || (m.virtual && c.equals("executor"))) {
      if (!java21) {
        return "needs Java 21";
      }
    }
    if (c.startsWith("parallel-collectors")) {
      if (!java21) {
        return "needs Java 21";
      }
      if (Compare.class.getResource("ParallelCollectorsRunner.class") == null
          || Compare.class.getResource("/com/pivovarit/collectors/ParallelCollectors.class")
              == null) {
        return "not built (the benchmarks module must be built on a JDK 21+)";
      }
    }
    if (c.startsWith("python") && outcome.pythonVersion == null) {
      return "python3 not found";
    }
    return null;
  }

  private List<String> jvmOptions(Measure m, String contender) {
    String heap = m.heap != null ? m.heap : options.heap;
    List<String> opts =
        new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"));
    if (contender.equals("pool4j-cluster")) {
      opts.addAll(LoopbackCluster.JVM_OPTIONS);
      // see the README's cluster notes: executor futures complete through the common pool
      opts.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
    }
    return opts;
  }

  /** The checksum a row's run must return. */
  private long expected(Measure m, Measure.Row row, Outcome outcome) {
    boolean python = row.contender.startsWith("python");
    int n = m.items(row);
    switch (m.id) {
      case "tiny-map":
      case "tiny-imap":
      case "memory":
      case "first":
      case "startup":
        return Workloads.squaresChecksum(n, python);
      case "cpu":
        return Workloads.spinChecksum(
            n, python ? outcome.pythonIterations : outcome.javaIterations);
      default:
        return Workloads.sleepsChecksum(n, m.ms);
    }
  }

  /** The memory table: per contender, the smallest heap of the ladder it completes in. */
  private void runLadders(Measure m, Outcome none) throws Exception {
    String[] ladder = options.quick ? QUICK_LADDER : LADDER;
    for (Measure.Row row : m.rows.values()) {
      String c = row.contender;
      row.status = unavailable(m, c, none);
      if (row.status != null) {
        continue;
      }
      long expected = expected(m, row, none);
      if (c.startsWith("python")) {
        Run run = runPython(m, row, none);
        if (run.status == null && run.getLong("checksum") != expected) {
          row.status = "WRONG: checksum " + run.getLong("checksum") + ", expected " + expected;
        } else if (run.status != null) {
          row.status = run.status;
        } else {
          row.values.add(run.get("rss_mb"));
          row.remark = "peak RSS";
        }
        log("   " + c + ": " + (row.status != null ? row.status : row.values.get(0) + " MiB RSS"));
        continue;
      }
      // binary search, assuming that a heap that suffices is followed by larger ones that do
      int lo = 0;
      int hi = ladder.length - 1;
      int best = -1;
      String lastFailure = null;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        List<String> opts =
            List.of("-Xmx" + ladder[mid], "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
        Run run = runJava(m, row, none, opts, options.timeoutSeconds);
        if (run.status == null && run.getLong("checksum") != expected) {
          row.status = "WRONG: checksum " + run.getLong("checksum") + ", expected " + expected;
          break;
        }
        log(
            "   "
                + c
                + " -Xmx"
                + ladder[mid]
                + ": "
                + (run.status == null ? "completes" : run.status));
        if (run.status == null) {
          best = mid;
          hi = mid - 1;
        } else {
          lastFailure = run.status;
          lo = mid + 1;
        }
      }
      if (row.status != null) {
        continue;
      }
      if (best < 0) {
        row.status =
            "did not complete in -Xmx" + ladder[ladder.length - 1] + " (" + lastFailure + ")";
      } else {
        row.values.add(megabytes(ladder[best]));
        row.remark = "-Xmx" + ladder[best];
      }
    }
  }

  static double megabytes(String size) {
    double v = Double.parseDouble(size.substring(0, size.length() - 1));
    return size.endsWith("g") ? v * 1024 : v;
  }

  /** What a child printed, or why it gave nothing. */
  static final class Run {
    final Map<String, String> values = new HashMap<>();
    String status;

    double get(String key) {
      return Double.parseDouble(raw(key));
    }

    /** An integer field, exactly (a checksum needs all its 61 bits). */
    long getLong(String key) {
      return Long.parseLong(raw(key));
    }

    private String raw(String key) {
      String v = values.get(key);
      if (v == null) {
        throw new IllegalStateException("the child's result has no " + key);
      }
      return v;
    }
  }

  private Run runJava(
      Measure m, Measure.Row row, Outcome outcome, List<String> jvmOptions, int timeoutSeconds)
      throws Exception {
    String c = row.contender;
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(CompareChild.class.getName());
    cmd.addAll(
        List.of(
            "--measure", m.id,
            "--contender", c,
            "--n", Integer.toString(m.items(row)),
            "--warmup", Integer.toString(options.warmup),
            "--warmup-seconds", Double.toString(warmsUpLonger(m) ? options.warmupSeconds : 0),
            "--workers", Integer.toString(m.workers(row)),
            "--iterations", Long.toString(outcome.javaIterations),
            "--ms", m.ms));
    if (options.quick) {
      // quick mode checks that everything runs and is right, not how fast: spare the JIT
      cmd.add(1, "-XX:TieredStopAtLevel=1");
    }
    if (m.virtual) {
      cmd.add("--virtual");
    }
    if (c.equals("pool4j-cluster")) {
      cmd.addAll(
          List.of(
              "--cluster", cluster.name,
              "--members", cluster.members(),
              "--secret-file", cluster.secretFile().toString()));
    }
    return execute(cmd, timeoutSeconds);
  }

  /**
   * Whether a Java child of this table warms up for {@code --warmup-seconds}: the per-item tables
   * and the CPU-bound one, whose figures need the JIT of every JVM done (a pool's worker JVMs
   * compile their code during the first calls, as the parent does). The sleeping tables measure
   * waits, not code.
   */
  private static boolean warmsUpLonger(Measure m) {
    return m.id.startsWith("tiny") || m.id.equals("cpu");
  }

  private Run runPython(Measure m, Measure.Row row, Outcome outcome) throws Exception {
    String variant;
    String c = row.contender;
    switch (c) {
      case "python-sequential":
        variant = "seq";
        break;
      case "python-imap-unordered":
        variant = "imap_unordered";
        break;
      default:
        variant = c.substring("python-".length());
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                options.python,
                script.toString(),
                "--measure",
                m.id,
                "--variant",
                variant,
                "--n",
                Integer.toString(m.items(row)),
                "--workers",
                Integer.toString(m.workers(row)),
                "--chunksize",
                Integer.toString(m.pythonChunksize),
                "--warmup",
                Integer.toString(options.warmup),
                "--iterations",
                Long.toString(outcome.pythonIterations),
                "--ms",
                m.ms));
    return execute(cmd, options.timeoutSeconds);
  }

  /**
   * Runs one unmeasured pool of worker processes to its normal close, so that its first worker JVM
   * writes the class-data sharing archive (pool4j's default) before anything is measured: every
   * worker process of every table then starts as in a program's second run on this machine, and no
   * round starts without the archive while the others have it. Without it, the first pool of the
   * run wrote the archive only if it was closed, not terminated.
   */
  private void primeClassDataSharing() throws Exception {
    Run run =
        execute(
            List.of(
                java,
                "-cp",
                classPath,
                CompareChild.class.getName(),
                "--measure",
                "startup",
                "--contender",
                "pool4j-processes",
                "--n",
                "2",
                "--workers",
                "2"),
            options.timeoutSeconds);
    if (run.status != null) {
      log(
          "   an unmeasured pool to write the worker JVMs' class-data sharing archive failed ("
              + run.status
              + "): worker processes may start without it");
    }
  }

  private long pythonIterations() throws Exception {
    Run run = execute(List.of(options.python, script.toString(), "--calibrate"), 60);
    if (run.status != null) {
      throw new IllegalStateException("python3 could not calibrate its loop: " + run.status);
    }
    return run.getLong("iterations");
  }

  /**
   * Runs a child to its end or its time limit, killing it and everything it started on time-out;
   * the last line holding a JSON object is its result.
   */
  private static Run execute(List<String> command, int timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("POOL4J_PROGRESS", "0");
    Process p = pb.start();
    LIVE.add(p);
    p.onExit().thenRun(() -> LIVE.remove(p));
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the child was killed
              }
            },
            "child-output");
    reader.setDaemon(true);
    reader.start();
    Run run = new Run();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        run.status = "timed out after " + timeoutSeconds + " s";
        return run;
      }
    } finally {
      if (p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
    reader.join(10_000);
    String result = null;
    synchronized (lines) {
      for (String line : lines) {
        if (line.startsWith("RESULT ") || line.startsWith("{")) {
          result = line;
        }
      }
    }
    if (p.exitValue() != 0 || result == null) {
      String tail;
      synchronized (lines) {
        tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
      }
      run.status = "failed (exit " + p.exitValue() + "): " + abbreviate(tail, 200);
      return run;
    }
    Matcher matcher = RESULT.matcher(result);
    while (matcher.find()) {
      run.values.put(matcher.group(1), matcher.group(2));
    }
    return run;
  }

  static String abbreviate(String s, int max) {
    String flat = s.replace('\n', ' ').replace('|', '/');
    return flat.length() <= max ? flat : flat.substring(0, max) + "...";
  }

  static void log(String line) {
    System.err.println(line);
  }
}
