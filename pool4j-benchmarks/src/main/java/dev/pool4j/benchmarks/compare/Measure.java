package dev.pool4j.benchmarks.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One table of the report: a workload, how each contender runs it, and what was measured. */
final class Measure {
  final String id;

  /** The workload it belongs to, as {@code --only} names it. */
  final String workload;

  final String title;
  final String unit;
  final boolean higherIsBetter;

  /** What the table's header says about the run. */
  String note = "";

  /** Items; {@code nSlow} for worker processes, the cluster and Python (0: same as n). */
  int n;

  int nSlow;

  /** Items for a contender that would otherwise take minutes, said in {@link #note}. */
  final Map<String, Integer> itemsFor = new LinkedHashMap<>();

  /** Sleeps in milliseconds, as {@link Workloads#sleeps} reads them. */
  String ms = "0";

  int workers;
  boolean virtual;
  int pythonChunksize;

  /** Contender id to its row, in report order. */
  final Map<String, Row> rows = new LinkedHashMap<>();

  Measure(String id, String workload, String title, String unit, boolean higherIsBetter) {
    this.id = id;
    this.workload = workload;
    this.title = title;
    this.unit = unit;
    this.higherIsBetter = higherIsBetter;
  }

  Measure contenders(String... ids) {
    for (String c : ids) {
      rows.put(c, new Row(c));
    }
    return this;
  }

  /** Items for a contender: fewer where each costs a round trip to another process. */
  int items(String contender) {
    Integer fixed = itemsFor.get(contender);
    if (fixed != null) {
      return fixed;
    }
    boolean slow =
        contender.equals("pool4j-processes")
            || contender.equals("pool4j-cluster")
            || contender.startsWith("python");
    return slow && nSlow > 0 ? nSlow : n;
  }

  /** One contender's results in one table. */
  static final class Row {
    final String contender;

    /** One value per measured round, in the table's unit. */
    final List<Double> values = new ArrayList<>();

    /** Seconds per round (the CPU-bound table turns them into speedups). */
    final List<Double> seconds = new ArrayList<>();

    /** Why the row has no figure, or {@code WRONG ...}; null while it has one. */
    String status;

    /** Something the row must say beside its figure (what a contender needed, how it ran). */
    String remark = "";

    Row(String contender) {
      this.contender = contender;
    }

    boolean ok() {
      return status == null && !values.isEmpty();
    }

    boolean wrong() {
      return status != null && status.startsWith("WRONG");
    }
  }
}
