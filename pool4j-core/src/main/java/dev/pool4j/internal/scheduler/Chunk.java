package dev.pool4j.internal.scheduler;

import java.util.Arrays;
import java.util.Objects;

/**
 * One run of consecutive inputs of one call, handed to one worker at once, and the one-shot report
 * of its outcome.
 *
 * <h2>Exactly once</h2>
 *
 * <p>Every backend reports every run it was given through {@link #report(Outcome)}, and nothing
 * else hands outcomes to the call: the first report wins a compare-and-set on the run and its
 * outcome goes to the call; every later report of the same run, from any thread, returns false and
 * is dropped whole (its results are never looked at). So a backend whose paths may race to report a
 * run (a task that ends as the watchdog times it out, a worker process's receiver and its sender, a
 * cluster member's result and its leaving) needs no agreement of its own on who reports: each
 * reports what it saw, and the run keeps the first. What a backend must still make sure of is the
 * other half: that some path reports every run it accepted, or its call never finishes.
 *
 * <h2>Runs</h2>
 *
 * <p>A run whose worker was lost ({@link Outcome#lost}) or that was handed back unrun ({@link
 * Outcome#returned()}) runs again as a new {@code Chunk} ({@link #rerun}), with a one-shot of its
 * own: the reset is a new object, not a flag set back, so a late report of the old run (the result
 * of a cluster member that was given up on) still finds the old run reported and cannot be taken
 * for the new one's. The inputs are shared. The call's queue of pending chunks keeps the {@link
 * #first} run of the inputs, and whichever run's report wins, its results go there.
 *
 * <p>The one-shot is the run's {@link OneShot} claim, which the jcstress module tests on its own.
 *
 * <p>Created by the worker that reads it (holding the call's read token); its results are written
 * by the worker that runs it and published to consumers under the call's lock. The consumer-side
 * fields are only touched under the call's lock, and only on the first run.
 */
public final class Chunk extends OneShot {

  final Call call;

  /** Index of {@code items[0]} in the call's input. */
  final long start;

  /**
   * The first run of these inputs (this one, unless it is a rerun): the one the call's pending
   * queue holds, whose consumer-side fields receive the results of the run that reports them.
   */
  final Chunk first;

  /** How many runs of these inputs before this one were lost (their retries used). */
  final int retries;

  /** See {@link #isolated()}. */
  private final boolean isolated;

  /** The inputs; cleared once run so that a slow consumer holds only results. */
  Object[] items;

  /**
   * How many of the inputs the call still needed when the chunk was handed over ({@link
   * #cutAtLimit}); written by the worker that hands it over, before the backend sees the chunk.
   */
  private int runnable;

  /**
   * The worker that handed this run to its backend and counts it as held until its report, or null
   * (a nested chunk a waiting task runs itself); written before the backend sees the run.
   */
  Worker holder;

  /**
   * The call has taken this run's outcome in: recorded it, or queued the inputs to run again; under
   * call.lock. A report that threw before that is replaced by its failure ({@link #report}).
   */
  boolean recorded;

  /** The flight recorder's {@code dev.pool4j.Chunk} event of this run, or null; under call.lock. */
  Object flight;

  // --- the first run's, written under call.lock by the run whose report wins ---
  Object[] results;

  /** How many leading results are valid (all, unless the chunk failed or was cut short). */
  int valid;

  /** Set under call.lock when the outcome is known. */
  boolean done;

  /** Consumer position inside this chunk; only under call.lock. */
  int cursor;

  /** The estimated heap its results hold while they wait for a consumer; under call.lock. */
  long bytes;

  Chunk(Call call, long start, Object[] items) {
    this(call, start, items, null, 0, false);
  }

  private Chunk(Call call, long start, Object[] items, Chunk first, int retries, boolean isolated) {
    this.call = call;
    this.start = start;
    this.items = items;
    this.first = first == null ? this : first;
    this.retries = retries;
    this.isolated = isolated;
  }

  /**
   * The next run of these inputs, after this one was lost (which costs a retry), returned, or
   * {@linkplain Outcome#unsure() unsure} ({@code isolate}); a run once isolated stays so.
   */
  Chunk rerun(boolean costsRetry, boolean isolate) {
    return new Chunk(
        call, start, items, first, costsRetry ? retries + 1 : retries, isolated || isolate);
  }

  /**
   * Reports this run's outcome to its call, once: the first report wins, and only its outcome
   * counts; any later one, from any thread, is ignored. Never blocks on a consumer; takes the
   * call's lock briefly, so it must not be called while holding a lock that a consumer of the call
   * may hold.
   *
   * <p>A report whose recording throws (an error of this JVM: out of memory while the results are
   * measured) still ends the run: unless the call had recorded the outcome already, the chunk fails
   * at its first item with that error, and the error is thrown on to the reporter.
   *
   * @return true if this report won and was handed to the call, false if the run had been reported
   *     before (this outcome is dropped)
   */
  public boolean report(Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    if (!claim()) {
      return false;
    }
    try {
      if (call.scheduler.queuesChunks
          && outcome.kind == Outcome.Kind.DONE
          && outcome.ran != null
          && outcome.tasksRun() > 0) {
        call.chunkTime().record(outcome.nanos);
        call.scheduler.chunkTime().record(outcome.nanos);
      }
      call.accept(this, outcome);
    } catch (Throwable t) {
      call.acceptFailed(this, outcome.ran, t);
      throw t;
    } finally {
      Worker w = holder;
      if (w != null) {
        w.released();
      }
    }
    return true;
  }

  /**
   * {@link #report(Outcome) report}{@code (}{@link Outcome#done(Object[], int, Throwable, long,
   * Outcome.Ran, long) Outcome.done(results, valid, failure, nanos, ran, maxTaskNanos)}{@code )},
   * the same in every respect (the one-shot claim first, a recording that throws fails the chunk),
   * without an {@link Outcome} object: for a backend that reports a chunk per few hundred
   * nanoseconds (thread workers with chunk size 1), where that object was a fifth of the garbage
   * per chunk. {@code endNanos}: {@link System#nanoTime()} when the run ended, which the backend
   * read anyway.
   */
  public boolean reportDone(
      Object[] results,
      int valid,
      Throwable failure,
      long nanos,
      Outcome.Ran ran,
      long maxTaskNanos,
      long endNanos) {
    Outcome.checkValid(results, valid);
    if (!claim()) {
      return false;
    }
    try {
      if (call.scheduler.queuesChunks && ran != null && (failure == null ? valid : valid + 1) > 0) {
        call.chunkTime().record(nanos);
        call.scheduler.chunkTime().record(nanos);
      }
      call.done(
          this, results, valid, failure, nanos, ran, maxTaskNanos, 0, ran == null ? 0 : endNanos);
    } catch (Throwable t) {
      call.acceptFailed(this, ran, t);
      throw t;
    } finally {
      Worker w = holder;
      if (w != null) {
        w.released();
      }
    }
    return true;
  }

  /**
   * Cuts this run at the call's limit as it is handed over: how many of its inputs the call still
   * needs, 0 when none.
   */
  int cutAtLimit() {
    int n = size();
    runnable = (int) Math.max(0, Math.min(n, call.limit() - start));
    return runnable;
  }

  /**
   * How many of the inputs, from the first, the call still needed when this run was handed to the
   * backend; at least 1 (a run with none left is never handed over). The backend runs only these;
   * the others count as cut off by a failure or cancellation.
   */
  public int runnable() {
    return runnable;
  }

  /**
   * The inputs the backend is to run: the first {@link #runnable()} of {@link #items()}, in an
   * array of their own when the cut left fewer than all. The backend must not modify the array.
   */
  public Object[] runnableItems() {
    Object[] all = items;
    return runnable == all.length ? all : Arrays.copyOf(all, runnable);
  }

  /**
   * Names this run's {@code count} first inputs and its try, for the message of an error that
   * stopped it: {@code "the tasks at indexes 40..49 (try 2 of at most 3)"}.
   */
  public String describe(int count) {
    return "the tasks at indexes "
        + start
        + ".."
        + (start + count - 1)
        + " (try "
        + (retries + 1)
        + " of at most "
        + (call.scheduler.config().retries() + 1)
        + ")";
  }

  /**
   * Whether this run was reported: once true, every further {@link #report} returns false. A
   * backend may look before it does costly work for a report that could only lose.
   */
  public boolean isReported() {
    return isTaken();
  }

  /** The call this chunk belongs to. */
  public Call call() {
    return call;
  }

  /** Index of the first item in the call's input. */
  public long start() {
    return start;
  }

  /** Number of items. */
  public int size() {
    return items == null ? (results == null ? 0 : results.length) : items.length;
  }

  /** How many times these inputs ran before and their worker was lost. */
  public int retries() {
    return retries;
  }

  /**
   * Whether an earlier run of these inputs was {@linkplain Outcome#unsure() unsure}: the backend
   * runs this one so that its worker's loss is pinned on it (a worker process: reporting item by
   * item, with nothing held back), as for a chunk with {@link #retries()}.
   */
  public boolean isolated() {
    return isolated;
  }

  /** The inputs, for the backend that runs the chunk. */
  public Object[] items() {
    return items;
  }

  @Override
  public String toString() {
    return "Chunk[" + start + ", " + size() + " items, retries " + retries + "]";
  }
}
