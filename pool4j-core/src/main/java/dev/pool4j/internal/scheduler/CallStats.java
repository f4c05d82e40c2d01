package dev.pool4j.internal.scheduler;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pool4j.Insights;
import dev.pool4j.internal.observe.Flight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What one {@link Call} records about itself: its {@link Insights} (time per worker, the timeline
 * of chunk runs) and its flight recorder events.
 *
 * <p>Nothing here decides anything: the call tells it what happened, under the call's lock (every
 * mutable field below is guarded by {@link Call#lock}, {@code @GuardedBy("call.lock")} as is each
 * {@code ...Locked} method, and this class takes no lock of its own). The flight recorder's events
 * are committed outside every lock.
 */
final class CallStats {

  private final Call call;

  /** The {@code dev.pool4j.Call} flight recorder event begun at the start, or null. */
  private final Object flight = Flight.callBegin();

  /** When the call began; final, read under the call's lock or not. */
  private final long startNanos = System.nanoTime();

  // --- guarded by call.lock ---

  /** When the call finished computing ({@link #finishedLocked}). */
  @GuardedBy("call.lock")
  private long endNanos;

  /** Inputs whose results were computed, for the flight recorder's Call event. */
  @GuardedBy("call.lock")
  private long computed;

  /** Per worker id: {busy nanos, tasks, max task nanos, start-up nanos}. */
  @GuardedBy("call.lock")
  private final Map<Integer, long[]> stats = new HashMap<>();

  /** Per worker id: its name in the insights. */
  @GuardedBy("call.lock")
  private final Map<Integer, String> names = new HashMap<>();

  /**
   * The timeline: a ring of the spans of the last {@link Insights#MAX_SPANS} chunk runs, grown on
   * demand (a small call holds small arrays); slot {@code spanCount % MAX_SPANS} is next. Kept as
   * columns, not as {@link Insights.Span} objects, which are made only when the insights are asked
   * for: a chunk of one tiny task costs a few hundred nanoseconds, and its span object was a tenth
   * of the garbage it left. Written under the lock the report takes anyway. Slot {@code i}: the
   * worker's name {@code spanNames[i]}; start and end {@code spanTimes[2i]}, {@code [2i + 1]}; its
   * id, items and outcome's ordinal {@code spanInts[3i]}, {@code [3i + 1]}, {@code [3i + 2]}.
   */
  @GuardedBy("call.lock")
  private String[] spanNames = new String[0];

  @GuardedBy("call.lock")
  private long[] spanTimes = new long[0];

  @GuardedBy("call.lock")
  private int[] spanInts = new int[0];

  private static final Insights.Outcome[] OUTCOMES = Insights.Outcome.values();

  /** Spans recorded so far, kept or not. */
  @GuardedBy("call.lock")
  private long spanCount;

  CallStats(Call call) {
    this.call = call;
  }

  /** Under the call's lock: a run's results came in ({@code worker} null when none ran it). */
  @GuardedBy("call.lock")
  void ranLocked(
      Outcome.Ran worker,
      long now,
      long nanos,
      int ran,
      int valid,
      long maxTaskNanos,
      Throwable failure) {
    computed += valid;
    if (worker == null) {
      return;
    }
    // not computeIfAbsent: its lambda would be spun in a fresh JVM's first call (about 1 ms)
    long[] w = stats.get(worker.id());
    if (w == null) {
      w = new long[4];
      stats.put(worker.id(), w);
    }
    w[0] += nanos;
    w[1] += ran;
    w[2] = Math.max(w[2], maxTaskNanos);
    w[3] = worker.startupNanos();
    names.putIfAbsent(worker.id(), worker.name());
    recordSpanLocked(
        worker,
        now,
        nanos,
        ran,
        failure == null
            ? Insights.Outcome.OK
            : failure instanceof TimeoutException
                ? Insights.Outcome.TIMED_OUT
                : Insights.Outcome.FAILED);
  }

  /** Under the call's lock: the call finished computing; its wall time stops here. */
  @GuardedBy("call.lock")
  void finishedLocked() {
    endNanos = System.nanoTime();
  }

  /** Adds a chunk run to the timeline, in place of the oldest once it holds MAX_SPANS. */
  @GuardedBy("call.lock")
  void recordSpanLocked(
      Outcome.Ran worker, long endNanos, long nanos, int items, Insights.Outcome outcome) {
    int cap = Insights.MAX_SPANS;
    if (spanCount == spanNames.length && spanCount < cap) {
      // by four: a call of many chunks allocates about a third more than it keeps, not twice
      int grown = Math.min(cap, Math.max(16, 4 * spanNames.length));
      spanNames = Arrays.copyOf(spanNames, grown);
      spanTimes = Arrays.copyOf(spanTimes, 2 * grown);
      spanInts = Arrays.copyOf(spanInts, 3 * grown);
    }
    long end = endNanos - startNanos;
    int slot = (int) (spanCount % cap);
    spanNames[slot] = worker.name();
    spanTimes[2 * slot] = end - Math.max(0, nanos);
    spanTimes[2 * slot + 1] = end;
    spanInts[3 * slot] = worker.id();
    spanInts[3 * slot + 1] = items;
    spanInts[3 * slot + 2] = outcome.ordinal();
    spanCount++;
  }

  /**
   * Begins a chunk run's flight recorder event: the event, or null when not recorded.
   *
   * @param expectedNanos how long the run should take, or -1 when not known
   */
  static Object chunkBegin(long expectedNanos) {
    return Flight.chunkBegin(expectedNanos);
  }

  /** Ends a chunk run's flight recorder event; outside every lock. Nothing when it is null. */
  void chunkEnd(
      Object event,
      long start,
      int size,
      int valid,
      Outcome.Ran worker,
      long nanos,
      int retries,
      String outcome) {
    if (event != null) {
      Flight.chunkEnd(
          event,
          call.id,
          start,
          size,
          valid,
          worker == null ? "none" : worker.name(),
          nanos,
          retries,
          outcome);
    }
  }

  /** What a run's chunk event says of it. */
  static String chunkOutcome(Outcome.Ran worker, Throwable failure) {
    return worker == null
        ? "dropped"
        : failure == null
            ? "completed"
            : failure instanceof TimeoutException ? "timed out" : "failed";
  }

  /** Ends the call's flight recorder event, once, when the call finished; not under its lock. */
  void callEnd() {
    if (flight == null) {
      return;
    }
    String outcome;
    long items;
    call.lock.lock();
    try {
      outcome = call.outcomeLocked();
      items = computed;
    } finally {
      call.lock.unlock();
    }
    Scheduler scheduler = call.scheduler;
    Flight.callEnd(
        flight,
        call.id,
        scheduler.name(),
        scheduler.backendName(),
        call.mode.name().toLowerCase(Locale.ROOT),
        call.task.getClass(),
        items,
        outcome);
  }

  /**
   * Where the call's time went so far, per worker (live workers that ran nothing show zeros). Takes
   * the call's lock, and makes them under it; {@code live} is read before, under the scheduler's
   * lock alone.
   */
  Insights insights(List<Worker> live, int workers) {
    call.lock.lock();
    try {
      return snapshotLocked(live, workers).get();
    } finally {
      call.lock.unlock();
    }
  }

  /**
   * The insights of a call that has finished computing, made when they are first asked for: at a
   * call's end the scheduler keeps them for {@code Pool.insights()} ({@link
   * Scheduler#recordInsights}), which most callers never ask for, while the caller of {@code map}
   * waits for the end. Making them there (a map per worker, its figures, up to {@link
   * Insights#MAX_SPANS} spans) was a fifth of the garbage of a call of 20,000 one-item chunks, and
   * 0.15 to 0.2 ms of the last chunk's report in a call after a full collection, when every
   * compiled method runs through its entry barrier once more. Once the call has finished nothing
   * writes what the supplier holds: the per-worker maps and the timeline's columns, not the call
   * (whose results may be large).
   */
  Supplier<Insights> insightsLater(List<Worker> live, int workers) {
    call.lock.lock();
    try {
      if (!call.finishedLocked()) {
        // still written by the workers: made now, under the lock
        Insights now = snapshotLocked(live, workers).get();
        return () -> now;
      }
      return snapshotLocked(live, workers);
    } finally {
      call.lock.unlock();
    }
  }

  /** What the insights are made of, as it stands; its {@code get()} reads it. */
  @GuardedBy("call.lock")
  private Snapshot snapshotLocked(List<Worker> live, int workers) {
    long end = call.finishedLocked() ? endNanos : System.nanoTime();
    int[] liveIds = new int[live.size()];
    long[] liveStartups = new long[live.size()];
    int n = 0;
    for (Worker w : live) {
      if (w.runsTasks()) {
        liveIds[n] = w.id();
        liveStartups[n++] = w.startupNanos();
      }
    }
    return new Snapshot(
        end - startNanos,
        workers,
        stats,
        names,
        Arrays.copyOf(liveIds, n),
        Arrays.copyOf(liveStartups, n),
        spanNames,
        spanTimes,
        spanInts,
        spanCount);
  }

  /**
   * A call's figures, made into {@link Insights} once, when first asked for. It holds the call's
   * own maps and columns, not copies: it is read under the call's lock while the call computes, and
   * at any time once it has finished, when nothing writes them.
   */
  private static final class Snapshot implements Supplier<Insights> {
    private final long wall;
    private final int workers;
    private final Map<Integer, long[]> stats;
    private final Map<Integer, String> names;
    private final int[] liveIds;
    private final long[] liveStartups;
    private final String[] spanNames;
    private final long[] spanTimes;
    private final int[] spanInts;
    private final long count;
    private Insights made;

    Snapshot(
        long wall,
        int workers,
        Map<Integer, long[]> stats,
        Map<Integer, String> names,
        int[] liveIds,
        long[] liveStartups,
        String[] spanNames,
        long[] spanTimes,
        int[] spanInts,
        long count) {
      this.wall = wall;
      this.workers = workers;
      this.stats = stats;
      this.names = names;
      this.liveIds = liveIds;
      this.liveStartups = liveStartups;
      this.spanNames = spanNames;
      this.spanTimes = spanTimes;
      this.spanInts = spanInts;
      this.count = count;
    }

    @Override
    public synchronized Insights get() {
      if (made == null) {
        made =
            new Insights(
                Duration.ofNanos(wall),
                workers,
                workerStats(),
                spans(spanNames, spanTimes, spanInts, count),
                count - kept(count));
      }
      return made;
    }

    private List<Insights.WorkerStats> workerStats() {
      Map<Integer, long[]> all = new TreeMap<>(stats);
      for (int k = 0; k < liveIds.length; k++) {
        all.putIfAbsent(liveIds[k], new long[] {0, 0, 0, liveStartups[k]});
      }
      List<Insights.WorkerStats> out = new ArrayList<>(all.size());
      for (Map.Entry<Integer, long[]> e : all.entrySet()) {
        long[] v = e.getValue();
        String name = names.get(e.getKey());
        out.add(
            new Insights.WorkerStats(
                name != null ? name : "worker-" + e.getKey(),
                e.getKey(),
                Duration.ofNanos(v[3]),
                Duration.ofNanos(v[0]),
                Duration.ofNanos(Math.max(0, wall - v[0])),
                v[1],
                Duration.ofNanos(v[2])));
      }
      return out;
    }
  }

  private static int kept(long count) {
    return (int) Math.min(count, Insights.MAX_SPANS);
  }

  /** The timeline's spans, oldest first, from the columns holding the first {@code count}. */
  private static List<Insights.Span> spans(
      String[] spanNames, long[] spanTimes, int[] spanInts, long count) {
    int kept = kept(count);
    long dropped = count - kept;
    // oldest first: the ring's next slot holds the oldest once it is full
    int first = (int) (count % Insights.MAX_SPANS);
    Insights.Span[] copy = new Insights.Span[kept];
    for (int k = 0; k < kept; k++) {
      int slot = dropped == 0 ? k : (first + k) % Insights.MAX_SPANS;
      copy[k] =
          new Insights.Span(
              spanNames[slot],
              spanInts[3 * slot],
              spanTimes[2 * slot],
              spanTimes[2 * slot + 1],
              spanInts[3 * slot + 1],
              OUTCOMES[spanInts[3 * slot + 2]]);
    }
    return Arrays.asList(copy);
  }
}
