package dev.pool4j.internal.scheduler;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One worker of a pool: a loop that takes a call, reads one chunk from it, and has the backend run
 * the chunk. The loop is the same for every backend; {@link #execute} is the backend's part.
 *
 * <p>This is the one contract every backend implements: the thread and process backends directly,
 * and a plugged {@link dev.pool4j.spi.PoolBackend} through an adapter whose {@link
 * dev.pool4j.spi.ChunkJob} only translates, method for method, into {@link Chunk} and {@link
 * Outcome}. What is the same for every backend is done here or in {@link Chunk}, once: the cut at
 * the call's limit before a chunk is handed over, the one-shot report ({@link Chunk#report}), and,
 * for a backend that {@linkplain Backend#queuesChunks() queues chunks}, the count of chunks handed
 * over and not yet reported (a worker is counted out only after its last report) and the chunk
 * times that set a queue's depth ({@link Call#chunkTime()}, {@link Scheduler#chunkTime()}).
 *
 * <p>Fields other than {@link #retired}, {@link #recycled} and the count of held chunks are owned
 * by the worker's thread.
 */
public abstract class Worker implements Runnable {

  protected final Scheduler scheduler;
  private final int id;

  /** Set once by the scheduler before the thread starts. */
  Thread thread;

  /** No more chunks for this worker (it was abandoned after a timeout); written under the lock. */
  volatile boolean retired;

  /** The worker leaves after maxTasksPerWorker tasks and is replaced. */
  volatile boolean recycled;

  private long tasksRun;

  /** Leave after the current chunk and be replaced ({@link #replaceAfterThisChunk()}). */
  private boolean replace;

  private final long createdNanos = System.nanoTime();

  /**
   * Chunks handed to {@link #execute} and not yet reported: counted up by this worker's thread,
   * down by whichever thread reports ({@link #released}).
   */
  private final AtomicInteger held = new AtomicInteger();

  /**
   * Set (under {@link #heldLock}) before the loop's end waits for {@link #held} to reach 0: a
   * report that brings it there then signals. Set before the count is read, so no wake-up is lost.
   */
  private volatile boolean awaitingReports;

  private final ReentrantLock heldLock = new ReentrantLock();
  private final Condition allReported = heldLock.newCondition();

  /** {@link #ran()}, once the worker is ready; any thread may make it, all make the same. */
  private volatile Outcome.Ran ran;

  /** When the worker was first ready for work; 0 before. */
  private volatile long readyNanos;

  /** The worker whose loop runs on the current thread, or null. */
  private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

  /** Whether {@link #runIdleStartup} is still to run; the worker's own thread's. */
  private boolean idleStartupPending = true;

  protected Worker(Scheduler scheduler, int id) {
    this.scheduler = scheduler;
    this.id = id;
  }

  /** Small, unique within the pool. */
  public final int id() {
    return id;
  }

  /** The thread running this worker. */
  public final Thread thread() {
    return thread;
  }

  /**
   * This worker as the insights name the runner of a chunk, for its {@link Outcome}: made once the
   * worker is ready (its start-up time is known then), not once a chunk.
   */
  public final Outcome.Ran ran() {
    Outcome.Ran r = ran;
    if (r == null) {
      r = Outcome.Ran.of(this);
      if (readyNanos != 0) {
        ran = r;
      }
    }
    return r;
  }

  /** Whether this worker was taken out of the pool (abandoned after a timeout). */
  public final boolean isRetired() {
    return retired;
  }

  /** How long the worker took from its creation until it was ready, or 0 if not ready yet. */
  public final long startupNanos() {
    long ready = readyNanos;
    return ready == 0 ? 0 : ready - createdNanos;
  }

  /**
   * Marks the worker ready. The loop does it before its first chunk, once {@link #starting()} has
   * returned.
   */
  protected final void markReady() {
    if (readyNanos == 0) {
      readyNanos = System.nanoTime();
    }
  }

  @Override
  public final void run() {
    CURRENT.set(this);
    try {
      starting();
      markReady();
      int maxTasks = scheduler.config().maxTasksPerWorker();
      Chunk[] turn = new Chunk[maxTasks > 0 ? 1 : Math.max(1, readAhead())];
      for (; ; ) {
        beforeTake();
        Call call = scheduler.takeReady(this);
        if (call == null) {
          return;
        }
        if (!call.inputNeverBlocks() && holdsBack()) {
          // this read may wait, perhaps on the results of a chunk held back
          sendHeldBack();
        }
        int n = scheduler.readWithToken(call, turn);
        int i = 0;
        try {
          while (i < n) {
            Chunk chunk = turn[i];
            turn[i++] = null;
            handOver(chunk);
            if (leaving(maxTasks)) {
              return;
            }
          }
        } finally {
          handBack(turn, i, n);
        }
        // then the chunks another reader read ahead of this call, while there are any: taken
        // without the read token or a lock
        for (Chunk chunk; (chunk = call.pollReadAhead()) != null; ) {
          handOver(chunk);
          if (leaving(maxTasks)) {
            return;
          }
        }
      }
    } finally {
      try {
        // a worker that never waited for a call: its start-up work still runs, before it stops
        runIdleStartup();
        stopping();
        awaitHeldReported();
        stopped();
      } finally {
        CURRENT.remove();
        scheduler.workerExited(this);
      }
    }
  }

  /** After a chunk: whether the loop ends (the worker was retired, or is to be replaced). */
  private boolean leaving(int maxTasks) {
    if (retired) {
      return true;
    }
    if (replace) {
      recycled = true;
      return true;
    }
    // a task may have interrupted itself; its flag must not leak into the next task
    // (terminate() is seen through the scheduler's state, not through this flag)
    Thread.interrupted();
    if (maxTasks > 0 && tasksRun >= maxTasks) {
      recycled = true;
      return true;
    }
    return false;
  }

  /**
   * Chunks {@code from..n-1} of a turn that this worker read but will not run (it leaves, or a
   * report threw) are handed back unrun ({@link Outcome#returned()}): they run again on whichever
   * worker reads from their call next, without using a retry, or count as done with nothing when
   * the call no longer needs them.
   */
  private static void handBack(Chunk[] turn, int from, int n) {
    for (int i = from; i < n; i++) {
      Chunk chunk = turn[i];
      turn[i] = null;
      chunk.report(Outcome.returned());
    }
  }

  /**
   * How many chunks this worker may take in one turn of a call's read token: more than one lets a
   * worker take several chunks of tiny tasks at once (the call hands out more than one only while
   * its chunks are measured to be tiny), which saves the scheduler's and the call's locks per
   * chunk. The chunks of a turn run one after the other on this worker, in input order; those it
   * does not run because it leaves are handed back. 1, the default, for a backend whose {@link
   * #execute} may hold a chunk behind others or that retires workers mid-turn.
   *
   * <p><b>No backend reads ahead for itself.</b> Thread workers did (16 chunks a turn), and that
   * made a task that waits for a later task of the same call hang: the later one sat in the waiting
   * worker's own turn, where no other worker could take it ({@code FailureTest}'s {@code
   * imapReportsTheEarliestFailureEvenWhenALaterOneHappenedFirst}, on JDK 25). Thread workers now
   * read ahead for every worker instead: the chunks a reader reads besides its own wait in the
   * call, where any worker takes them (see {@link Call}'s "Read ahead").
   */
  protected int readAhead() {
    return 1;
  }

  /**
   * Hands one chunk to the backend, the same way for every backend: a chunk the call no longer
   * needs (its limit fell to or below the chunk's start: a failure or a cancellation) or one read
   * as the pool terminates is reported {@linkplain Outcome#none none} here and never reaches the
   * backend; any other is given to {@link #execute}, with {@link Chunk#runnable()} the inputs the
   * call still needs, and counted as held until its report ({@link #awaitHeldReported}) when the
   * backend {@linkplain Backend#queuesChunks() queues chunks}.
   */
  private void handOver(Chunk chunk) {
    int runnable = chunk.cutAtLimit();
    if (runnable > 0 && scheduler.isTerminating()) {
      // terminate() sets its flag before it cancels the calls: a chunk read in between, reported
      // none while its call still counts it, would finish that call with null results. The call
      // is cancelled first, here, so that none means what it says (cancel is idempotent)
      chunk.call.cancel(Scheduler.terminated());
      runnable = 0;
    }
    if (runnable == 0) {
      chunk.report(Outcome.none(runsTasks() ? ran() : null));
      return;
    }
    if (scheduler.queuesChunks) {
      chunk.holder = this;
      held.incrementAndGet();
    }
    try {
      tasksRun += execute(chunk);
    } catch (Throwable t) {
      // the backend itself failed (out of memory, say), not a task: a chunk left
      // unreported would hang its call
      chunk.report(Outcome.aborted(t, ran()));
    }
  }

  /** A chunk this worker handed to {@link #execute} was reported (from any thread). */
  final void released() {
    if (held.decrementAndGet() == 0 && awaitingReports) {
      heldLock.lock();
      try {
        allReported.signalAll();
      } finally {
        heldLock.unlock();
      }
    }
  }

  /**
   * Waits, once the loop ended and {@link #stopping()} returned, until every chunk handed to {@link
   * #execute} was reported, so that {@link #stopped()} and the scheduler's count of workers come
   * after the last report. An interrupt does not end the wait (terminate() makes backends report
   * what they hold); it is kept for later.
   */
  private void awaitHeldReported() {
    if (held.get() == 0) {
      return;
    }
    boolean interrupted = false;
    heldLock.lock();
    try {
      awaitingReports = true;
      while (held.get() > 0) {
        try {
          allReported.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      heldLock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The worker whose loop runs on the current thread, or null when it is no worker's. */
  static Worker current() {
    return CURRENT.get();
  }

  /**
   * Whether a task that this worker runs runs on the worker's own thread, so that the thread, when
   * such a task waits for another call of the same pool, can run that call's chunks itself ({@link
   * #executeNested}) instead of waiting for a worker that may never come.
   */
  protected boolean helpsNestedCalls() {
    return false;
  }

  /**
   * Runs a chunk of a call that a task of this worker waits for, on this thread, inside that task;
   * reports it as {@link #execute} does. Only for a worker that {@link #helpsNestedCalls()}.
   */
  protected void executeNested(Chunk chunk) {
    throw new UnsupportedOperationException(getClass().getName() + " runs no nested chunks");
  }

  /**
   * Runs on the worker's thread before it takes its first chunk: a backend prepares what the worker
   * needs (starts a worker process), so that the first chunk goes to a worker that is ready.
   */
  protected void starting() {}

  /**
   * Called from {@link #execute} on the worker's thread: the worker leaves once the chunk is
   * reported and a fresh one takes its place, as after {@code maxTasksPerWorker} tasks (a worker
   * whose set-up failed must not run tasks).
   */
  protected final void replaceAfterThisChunk() {
    replace = true;
  }

  /**
   * Runs on the worker's thread before it takes each chunk: a backend whose {@link #execute}
   * returns before the chunk ran (it queued it to a worker process) waits here until it can take on
   * more, so that a chunk is not read by a worker that could only let it wait while another worker
   * idles.
   */
  protected void beforeTake() {}

  /**
   * Whether the worker has something to do before it waits for a call ({@link #workBeforeWaiting}):
   * chunks it holds back, or its start-up chores. The scheduler asks on the worker's thread when no
   * call is ready.
   */
  final boolean hasWorkBeforeWaiting() {
    return idleStartupPending || holdsBack();
  }

  /**
   * One step of what the worker does before it waits, no lock held; the scheduler asks again after
   * it. Chunks held back go first: a call may be waiting for them.
   */
  final void workBeforeWaiting() {
    if (holdsBack()) {
      sendHeldBack();
    } else {
      runIdleStartup();
    }
  }

  /**
   * Runs, once, the worker's start-up work that must not delay a call: the first time the worker
   * would wait for a call (no call was ready; see {@link #workBeforeWaiting}), or when its loop
   * ends if that never happened. It is {@link #startedIdle()} (a thread worker logs its start
   * there: a JVM's first {@code System.Logger} takes about 30 ms, which a first call made at once
   * would wait for), and, on the JVM's first such worker, the loading of a call's classes ({@link
   * CallClasses}).
   */
  final void runIdleStartup() {
    if (!idleStartupPending) {
      return;
    }
    idleStartupPending = false;
    // the classes first: a call that comes meanwhile needs them, not the log
    CallClasses.loadOnce();
    startedIdle();
  }

  /**
   * The backend's start-up work that can wait until the worker first has nothing to do: see {@link
   * #runIdleStartup}. Runs on the worker's thread, no lock held; nothing by default.
   */
  protected void startedIdle() {}

  /**
   * Whether this worker holds back chunks that it handed to {@link #execute} but did not send yet
   * (a backend that sends several queued chunks with one system call). The worker's own thread
   * asks, before it waits for work and before it reads from a call whose input may block: then it
   * {@linkplain #sendHeldBack() sends them} first, since a chunk held back while its worker waits
   * might be waited for by the very call that would wake it, or by the input being read.
   */
  protected boolean holdsBack() {
    return false;
  }

  /** Sends what {@link #holdsBack()} said is held back; on the worker's thread, holding no lock. */
  protected void sendHeldBack() {}

  /**
   * Runs on the worker's thread when its loop ends, before the scheduler counts it out: a backend
   * releases what the worker holds (stops its worker process), which makes it report the chunks it
   * still holds; the loop then waits for those reports, and calls {@link #stopped()}. So {@code
   * join()} returns only once everything is released.
   */
  protected void stopping() {}

  /**
   * Runs on the worker's thread after {@link #stopping()}, once every chunk this worker handed to
   * {@link #execute} was reported, before the scheduler counts it out: a plugged backend is closed
   * here, after its last report.
   */
  protected void stopped() {}

  /**
   * Runs the chunk's items and reports the outcome with {@link Chunk#report} (or leaves that to
   * whoever took the chunk over, such as a timeout). The chunk takes the first report and drops any
   * later one, so a backend whose paths race to report need not agree on who does.
   *
   * <p>The loop has already cut the chunk at the call's limit: only the first {@link
   * Chunk#runnable()} inputs are still needed (a backend that runs items one by one also stops at
   * {@link Call#limit()} as it falls), and a chunk with none left never gets here.
   *
   * <p>The report may also come after this method returns, from another thread: a backend may queue
   * the chunk behind others it has in flight (a worker process runs chunks one after the other, and
   * sending the next before the last result is back hides the round trip), and must then say so
   * with {@link Backend#queuesChunks()}. Such a backend must (1) report every chunk it accepted,
   * with an outcome done, lost or returned; (2) not throw once it has handed the chunk to its queue
   * (the loop would report the chunk as failed while it may still run); and (3) report every one of
   * them once {@link #stopping()} was called, for the loop waits for those reports before the
   * worker counts as exited. Chunks that wait in such a queue count toward the call's window like
   * running ones, so the window still bounds them.
   *
   * @return how many tasks ran, or were accepted to run (for {@code maxTasksPerWorker})
   */
  protected abstract int execute(Chunk chunk);

  /**
   * Whether tasks run on this worker's thread, so that the insights list it even while it has run
   * nothing; false for a worker that only hands chunks to a plugged backend, whose figures are
   * those of the places the backend names.
   */
  protected boolean runsTasks() {
    return true;
  }

  @Override
  public String toString() {
    return "worker-" + id;
  }
}
