package dev.pool4j.internal.threads;

import dev.pool4j.Task;
import dev.pool4j.internal.scheduler.Call;
import dev.pool4j.internal.scheduler.Chunk;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.Worker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker that runs each chunk's tasks on its own thread.
 *
 * <p>Without a timeout the loop over a chunk's items is as plain as a sequential map, plus one
 * volatile read per item (the call's cancellation limit). With a timeout each item is announced
 * in {@link #running}; the {@link Watchdog} claims an overdue item by compare-and-set, and the
 * worker that loses that race leaves the chunk to the watchdog and exits: whoever wins the CAS
 * reports the chunk, exactly once.
 */
final class ThreadWorker extends Worker {

  private static final VarHandle RUNNING;

  static {
    try {
      RUNNING =
          MethodHandles.lookup().findVarHandle(ThreadWorker.class, "running", Running.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The item being run, when a timeout is set; claimed by CAS. */
  @SuppressWarnings("unused") // through RUNNING
  private volatile Running running;

  private final long timeoutNanos;

  /** Chunks up to this size have each task timed, for the insights' max task time. */
  private static final int TIMED_CHUNK = 16;

  ThreadWorker(Scheduler scheduler, int id, long timeoutNanos) {
    super(scheduler, id);
    this.timeoutNanos = timeoutNanos;
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
    volatile boolean interruptSent;

    Running(ThreadWorker worker, Chunk chunk, Object[] results, int offset, long now, long timeout) {
      this.worker = worker;
      this.chunk = chunk;
      this.results = results;
      this.offset = offset;
      this.startNanos = now;
      this.deadline = now + timeout;
    }
  }

  Running running() {
    return (Running) RUNNING.getVolatile(this);
  }

  /** The watchdog's claim on an overdue item; true if the worker had not finished it. */
  boolean claim(Running item) {
    return RUNNING.compareAndSet(this, item, null);
  }

  @Override
  protected int execute(Chunk chunk) {
    return run(chunk, timeoutNanos);
  }

  @Override
  protected boolean helpsNestedCalls() {
    return true;
  }

  /**
   * Runs a chunk of a call that the task running on this thread waits for. Its items are not
   * timed one by one: the waiting task's own deadline covers them, and a timeout of that task
   * interrupts this thread, which the nested tasks then see.
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
      // small chunks mean long tasks (adaptive sizing): timing each costs them nothing
      boolean timeEach = n <= TIMED_CHUNK;
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
        RUNNING.setVolatile(this, item);
        Object result = null;
        Throwable thrown = null;
        try {
          result = task.apply(items[i]);
        } catch (Throwable e) {
          thrown = e;
        }
        if (!RUNNING.compareAndSet(this, item, null)) {
          // the watchdog timed this item out: it retires this worker, interrupts its thread and
          // reports the chunk. Wait until the interrupt is sent, so that it cannot land in a
          // later task; then clear it and leave (the loop sees the worker retired)
          while (!item.interruptSent) {
            Thread.yield(); // the watchdog is between its claim and the interrupt: microseconds
          }
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
    long elapsed = System.nanoTime() - start;
    if (maxTask == 0 && i > 0) {
      maxTask = elapsed / i;
    }
    call.chunkDone(chunk, results, i, failure, elapsed, this, maxTask);
    return failure == null ? i : i + 1;
  }
}
