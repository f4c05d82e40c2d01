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

  /** A Java child's fixed heap for this table, or null for {@code --heap}. */
  String heap;

  int pythonChunksize;

  /** The contender the "vs" column compares with: pool4j on platform threads unless set. */
  String reference = "pool4j-threads";

  /**
   * How a row states the median of its {@link Row#extra} figures, a format of one {@code %s} (the
   * seconds, formatted), or null when the table has none.
   */
  String extraRemark;

  /**
   * Row key (the contender id, with {@code @workers} where rows differ by workers) to its row, in
   * report order.
   */
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
      rows.put(c, new Row(c, 0));
    }
    return this;
  }

  /**
   * A row per contender and worker count, contender by contender (the scale and start-up tables):
   * each row runs on its own {@code workers}.
   */
  Measure contenders(int[] workerCounts, String... ids) {
    for (String c : ids) {
      for (int w : workerCounts) {
        Row row = new Row(c, w);
        rows.put(row.key, row);
      }
    }
    return this;
  }

  /** Items a row runs: its own count where set, else as {@link #items(String)} says. */
  int items(Row row) {
    return row.items > 0 ? row.items : items(row.contender);
  }

  /** Workers a row runs on: its own count where set, else the table's. */
  int workers(Row row) {
    return row.workers > 0 ? row.workers : workers;
  }

  /** The reference row for the "vs" column: the same worker count as {@code row}, or none. */
  Row referenceFor(Row row) {
    return rows.get(Row.key(reference, row.workers));
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

    /** Workers of this row, or 0 for the table's; part of the row's key. */
    final int workers;

    /** The row's key in {@link Measure#rows}: the contender, and {@code @workers} where set. */
    final String key;

    /** Items of this row, or 0 for the table's ({@link Measure#items(Row)}). */
    int items;

    /** One value per measured round, in the table's unit. */
    final List<Double> values = new ArrayList<>();

    /** Seconds per round (the CPU-bound table turns them into speedups). */
    final List<Double> seconds = new ArrayList<>();

    /**
     * A second figure per measured round, in seconds, whose median the row states beside its own
     * ({@link Measure#extraRemark}): the pool's start-up on the first-call table, the time to the
     * results of the start-up table's tasks.
     */
    final List<Double> extra = new ArrayList<>();

    /** Why the row has no figure, or {@code WRONG ...}; null while it has one. */
    String status;

    /** Something the row must say beside its figure (what a contender needed, how it ran). */
    String remark = "";

    Row(String contender, int workers) {
      this.contender = contender;
      this.workers = workers;
      this.key = key(contender, workers);
    }

    static String key(String contender, int workers) {
      return workers > 0 ? contender + "@" + workers : contender;
    }

    boolean ok() {
      return status == null && !values.isEmpty();
    }

    boolean wrong() {
      return status != null && status.startsWith("WRONG");
    }
  }
}
