package dev.pool4j.internal.threads;

import dev.pool4j.Task;
import dev.pool4j.WorkerDiedException;
import dev.pool4j.WorkerInitializer;
import dev.pool4j.internal.observe.Flight;
import dev.pool4j.internal.observe.Logs;
import dev.pool4j.internal.observe.StartLog;
import dev.pool4j.internal.scheduler.Call;
import dev.pool4j.internal.scheduler.Chunk;
import dev.pool4j.internal.scheduler.Outcome;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.Worker;
import java.lang.System.Logger.Level;

/**
 * A worker that runs each chunk's tasks on its own thread.
 *
 * <p>Without a timeout the loop over a chunk's items is as plain as a sequential map, plus one
 * volatile read per item (the call's cancellation limit), and the worker reports the chunk when the
 * loop ends.
 *
 * <p>With a timeout each item is announced in {@link #running} (an {@link ItemClaim}), and the
 * {@link Watchdog} claims an overdue item by compare-and-set. That claim decides which item timed
 * out and where the worker stops: an item the worker finished first cannot be timed out, and a
 * worker whose item was claimed runs no further item of the chunk. Both then report through the
 * chunk's one-shot {@link Chunk#report} (the watchdog the timeout, the worker the whole chunk),
 * which alone makes the report exactly once. A worker that lost the claim reports nothing; before
 * it leaves it waits until the watchdog has sent the interrupt meant for the item, so that the
 * interrupt cannot land in a task it would run next.
 */
final class ThreadWorker extends Worker {

  /** The item being run, when a timeout is set; claimed by CAS. */
  private final ItemClaim running = new ItemClaim();

  private final long timeoutNanos;

  /** Run once on this worker's thread before its first chunk, or null. */
  private final WorkerInitializer initializer;

  /** What the initializer threw, or null; this worker then runs no task. The worker thread's. */
  private Throwable initFailure;

  /** Chunks up to this size have each task timed, for the insights' max task time. */
  private static final int TIMED_CHUNK = 16;

  /** Whether the worker's thread is virtual, for the worker's start event and log. */
  private final boolean virtual;

  /** The flight recorder's {@code dev.pool4j.WorkerStarted} event, begun when made, or null. */
  private final Object startEvent = Flight.workerStartBegin();

  ThreadWorker(
      Scheduler scheduler,
      int id,
      long timeoutNanos,
      WorkerInitializer initializer,
      boolean virtual) {
    super(scheduler, id);
    this.timeoutNanos = timeoutNanos;
    this.initializer = initializer;
    this.virtual = virtual;
  }

  /**
   * Runs the initializer before the first chunk, as a worker process does before it reports ready;
   * its time counts as the worker's start-up in the insights.
   */
  @Override
  protected void starting() {
    if (initializer != null) {
      try {
        initializer.initialize();
      } catch (Throwable t) {
        initFailure = t;
      }
      // an initializer that interrupted itself must not leave the flag to the first task
      if (Thread.interrupted() && scheduler.isStopping()) {
        Thread.currentThread().interrupt();
      }
    }
    if (initFailure == null) {
      Flight.workerStarted(startEvent, scheduler.name(), toString(), kind(), -1);
    }
  }

  /**
   * Logs the worker's start, once it first has nothing to do, through {@link StartLog}: not in
   * {@link #starting()}, since the JVM's first use of {@code System.Logger} takes about 30 ms,
   * which a first call made at once would wait for.
   */
  @Override
  protected void startedIdle() {
    if (initFailure == null) {
      String thread = Thread.currentThread().getName();
      StartLog.debug(() -> scheduler.name() + ": " + this + " started on " + kind() + " " + thread);
    }
  }

  private String kind() {
    return virtual ? "virtual thread" : "thread";
  }

  /** One item under a deadline: enough for the watchdog to report the chunk in our place. */
  static final class Running {
    final ThreadWorker worker;
    final Chunk chunk;
    final Object[] results;
    final int offset;
    final long startNanos;
    final long deadline;

    /**
     * Set by the watchdog once it has taken the worker out of the pool and interrupted its thread,
     * after it claimed this item.
     */
    private volatile boolean interruptSent;

    Running(
        ThreadWorker worker, Chunk chunk, Object[] results, int offset, long now, long timeout) {
      this.worker = worker;
      this.chunk = chunk;
      this.results = results;
      this.offset = offset;
      this.startNanos = now;
      this.deadline = now + timeout;
    }

    /** The watchdog, which claimed this item, has interrupted the worker's thread. */
    void markInterruptSent() {
      interruptSent = true;
    }

    /**
     * The worker, which lost this item to the watchdog, waits until the interrupt meant for it is
     * sent: the watchdog is between its claim and the interrupt, microseconds.
     */
    void awaitInterruptSent() {
      while (!interruptSent) {
        Thread.yield();
      }
    }
  }

  Running running() {
    return running.current();
  }

  /**
   * The watchdog's claim on an overdue item; true if the worker had not finished it (the worker
   * then runs no further item of the chunk and leaves its report to the watchdog).
   */
  boolean claim(Running item) {
    return running.claim(item);
  }

  @Override
  protected int execute(Chunk chunk) {
    if (initFailure != null) {
      return refuse(chunk);
    }
    return run(chunk, timeoutNanos);
  }

  /**
   * A worker whose initializer failed runs nothing, as a worker process whose initializer failed is
   * killed: its first chunk is lost (run again on another worker, up to the retries, then failed
   * with a {@link WorkerDiedException} whose cause is the initializer's exception), and a fresh
   * worker, which runs the initializer again, takes this one's place.
   */
  private int refuse(Chunk chunk) {
    int n = chunk.items().length;
    WorkerDiedException died =
        new WorkerDiedException(
            "the initializer failed on "
                + Thread.currentThread().getName()
                + ", so it did not run "
                + chunk.describe(n)
                + ": "
                + initFailure,
            -1);
    died.initCause(initFailure);
    replaceAfterThisChunk();
    String next = "its tasks run again on another worker, and a fresh worker replaces it";
    Flight.workerDied(
        scheduler.name(), toString(), -1, -1, "the initializer failed: " + initFailure, next);
    Logs.POOL.log(
        Level.WARNING,
        () ->
            scheduler.name()
                + ": the initializer failed on "
                + this
                + " ("
                + Thread.currentThread().getName()
                + "): "
                + initFailure
                + "; "
                + next
                + " (the retries bound how often)",
        initFailure);
    chunk.report(Outcome.lost(died, ran()));
    return 0;
  }

  @Override
  protected boolean helpsNestedCalls() {
    return true;
  }

  /**
   * Runs a chunk of a call that the task running on this thread waits for. Its items are not timed
   * one by one: the waiting task's own deadline covers them, and a timeout of that task interrupts
   * this thread, which the nested tasks then see.
   */
  @Override
  protected void executeNested(Chunk chunk) {
    boolean before = Thread.interrupted();
    try {
      run(chunk, 0);
    } finally {
      // a nested task that interrupted itself must not leave the flag to the waiting task; an
      // interrupt meant for this thread (the waiting task timed out, the pool terminates) stays
      boolean now = Thread.interrupted();
      if (before || (now && (isRetired() || scheduler.isStopping()))) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private int run(Chunk chunk, long timeoutNanos) {
    Call call = chunk.call();
    Task<Object, Object> task = call.task();
    Object[] items = chunk.items();
    int n = items.length;
    // the chunk's items are its own copy: without a timeout, each result takes its input's place
    // (one array less to allocate and fill a chunk). With one, the watchdog may report the chunk
    // while its item runs, so results go to an array of their own
    Object[] results = timeoutNanos == 0 ? items : new Object[n];
    long base = chunk.start();
    long start = System.nanoTime();
    long maxTask = 0;
    int i = 0;
    Throwable failure = null;
    if (timeoutNanos == 0) {
      // small chunks mean long tasks (adaptive sizing): timing each costs them nothing. A chunk
      // of one item is timed as a whole, below: two clock reads a chunk fewer with chunk size 1
      boolean timeEach = n > 1 && n <= TIMED_CHUNK;
      for (; i < n; i++) {
        if (base + i >= call.limit()) {
          break;
        }
        long t = timeEach ? System.nanoTime() : 0;
        try {
          results[i] = task.apply(items[i]);
        } catch (Throwable e) {
          failure = e;
          break;
        }
        if (timeEach) {
          maxTask = Math.max(maxTask, System.nanoTime() - t);
        }
      }
    } else {
      for (; i < n; i++) {
        if (base + i >= call.limit()) {
          break;
        }
        long t = System.nanoTime();
        Running item = new Running(this, chunk, results, i, t, timeoutNanos);
        running.announce(item);
        Object result = null;
        Throwable thrown = null;
        try {
          result = task.apply(items[i]);
        } catch (Throwable e) {
          thrown = e;
        }
        if (!running.finish(item)) {
          // the watchdog timed this item out: it retires this worker, interrupts its thread and
          // reports the chunk (its report is the one this run gets). Wait until the interrupt is
          // sent, so that it cannot land in a later task; then clear it and leave (the loop sees
          // the worker retired)
          item.awaitInterruptSent();
          Thread.interrupted();
          return i;
        }
        maxTask = Math.max(maxTask, System.nanoTime() - t);
        if (thrown != null) {
          failure = thrown;
          break;
        }
        results[i] = result;
      }
    }
    long end = System.nanoTime();
    long elapsed = end - start;
    if (maxTask == 0 && i > 0) {
      maxTask = elapsed / i;
    }
    chunk.reportDone(results, i, failure, elapsed, ran(), maxTask, end);
    return failure == null ? i : i + 1;
  }
}
