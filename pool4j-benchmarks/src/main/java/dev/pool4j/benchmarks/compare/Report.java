package dev.pool4j.benchmarks.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code benchmarks.md}: the machine, the run, and per table each contender's median,
 * spread, ratio to pool4j on platform threads and the target it must meet; and a chart per table
 * through {@link Charts}.
 */
final class Report {

  static final Map<String, String> LABELS = new HashMap<>();

  static {
    LABELS.put("sequential", "sequential (Java for-loop)");
    LABELS.put("pool4j-threads", "pool4j, platform threads");
    LABELS.put("pool4j-virtual", "pool4j, virtual threads");
    LABELS.put("pool4j-processes", "pool4j, worker processes");
    LABELS.put("pool4j-cluster", "pool4j, cluster (2 members x 1 worker)");
    LABELS.put("parallel-streams", "Java parallel streams");
    LABELS.put("executor", "ExecutorService, one task per item");
    LABELS.put("parallel-collectors", "parallel-collectors 3.4.0");
    LABELS.put("parallel-collectors-batching", "parallel-collectors 3.4.0, Batching");
    LABELS.put("python-sequential", "Python loop");
    LABELS.put("python-map", "Python Pool.map");
    LABELS.put("python-imap", "Python Pool.imap");
    LABELS.put("python-imap-unordered", "Python Pool.imap_unordered");
    LABELS.put("python-threadpool", "Python ThreadPool.map");
  }

  private Report() {}

  static String label(String contender) {
    return LABELS.getOrDefault(contender, contender);
  }

  /** A row's label: its contender's, and its workers where the table's rows differ by them. */
  static String label(Measure.Row row) {
    String label = label(row.contender);
    if (row.workers == 0) {
      return label;
    }
    return String.format(
        Locale.ROOT, "%s, %,d worker%s", label, row.workers, row.workers == 1 ? "" : "s");
  }

  static void write(Compare.Outcome outcome, Compare.Options options) throws IOException {
    for (Measure m : outcome.measures) {
      if (m.id.equals("cpu")) {
        toSpeedups(m);
      }
    }
    Path dir = options.out;
    Files.createDirectories(dir.resolve("benchmarks"));
    StringBuilder md = new StringBuilder();
    int cpus = Runtime.getRuntime().availableProcessors();
    md.append("# pool4j side by side\n\n");
    md.append(
        "Written by the comparison harness (issues 5 and 6). Reproduce from the repository root:\n\n");
    md.append("```bash\n");
    md.append(
        "mvn -B -ntp -q -pl pool4j-benchmarks -am package -DskipTests   # on a JDK 21+ for every row\n");
    md.append(
        "java -cp pool4j-benchmarks/target/benchmarks.jar dev.pool4j.benchmarks.compare.Compare");
    for (String a : options.args) {
      md.append(' ').append(a);
    }
    md.append("\n```\n\n");
    md.append("| | |\n|---|---|\n");
    row(md, "date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    row(md, "machine", cpus + " CPUs (" + Machine.cpuModel() + "), " + Machine.memory() + " RAM");
    row(
        md,
        "OS",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    row(
        md,
        "JDK",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    row(md, "Python", outcome.pythonVersion == null ? "not found" : outcome.pythonVersion);
    row(
        md,
        "load average (1, 5, 15 min)",
        "start " + outcome.loadStart + "; end " + outcome.loadEnd);
    row(
        md,
        "rounds",
        options.rounds
            + " measured per table, contenders in a shuffled order each round; each"
            + " measurement a fresh JVM (`-Xms"
            + options.heap
            + " -Xmx"
            + options.heap
            + " -XX:+AlwaysPreTouch`) or Python interpreter that first runs the workload "
            + options.warmup
            + " time(s) unmeasured (the first-call and start-up tables none: their call is the"
            + " JVM's first; sleeping workloads warm up with 0 ms sleeps;"
            + " a Java child of the tiny and CPU-bound tables for at least "
            + options.warmupSeconds
            + " s, so that every JVM's JIT is done);"
            + " pools are built, and worker processes started, before the warm-up; worker JVMs"
            + " map the class-data sharing archive (pool4j's default) that an unmeasured pool"
            + " closed before the first table wrote, as in a program's second run here; a Java"
            + " child runs `System.gc()` between the warm-up and the measured call, so that a"
            + " collection of the warm-up's garbage does not land in one contender's call and not"
            + " another's (JMH's steady-state figures, GC included, are in"
            + " pool4j-benchmarks/results)");
    row(
        md,
        "run time",
        String.format(
            Locale.ROOT,
            "%.0f s%s",
            outcome.elapsedSeconds,
            options.quick ? " (quick mode: tiny sizes, figures not meaningful)" : ""));
    md.append('\n');
    md.append(
        "Median and spread (min–max) over the rounds; \"vs pool4j threads\" is how many times"
            + " the time (or the memory) of pool4j on platform threads the contender takes (above 1:"
            + " slower). Every run returns a checksum of its results, checked against the expected"
            + " one: a wrong answer marks the row WRONG. Cluster rows have no target; they show their"
            + " ratio to worker processes.\n\n");

    for (Measure m : outcome.measures) {
      Map<String, Double> medians = new HashMap<>();
      for (Measure.Row r : m.rows.values()) {
        if (r.ok()) {
          medians.put(r.key, median(r.values));
        }
      }
      md.append("## ").append(m.title).append("\n\n");
      md.append(m.note).append("\n\n");
      md.append("![").append(m.title).append("](benchmarks/").append(m.id).append(".png)\n\n");
      md.append("| contender | median (")
          .append(m.unit)
          .append(") | spread | vs ")
          .append(m.reference.equals("pool4j-threads") ? "pool4j threads" : label(m.reference))
          .append(" | target |\n");
      md.append("|---|---:|---|---:|---|\n");
      for (Measure.Row r : m.rows.values()) {
        md.append("| ").append(label(r)).append(" | ");
        if (!r.ok()) {
          md.append(r.status == null ? "no result" : r.status.replace('|', '/'))
              .append(" | | | |\n");
          continue;
        }
        double med = medians.get(r.key);
        md.append(format(med));
        if (m.extraRemark != null && !r.extra.isEmpty()) {
          r.remark = String.format(Locale.ROOT, m.extraRemark, format(median(r.extra)));
        }
        if (!r.remark.isEmpty()) {
          md.append(" (").append(r.remark).append(')');
        }
        md.append(" | ");
        md.append(format(Collections.min(r.values)))
            .append(" – ")
            .append(format(Collections.max(r.values)));
        md.append(" | ");
        Measure.Row reference = m.referenceFor(r);
        Double ref = reference == null ? null : medians.get(reference.key);
        md.append(ref == null ? "" : String.format(Locale.ROOT, "%.2fx", ratio(m, med, ref)));
        md.append(" | ").append(target(m, r, medians, cpus)).append(" |\n");
      }
      md.append('\n');
      outcome.charts.add(Charts.write(m, dir.resolve("benchmarks").resolve(m.id + ".png")));
    }
    outcome.report = dir.resolve("benchmarks.md");
    Files.writeString(outcome.report, md.toString(), StandardCharsets.UTF_8);
  }

  /** The CPU-bound table: seconds to speedups, each language over its own sequential median. */
  private static void toSpeedups(Measure m) {
    Double javaSeq = sequentialSeconds(m.rows.get("sequential"));
    Double pySeq = sequentialSeconds(m.rows.get("python-sequential"));
    for (Measure.Row r : m.rows.values()) {
      Double seq = r.contender.startsWith("python") ? pySeq : javaSeq;
      r.values.clear();
      if (r.status != null || r.seconds.isEmpty()) {
        continue;
      }
      if (seq == null) {
        r.status = "no sequential baseline to compare with";
        continue;
      }
      for (double s : r.seconds) {
        r.values.add(seq / s);
      }
    }
  }

  private static Double sequentialSeconds(Measure.Row row) {
    return row == null || row.status != null || row.seconds.isEmpty() ? null : median(row.seconds);
  }

  /** How many times pool4j-threads' cost this value is (higher-is-better values inverted). */
  static double ratio(Measure m, double value, double reference) {
    return m.higherIsBetter ? reference / value : value / reference;
  }

  /** The target a row must meet, and whether it does; {@code med} holds medians by row key. */
  static String target(Measure m, Measure.Row row, Map<String, Double> med, int cpus) {
    List<String> parts = new ArrayList<>();
    String c = row.contender;
    Double mine = med.get(row.key);
    if (c.equals("pool4j-cluster")) {
      Double processes = med.get("pool4j-processes");
      parts.add(
          processes == null
              ? "no target"
              : String.format(
                  Locale.ROOT, "no target; %.2fx worker processes", ratio(m, mine, processes)));
      return String.join("; ", parts);
    }
    switch (m.id) {
      case "tiny-map":
        if (c.equals("pool4j-threads")) {
          parts.add(againstStreams("within 1.3x of parallel streams", med, 1.3));
          parts.add(
              check(">= 10x faster than ExecutorService", ratioOf(med, "executor", c), 10, true));
          parts.add(
              check(">= 20x faster than Python Pool.map", ratioOf(med, "python-map", c), 20, true));
        } else if (c.equals("pool4j-processes")) {
          parts.add(
              check(">= 10x faster than Python Pool.map", ratioOf(med, "python-map", c), 10, true));
        }
        break;
      case "tiny-imap":
        if (c.equals("pool4j-threads") || c.equals("pool4j-virtual")) {
          parts.add(check("under 2 µs/item", mine, 2, false, " µs"));
        } else if (c.equals("pool4j-processes")) {
          parts.add(check("under 15 µs/item", mine, 15, false, " µs"));
        } else if (c.equals("python-imap")) {
          parts.add("reference: measured about 31 µs before");
        }
        break;
      case "cpu":
        if (c.startsWith("pool4j")) {
          double goal = 1.9 * Math.min(2, cpus) / 2;
          parts.add(
              check(
                  String.format(Locale.ROOT, "speedup >= %.2f on %d cores", goal, cpus),
                  mine,
                  goal,
                  true));
        } else if (c.equals("python-map")) {
          parts.add("reference: measured 1.59 before");
        }
        break;
      case "tutorial-3":
        if (c.startsWith("pool4j")) {
          double longest = 0;
          for (String s : m.ms.split(",")) {
            longest = Math.max(longest, Integer.parseInt(s) / 1000.0);
          }
          parts.add(
              check(
                  String.format(Locale.ROOT, "<= %.3f s (longest task + 2%%)", longest * 1.02),
                  mine,
                  longest * 1.02,
                  false,
                  " s"));
        }
        break;
      case "memory":
        if (c.startsWith("pool4j")) {
          parts.add(check("completes in 64 MiB of heap", mine, 64, false, " MiB"));
        }
        break;
      case "first":
        if (c.equals("pool4j-threads")) {
          parts.add(againstStreams("no slower than parallel streams' first call", med, 1));
        }
        break;
      case "scale":
        if (c.startsWith("pool4j") && row.workers == 1_000) {
          parts.add(check(">= 95% efficiency at 1,000 workers", mine, 95, true, "%"));
        }
        break;
      case "startup":
        if (c.equals("pool4j-processes") && row.workers == 16) {
          parts.add(
              check(
                  String.format(Locale.ROOT, "16 ready in under 1 s on %d cores", cpus),
                  mine,
                  1,
                  false,
                  " s"));
        }
        break;
      default:
        break;
    }
    return String.join("; ", parts);
  }

  /** pool4j on platform threads against parallel streams: its time at most {@code bound} times. */
  private static String againstStreams(String what, Map<String, Double> med, double bound) {
    return check(what, ratioOf(med, "pool4j-threads", "parallel-streams"), bound, false);
  }

  private static Double ratioOf(Map<String, Double> med, String a, String b) {
    Double x = med.get(a);
    Double y = med.get(b);
    return x == null || y == null ? null : x / y;
  }

  /** A ratio target: the value is shown with an x. */
  private static String check(String what, Double value, double bound, boolean atLeast) {
    return check(what, value, bound, atLeast, "x");
  }

  private static String check(
      String what, Double value, double bound, boolean atLeast, String unit) {
    if (value == null) {
      return what + ": not measured";
    }
    boolean met = atLeast ? value >= bound : value <= bound;
    return (met ? "✓ met: " : "✗ missed: ") + format(value) + unit + " (" + what + ")";
  }

  static double median(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** Three significant digits, or whole numbers when large. */
  static String format(double v) {
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  private static void row(StringBuilder md, String key, String value) {
    md.append("| ").append(key).append(" | ").append(value.replace('|', '/')).append(" |\n");
  }
}
