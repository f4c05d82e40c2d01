package dev.pool4j.internal.scheduler;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pool4j.Insights;
import dev.pool4j.Task;
import dev.pool4j.TaskFailedException;
import dev.pool4j.internal.observe.Logs;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One pool call ({@code map}, {@code imap}, ...): its input, its window of outstanding chunks, its
 * results and its failure.
 *
 * <p>A call is four parts around one lock: this class takes each run's {@link Outcome} in, keeps
 * the failure policy and the call's finish, and coordinates the others; {@link Window} reads the
 * input and keeps the window of outstanding chunks; {@link Delivery} hands results to the consumer
 * (or collects them); {@link CallStats} records insights and flight recorder events. The parts take
 * no lock of their own: each method of theirs named {@code ...Locked} runs under {@link #lock},
 * taken here.
 *
 * <h2>Design</h2>
 *
 * <p><b>Reading.</b> Workers pull work: the {@link Scheduler} hands a call to one worker at a time
 * (the <i>read token</i>), which reads one chunk from the input without holding any lock (the input
 * may block) and gives the token back. Chunks are therefore read in input order by one thread at a
 * time, and iterators need not be thread safe.
 *
 * <p><b>Read ahead, for every worker.</b> When the call's input never blocks (a list, or another
 * call's results) and its backend does not queue chunks (threads), a reader whose chunks are
 * measured short reads several in one turn: as many as the pool's workers should together run in
 * {@link Window#READ_AHEAD_NANOS}, at most {@link #MAX_READ_AHEAD} besides its own, and within the
 * window. It runs the first; the others wait in {@link #readAhead}, where any worker takes them
 * without the token or a lock ({@link #pollReadAhead}, a {@link ReadAhead}) once it is done with a
 * chunk of this call, and where the next token holder takes one before it reads (the call stays
 * queued while any wait, so a worker parked for work is woken for them). That saves the scheduler's
 * lock twice and the call's lock twice per chunk, and the hand-over of the token from one worker to
 * the next, which with many workers or tiny tasks was the limit. No chunk read ahead is hidden from
 * a worker that takes work (a task may wait for a later task of its own call, as {@code
 * WaitForLaterTaskTest} checks), each keeps its slot in the window and its place in the consumer's
 * order, and {@link #cancel} (also how {@code terminate()} ends a call) reports those still waiting
 * as done with nothing at once. A read-ahead chunk's flight recorder event begins at its read, as a
 * chunk queued in a worker process's does; its run time is measured where it runs.
 *
 * <p><b>Window.</b> At most {@code maxInFlight} chunks are outstanding, or {@code minItemsInFlight}
 * inputs when that allows more (small chunks: what hides a worker's wake-up latency from the
 * consumer is buffered items, not chunks; 256 items of chunk size 1 cut {@code imap}'s cost per
 * item from about 2.5 to 0.3 microseconds on 2 cores). For the lazy modes a chunk stays outstanding
 * until the consumer has taken its last result, so a consumer that stops (or a slow result at the
 * head of {@code imap}) stops the reading, and memory stays bounded by {@code maxInFlight} chunks.
 * For {@link Mode#COLLECT} a slot frees when the chunk completes. When a slot frees, the call is
 * offered to the scheduler again. {@link #drain()} lifts the window, so that {@code close();
 * join()} completes calls nobody consumes yet. See {@link Window}.
 *
 * <p><b>Bytes.</b> Chunks alone do not bound memory: tiny tasks grow chunks to thousands of items,
 * and a result may be a string of any length. So the lazy modes also keep the window under {@code
 * maxBytes} of results: those done and not yet consumed, as {@link ResultBytes} estimates their
 * heap (or the backend's wire size, when larger), and those still running or queued, at the bytes
 * per item measured so far. No chunk is read while the window holds more (one chunk always may be
 * outstanding, so that a single result larger than the budget still passes), and adaptive chunks
 * are kept under {@code maxBytes / maxInFlight} ({@link ChunkSizer}). The window may thus pass
 * {@code maxBytes} by one chunk. {@link Mode#COLLECT} keeps every result anyway and is not
 * measured.
 *
 * <p><b>Outcomes.</b> A backend reports each run of a chunk once, with an {@link Outcome}, through
 * {@link Chunk#report}, whose compare-and-set drops every report after the first; {@link #accept}
 * is the one way an outcome enters the call, so nothing here counts a chunk twice. A lost or
 * returned run that is needed again is queued as a new run of the same inputs ({@link #runAgain}),
 * with a one-shot of its own.
 *
 * <p><b>Failure.</b> The failure kept is the lowest failing index for {@link Mode#ORDERED} (the
 * consumer first receives every earlier result, so earlier items keep running: {@link #limit} only
 * cuts items after it), and the first in time for the other modes (everything else is cut). Items
 * at or beyond {@link #limit} are skipped by the workers at their next item boundary; running tasks
 * are not interrupted.
 *
 * <p><b>Finishing.</b> The call has finished computing when no more input will be read and no chunk
 * is being read or run. That happens exactly once ({@link Finish}), and then the input is closed, a
 * collected call completes its sink, and the scheduler forgets the call. Results not yet consumed
 * stay here.
 *
 * <p><b>Locking.</b> All state below, and the state of the parts, is guarded by {@link #lock},
 * except {@link #limit} (volatile, read by workers per item), the scheduler's fields (guarded by
 * the scheduler's lock) and {@link Delivery}'s helper threads (a copy-on-write list). The order is
 * call, then scheduler: a call's lock may be held while a scheduler's is taken, never the other way
 * round. That happens in one place: {@link Delivery#signalLocked} runs, under this call's lock, the
 * wake-up actions of the downstream calls that read this one's results, each of which offers its
 * call to its scheduler ({@link Scheduler#offer}, which takes that scheduler's lock and no call's).
 * Everywhere else the call's lock is released before the scheduler is called, and the scheduler
 * never calls into a call while it holds its own lock (it only reads and writes the scheduler's
 * fields, and wakes the helpers, which takes no lock). No call's lock is taken while another call's
 * is held.
 *
 * <p>Error Prone checks this at compile time ({@code @GuardedBy}): this class's fields and its
 * {@code ...Locked} methods are guarded by {@code lock}, the parts' by {@code call.lock}, the same
 * lock seen from the part (each part's {@code call} is final and set to this call when it is made).
 * Error Prone cannot tell that {@code window.call.lock} is this {@code lock}, so the methods here
 * that call a part's locked method under {@link #lock} carry {@code @SuppressWarnings("GuardedBy")}
 * for that reason alone; inside the parts, and for this class's locked methods called from them,
 * the check is whole.
 */
public final class Call {

  /** Receives the outcome of a {@link Mode#COLLECT} call, exactly once, outside every lock. */
  public interface Sink {
    void succeeded(List<Object> results);

    void failed(RuntimeException failure);
  }

  /**
   * Hears of a call's progress, for a progress bar. {@link #completed} is called from workers under
   * the call's lock, so it must be cheap and never block; {@link #finished()} once, outside every
   * lock, before a collected call's result is handed out and before a lazy call's consumer sees the
   * end.
   */
  public interface Listener {
    /** {@code items} more inputs were done. */
    void completed(long items);

    /** The call has finished computing (done, failed or cancelled). */
    void finished();

    /** Hears nothing. */
    Listener NONE =
        new Listener() {
          @Override
          public void completed(long items) {}

          @Override
          public void finished() {}
        };
  }

  /**
   * Where the call stands with its {@link Scheduler}: {@link #schedState}, read and written by the
   * scheduler only, under its lock.
   *
   * <pre>
   * submit()
   *    |
   *    v       takeReady (a worker), helpOnce (a task that waits for the call)
   * QUEUED ----------------------------------------------------------------> READING
   *  ^  ^                                                                       |
   *  |  +--- afterRead: more to hand out, or offered while READING (recheck) ---+
   * offer()                                                                     |
   *  |                                                                          |
   * IDLE &lt;----------------------- afterRead: nothing more to hand out ---------+
   * </pre>
   *
   * An offer in QUEUED changes nothing; one in READING sets {@link #recheck}, so that the reader
   * queues the call again when it gives the read token back and no wake-up is lost.
   */
  enum Sched {
    /** Not queued and not read from: an offer queues it. */
    IDLE,
    /** In the scheduler's queue of calls that may have work to hand out. */
    QUEUED,
    /** A worker holds its read token (reads one chunk). */
    READING
  }

  /**
   * How far the call's computing has come; guarded by {@link #lock}.
   *
   * <pre>
   * COMPUTING --(no more input will be read, no chunk read or running: finishIfDoneLocked)-->
   *     FINISHED --(the listener's finished() returned: onFinished)--> ANNOUNCED
   * </pre>
   *
   * Each transition happens once. A lazy consumer sees the end only at ANNOUNCED, so that a
   * progress bar's last line comes first.
   */
  enum Finish {
    COMPUTING,
    FINISHED,
    ANNOUNCED
  }

  /** What {@link #runAgain} did. */
  private enum Rerun {
    /** The next run is queued. */
    AGAIN,
    /** The call no longer needs the chunk (cancelled, or past the limit). */
    NOT_NEEDED,
    /** The chunk's runs were lost as often as the retries allow. */
    NO_RETRY_LEFT
  }

  private static final AtomicLong CALL_IDS = new AtomicLong();

  final Scheduler scheduler;

  /** Unique in this JVM: what the flight recorder's events of this call carry. */
  final long id = CALL_IDS.incrementAndGet();

  final Task<Object, Object> task;
  private final Object prepared;
  final Mode mode;
  private final Sink sink;
  private final Listener listener;

  /** Items at this index and beyond are skipped by workers; lowered on failure or cancel. */
  volatile long limit = Long.MAX_VALUE;

  // --- guarded by scheduler.lock (read and written through Scheduler's own methods) ---
  @GuardedBy("scheduler.lock")
  Sched schedState = Sched.IDLE;

  /** Offered while READING: the reader queues the call again when it gives the token back. */
  @GuardedBy("scheduler.lock")
  boolean recheck;

  // --- guarded by lock ---
  final ReentrantLock lock = new ReentrantLock();

  /** The input side: reading, and the window of outstanding chunks. */
  final Window window;

  /** The results side: the consumer, or a collected call's list. */
  final Delivery delivery;

  /** Insights and flight recorder events. */
  final CallStats stats;

  /**
   * How long this call's chunks take where they run, each new time counting for half: recorded by
   * {@link Chunk#report} when the backend {@linkplain Backend#queuesChunks() queues chunks}, read
   * by backends that size a queue by it ({@link QueueDepth#forProcess}).
   */
  private final ChunkTime chunkTime = new ChunkTime(2);

  @GuardedBy("lock")
  private long failIndex = Long.MAX_VALUE;

  @GuardedBy("lock")
  private Throwable failCause;

  @GuardedBy("lock")
  private RuntimeException cancelled;

  @GuardedBy("lock")
  private Finish finish = Finish.COMPUTING;

  /**
   * What {@link #read} found {@link #wantsMore()} to be at its end; written under the lock by the
   * read-token holder, read by that same thread right after ({@link #wantsMoreAfterRead()}).
   */
  private boolean moreAfterRead;

  /** See {@link #inputNeverBlocks()}. */
  private final boolean inputNeverBlocks;

  /** The most chunks one read puts in {@link #readAhead}, besides the one its reader runs. */
  static final int MAX_READ_AHEAD = 64;

  /**
   * Chunks read and not yet taken, for any worker to take ({@link #pollReadAhead()}) without the
   * read token. Published under {@link #lock} by the token's holder only, emptied under it by
   * {@link #cancel}; taken from by any worker without a lock.
   */
  private final ReadAhead readAhead = new ReadAhead();

  /** Whether a read may put chunks in {@link #readAhead}. */
  private final boolean sharesReadAhead;

  /** The pool's workers, whose demand sizes a read ahead. */
  private final int workers;

  /** A collected call's sink was handed its outcome (or is being): it hears nothing more. */
  @GuardedBy("lock")
  private boolean sinkDone;

  Call(
      Scheduler scheduler,
      Task<Object, Object> task,
      Object prepared,
      Input input,
      Mode mode,
      ChunkSizer sizer,
      int maxInFlight,
      int minItemsInFlight,
      long maxBytes,
      Sink sink,
      Listener listener) {
    this.scheduler = scheduler;
    this.task = task;
    this.prepared = prepared;
    this.mode = mode;
    this.sink = sink;
    this.listener = listener;
    this.stats = new CallStats(this);
    this.window = new Window(this, input, mode, sizer, maxInFlight, minItemsInFlight, maxBytes);
    this.inputNeverBlocks = input.neverBlocks();
    this.sharesReadAhead = inputNeverBlocks && !scheduler.queuesChunks;
    this.workers = scheduler.config().workers();
    this.delivery = new Delivery(this, mode, input.size());
  }

  /**
   * Whether reading this call's input never blocks ({@link Input#neverBlocks}): a worker may then
   * hold back a chunk it queued while it reads the next, as the read cannot wait on the chunk's
   * results.
   */
  public boolean inputNeverBlocks() {
    return inputNeverBlocks;
  }

  /** Unique in this JVM; the flight recorder's events of the call carry it. */
  public long id() {
    return id;
  }

  /** The task of this call. */
  public Task<Object, Object> task() {
    return task;
  }

  /** What the backend's {@link Backend#prepare} made of the task, or null. */
  public Object prepared() {
    return prepared;
  }

  /** The running mean of this call's chunk times (see {@link #chunkTime}). */
  public ChunkTime chunkTime() {
    return chunkTime;
  }

  /**
   * The index from which the call no longer needs results: a failure or a cancellation cut it
   * there, or {@link Long#MAX_VALUE}. It only goes down.
   */
  public long limit() {
    return limit;
  }

  /**
   * How many inputs are still to be read, when the input's size is known; else -1. A backend that
   * queues chunks ahead of its worker reads it to know whether the input is far from its end.
   */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  public long unread() {
    lock.lock();
    try {
      return window.unreadLocked(limit);
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ reading (token holder)

  /**
   * Reads the next chunks into {@code out}, at most {@code out.length} of them (more than one only
   * while the call's chunks are measured to be tiny, see {@link Window#claimLocked}), and returns
   * how many; 0 when the window is full, the input is done or the call is cancelled. Only the
   * holder of the read token calls this.
   *
   * <p>One turn takes the call's lock twice whatever the number of chunks: once to claim their
   * slots, once to settle what was read (between the two the input is read with no lock held, in
   * order; a read that stops short, at the input's end, an error or the limit, ends the turn and
   * the slots claimed after it are freed unread).
   */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  int read(Chunk[] out) {
    int claimed;
    lock.lock();
    try {
      Chunk again = window.againLocked();
      if (again != null) {
        moreAfterRead = window.wantsMoreLocked(cancelled != null) || !readAhead.isEmpty();
        out[0] = again;
        return 1;
      }
      Chunk ahead = readAhead.poll();
      if (ahead != null) {
        moreAfterRead = window.wantsMoreLocked(cancelled != null) || !readAhead.isEmpty();
        out[0] = ahead;
        return 1;
      }
      claimed =
          sharesReadAhead
              ? window.claimLocked(
                  MAX_READ_AHEAD, cancelled != null, Window.READ_AHEAD_NANOS * workers)
              : window.claimLocked(out.length, cancelled != null, Window.READ_AHEAD_NANOS);
      if (claimed == 0) {
        moreAfterRead = false;
        return 0;
      }
    } finally {
      lock.unlock();
    }

    int filled = 0;
    while (filled < claimed) {
      Window.Read r = window.read(filled++);
      window.fill(r);
      // begun before the lock, not under it: the event's clock read is not the other workers' wait
      r.flight = CallStats.chunkBegin(r.expectedNanos);
      if (r.stoppedShort()) {
        break;
      }
    }

    int count = 0;
    Chunk[] ahead = claimed > out.length ? new Chunk[claimed - out.length] : null;
    int aheadCount = 0;
    boolean finishedNow;
    boolean released = false;
    RuntimeException collectFailure = null;
    lock.lock();
    try {
      for (int k = 0; k < claimed; k++) {
        Window.Read r = window.read(k);
        if (k >= filled) {
          window.dropLocked(r);
          released = true;
          continue;
        }
        window.settleLocked(r);
        if (r.error != null) {
          RuntimeException failure = recordFailureLocked(r.start + r.n, r.error);
          collectFailure = failure != null ? failure : collectFailure;
        }
        if (r.n == 0 || cancelled != null) {
          window.unclaimLocked(r);
          released = true;
        } else {
          Chunk chunk = new Chunk(this, r.start, r.inputs());
          chunk.flight = r.flight;
          delivery.readLocked(chunk);
          if (count < out.length) {
            out[count++] = chunk;
          } else {
            ahead[aheadCount++] = chunk;
          }
        }
        r.clear();
      }
      if (aheadCount > 0) {
        // the poll at this read's start found none: the batch before is taken
        readAhead.publish(ahead, aheadCount);
      }
      finishedNow = finishIfDoneLocked();
      if (window.inputDone) {
        // a consumer only cares about a read that ends the input (or fails it)
        delivery.signalLocked();
      }
      moreAfterRead = window.wantsMoreLocked(cancelled != null) || !readAhead.isEmpty();
    } finally {
      lock.unlock();
    }
    after(collectFailure, finishedNow, released);
    return count;
  }

  /**
   * Makes the array a {@code map} of known size collects its results into ({@link
   * Delivery#allocateCollected}); the thread that made the call calls it once the call is queued.
   * If that fails (out of memory), the call is cancelled before the error is thrown on, so that its
   * workers stop.
   */
  void allocateCollected() {
    try {
      delivery.allocateCollected();
    } catch (OutOfMemoryError e) {
      cancel(new CancellationException("no memory for the call's results: " + e));
      throw e;
    }
  }

  /** A chunk read ahead by another worker, or null: any worker, no lock. */
  Chunk pollReadAhead() {
    return readAhead.poll();
  }

  /** How many chunks wait read ahead now (for tests). */
  int readAheadSize() {
    return readAhead.size();
  }

  /**
   * {@link #wantsMore()} as {@link #read} found it at its end, under the lock it held anyway: the
   * read-token holder asks right after its read, which saves taking the lock once more a chunk. A
   * change after that look (a consumer frees a slot) offers the call again, and the scheduler
   * rechecks a call whose token is out ({@link #recheck}), so no wake-up is lost.
   */
  boolean wantsMoreAfterRead() {
    return moreAfterRead;
  }

  /** Whether another chunk may be read now. */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  boolean wantsMore() {
    lock.lock();
    try {
      return window.wantsMoreLocked(cancelled != null) || !readAhead.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The estimated bytes of results outstanding now (for tests and diagnostics), 0 when unbounded.
   */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  public long windowBytes() {
    lock.lock();
    try {
      return Math.max(0, window.windowBytesLocked());
    } finally {
      lock.unlock();
    }
  }

  /** The most estimated bytes of results this call keeps outstanding, 0 when unbounded. */
  public long maxBytes() {
    return window.maxBytes;
  }

  // ------------------------------------------------------------------ outcomes (workers)

  /**
   * Takes in the outcome of a run whose report won ({@link Chunk#report}): the one way an outcome
   * enters a call, so the call sees each run's outcome once. Any thread, no lock held.
   */
  void accept(Chunk run, Outcome outcome) {
    switch (outcome.kind) {
      case DONE:
        done(run, outcome);
        break;
      case LOST:
        lost(run, outcome);
        break;
      case RETURNED:
      case UNSURE:
        if (runAgain(run, false, outcome.kind == Outcome.Kind.UNSURE, null, 0) != Rerun.AGAIN) {
          done(run, Outcome.none(null));
        }
        break;
      default:
        throw new AssertionError(outcome.kind);
    }
  }

  /**
   * A report of {@code run} won but threw before the call took it in: the chunk fails at its first
   * item with {@code failure}, so that its call never waits for a report that will not come (see
   * {@link Chunk#report}). Nothing when the outcome was recorded before the throw.
   */
  void acceptFailed(Chunk run, Outcome.Ran ran, Throwable failure) {
    lock.lock();
    try {
      if (run.recorded) {
        return;
      }
    } finally {
      lock.unlock();
    }
    done(run, Outcome.aborted(failure, ran));
  }

  /** Records a run's results (an outcome of kind DONE, or a lost one that does not run again). */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  private void done(Chunk run, Outcome outcome) {
    done(
        run,
        outcome.results,
        outcome.valid,
        outcome.failure,
        outcome.nanos,
        outcome.ran,
        outcome.maxTaskNanos,
        outcome.wireBytes,
        outcome.ran == null ? 0 : System.nanoTime());
  }

  /**
   * {@link #done(Chunk, Outcome)} with the outcome's fields, for {@link Chunk#reportDone}, which
   * makes no {@link Outcome} per chunk; {@code now}: when the run ended (0 when nobody ran it).
   */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  void done(
      Chunk run,
      Object[] outcomeResults,
      int valid,
      Throwable failure,
      long nanos,
      Outcome.Ran worker,
      long maxTaskNanos,
      long wireBytes,
      long now) {
    Chunk chunk = run.first;
    Object[] results = outcomeResults != null ? outcomeResults : new Object[run.size()];
    if (results.length < run.size()) {
      // a backend that ran only the runnable inputs may answer with an array that long
      results = Arrays.copyOf(results, run.size());
    }
    boolean finishedNow;
    boolean released;
    RuntimeException collectFailure = null;
    // measured outside the lock: a chunk's results are this thread's until published
    long bytes = window.measure(results, valid, wireBytes);
    boolean copied = delivery.collect(chunk, results, valid);
    Object flightEvent;
    int size = results.length;
    int retries = run.retries;
    lock.lock();
    try {
      run.recorded = true;
      flightEvent = run.flight;
      run.flight = null;
      chunk.items = null;
      run.items = null;
      delivery.completedLocked(chunk, results, valid, copied);
      int ran = failure == null ? valid : valid + 1;
      if (valid > 0) {
        // under the lock, before the finish is decided: a bar closed by the last chunk's worker
        // has every other chunk counted
        listener.completed(valid);
      }
      stats.ranLocked(worker, now, nanos, ran, valid, maxTaskNanos, failure);
      released = window.completedLocked(chunk, results.length, valid, ran, nanos, bytes);
      if (failure != null) {
        collectFailure = recordFailureLocked(chunk.start + valid, failure);
      }
      finishedNow = finishIfDoneLocked();
      // an ordered consumer waits for the head chunk only; waking it for another is a wasted
      // context switch per chunk
      if (mode != Mode.ORDERED || failure != null || finishedNow || delivery.isHeadLocked(chunk)) {
        delivery.signalLocked();
      }
    } finally {
      lock.unlock();
    }
    stats.chunkEnd(
        flightEvent,
        chunk.start,
        size,
        valid,
        worker,
        nanos,
        retries,
        CallStats.chunkOutcome(worker, failure));
    after(collectFailure, finishedNow, released);
  }

  /**
   * A run whose worker was lost: unless the call no longer needs the chunk, it is handed back, to
   * run again from its first item on whichever worker reads from this call next, up to {@link
   * SchedulerConfig#retries()} times; after that (or when not needed) the outcome counts as done.
   */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  private void lost(Chunk run, Outcome outcome) {
    Outcome.Ran worker = outcome.ran;
    Throwable failure = outcome.failure;
    long now = System.nanoTime();
    Rerun again = runAgain(run, true, false, worker, outcome.nanos);
    int retries = run.retries;
    int most = scheduler.config().retries();
    if (again == Rerun.AGAIN) {
      if (worker != null) {
        lock.lock();
        try {
          stats.recordSpanLocked(worker, now, outcome.nanos, run.size(), Insights.Outcome.RETRIED);
        } finally {
          lock.unlock();
        }
      }
      // INFO, not WARNING: the pool recovers by itself and the call goes on; the loss that
      // caused it (a worker's death) was logged as a warning where it happened
      Logs.POOL.log(
          Level.INFO,
          () ->
              scheduler.name()
                  + ": the tasks at indexes "
                  + range(run)
                  + " of call #"
                  + id
                  + " run again on another worker after "
                  + (worker == null ? "their worker" : worker.name())
                  + " was lost (retry "
                  + (retries + 1)
                  + " of at most "
                  + most
                  + "): "
                  + failure);
      return;
    }
    if (again == Rerun.NO_RETRY_LEFT) {
      Logs.POOL.log(
          Level.WARNING,
          () ->
              scheduler.name()
                  + ": the tasks at indexes "
                  + range(run)
                  + " of call #"
                  + id
                  + " lost their worker "
                  + (worker == null ? "" : worker.name() + " ")
                  + "with no retry left (they ran "
                  + (retries + 1)
                  + " times): the call fails with "
                  + failure);
    }
    done(
        run,
        Outcome.done(
            outcome.results, outcome.valid, failure, outcome.nanos, worker, outcome.maxTaskNanos));
  }

  private static String range(Chunk chunk) {
    return chunk.start + ".." + (chunk.start + chunk.size() - 1);
  }

  /**
   * Queues the chunk's next run ({@link Chunk#rerun}), ahead of new input, if the call still needs
   * it (not cancelled, not past the limit) and, when it {@code costsRetry}, it has a retry left
   * (which it uses). Offers the call to the scheduler when it did; the caller reports the chunk
   * done when not. A returned chunk ({@link Outcome#returned()}) costs no retry: nothing of it ran,
   * so nothing of it can be to blame; nor does an unsure one ({@link Outcome#unsure()}, {@code
   * isolate}), which runs again {@linkplain Chunk#isolated() isolated} so that it can be blamed
   * next time. Runs are handed back in the order their reports come, so a backend that returns the
   * chunks queued behind a lost one after reporting that one has them run again in input order.
   */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  private Rerun runAgain(
      Chunk run, boolean costsRetry, boolean isolate, Outcome.Ran worker, long nanos) {
    Object flightEvent;
    int size;
    lock.lock();
    try {
      if (cancelled != null || run.start >= limit) {
        return Rerun.NOT_NEEDED;
      }
      size = run.size();
      if (costsRetry && run.retries >= scheduler.config().retries()) {
        return Rerun.NO_RETRY_LEFT;
      }
      run.recorded = true;
      // this run's event ends here; the next run gets one of its own
      flightEvent = run.flight;
      run.flight = null;
      Chunk next = run.rerun(costsRetry, isolate);
      next.flight = flightEvent == null ? null : CallStats.chunkBegin(-1);
      window.againLocked(next);
    } finally {
      lock.unlock();
    }
    stats.chunkEnd(
        flightEvent,
        run.start,
        size,
        0,
        worker,
        nanos,
        run.retries,
        costsRetry ? "lost" : isolate ? "unsure" : "returned");
    scheduler.offer(this);
    return Rerun.AGAIN;
  }

  /** Cancels the call: nothing more is read or run; consumers get {@code why}. Idempotent. */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  public void cancel(RuntimeException why) {
    boolean finishedNow;
    RuntimeException collectFailure = null;
    List<Chunk> dropped;
    lock.lock();
    try {
      if (cancelled != null || (finish != Finish.COMPUTING && mode == Mode.COLLECT)) {
        return;
      }
      dropped = window.cancelLocked();
      readAhead.drainTo(dropped);
      cancelled = why;
      limit = 0;
      if (mode == Mode.COLLECT && !sinkDone) {
        sinkDone = true;
        collectFailure = why;
      }
      finishedNow = finishIfDoneLocked();
      delivery.signalLocked();
    } finally {
      lock.unlock();
    }
    after(collectFailure, finishedNow, false);
    for (Chunk chunk : dropped) {
      chunk.report(Outcome.none(null));
    }
  }

  /** Lifts the window so that the call completes without a consumer (join). */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  void drain() {
    lock.lock();
    try {
      window.drainLocked();
    } finally {
      lock.unlock();
    }
    scheduler.offer(this);
  }

  /** Records a failure; returns the failure for a collected call's sink when this one fails it. */
  @GuardedBy("lock")
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  private RuntimeException recordFailureLocked(long index, Throwable cause) {
    if (cancelled != null) {
      return null;
    }
    if (mode == Mode.ORDERED) {
      if (index < failIndex) {
        failIndex = index;
        failCause = cause;
        limit = Math.min(limit, index);
        window.endLocked();
      }
      return null;
    }
    if (failCause != null) {
      return null;
    }
    failIndex = index;
    failCause = cause;
    limit = 0;
    window.endLocked();
    if (mode == Mode.COLLECT && !sinkDone) {
      sinkDone = true;
      return new TaskFailedException(index, cause);
    }
    return null;
  }

  // ------------------------------------------------------------------ the call's state, for its
  // parts

  /** Under the lock: whether the call was cancelled. */
  @GuardedBy("lock")
  boolean cancelledLocked() {
    return cancelled != null;
  }

  /** The cancellation's cause; set once under the lock, read after a locked look saw it set. */
  // read without the lock on purpose: set once, from null, and this thread saw it set under the
  // lock before it asks
  @SuppressWarnings("GuardedBy")
  RuntimeException cancelledCause() {
    return cancelled;
  }

  /** Under the lock: whether the call failed (the failure kept so far). */
  @GuardedBy("lock")
  boolean failedLocked() {
    return failCause != null;
  }

  /** Under the lock: the failing index kept, {@code Long.MAX_VALUE} when none. */
  @GuardedBy("lock")
  long failIndexLocked() {
    return failIndex;
  }

  /** Under the lock: the failure kept, or null. */
  @GuardedBy("lock")
  Throwable failCauseLocked() {
    return failCause;
  }

  /** Under the lock: whether the call finished computing. */
  @GuardedBy("lock")
  boolean finishedLocked() {
    return finish != Finish.COMPUTING;
  }

  /** Under the lock: no more results will come and the listener heard so: the consumer may end. */
  @GuardedBy("lock")
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  boolean endedLocked() {
    return window.inputDone && finish == Finish.ANNOUNCED;
  }

  /**
   * Under the lock: {@link Window#takenLocked}, for {@link Delivery}, which reaches the window
   * through this call.
   */
  @GuardedBy("lock")
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  boolean takenLocked(Chunk head) {
    return window.takenLocked(head);
  }

  /** Under the lock: how the call ended, for the flight recorder. */
  @GuardedBy("lock")
  String outcomeLocked() {
    return cancelled != null ? "cancelled" : failCause != null ? "failed" : "completed";
  }

  // ------------------------------------------------------------------ finishing

  @GuardedBy("lock")
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  private boolean finishIfDoneLocked() {
    if (finish == Finish.COMPUTING && window.idleLocked()) {
      finish = Finish.FINISHED;
      stats.finishedLocked();
      return true;
    }
    return false;
  }

  /** What follows a state change, outside the lock. */
  private void after(RuntimeException collectFailure, boolean finishedNow, boolean released) {
    if (collectFailure != null) {
      sink.failed(collectFailure);
    }
    if (finishedNow) {
      onFinished();
    } else if (released) {
      scheduler.offer(this);
    }
  }

  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  private void onFinished() {
    stats.callEnd();
    window.input.close();
    // before the sink: a caller that returns from map() must see this call's insights, and its
    // progress bar's last line
    scheduler.recordInsights(
        stats.insightsLater(scheduler.workers(), scheduler.config().workers()));
    listener.finished();
    lock.lock();
    try {
      finish = Finish.ANNOUNCED;
      delivery.signalLocked();
    } finally {
      lock.unlock();
    }
    if (mode == Mode.COLLECT) {
      List<Object> results = null;
      lock.lock();
      try {
        if (!sinkDone) {
          sinkDone = true;
          results = delivery.collectLocked(window.nextIndex);
        }
      } finally {
        lock.unlock();
      }
      if (results != null) {
        sink.succeeded(results);
      }
    }
    scheduler.callFinished(this);
  }

  // ------------------------------------------------------------------ consumers (see Delivery)

  /** Wakes the threads that wait for this call and help it. Any thread, any lock held. */
  void wakeHelpers() {
    delivery.wakeHelpers();
  }

  /**
   * For a future of this call waited for by a task of this pool ({@link CallFuture#get()}): runs
   * the call's chunks on this thread until the future is done, or the deadline passes when {@code
   * timed}; returns at once on a thread that is not such a worker's.
   */
  void helpUntilDone(Future<?> future, boolean timed, long deadline) throws InterruptedException {
    delivery.helpUntilDone(future, timed, deadline);
  }

  /** {@link dev.pool4j.Results#hasNext()}. */
  boolean hasNext() {
    return delivery.hasNext();
  }

  /** {@link dev.pool4j.Results#next()}, waiting at most {@code timeout} when not null. */
  Object next(Duration timeout) throws TimeoutException {
    return delivery.next(timeout);
  }

  /**
   * For a downstream call reading this one's results: the next result, {@link Input#END}, or {@link
   * Input#NOT_READY} (then {@code whenReadyAction} runs once, when there is news). Never blocks, so
   * that a pipeline never holds a worker waiting.
   *
   * @throws TaskFailedException if this call failed at the next position
   * @throws CancellationException if this call was cancelled
   */
  Object poll(Runnable whenReadyAction) {
    return delivery.poll(whenReadyAction);
  }

  /** {@link dev.pool4j.Results#close()}: the consumer is done; cancel what is left. */
  // a part's call.lock is this call's lock, held here (see Locking)
  @SuppressWarnings("GuardedBy")
  void closeByConsumer() {
    lock.lock();
    try {
      delivery.closeLocked();
    } finally {
      lock.unlock();
    }
    cancel(new CancellationException("the results were closed"));
  }

  /** Where the call's time went so far, per worker (live workers that ran nothing show zeros). */
  public Insights insights() {
    return stats.insights(scheduler.workers(), scheduler.config().workers());
  }

  /** For the cleaner of an abandoned {@code Results}: cancel unless already consumed. */
  Runnable abandonAction() {
    return () -> cancel(new CancellationException("the results were dropped unconsumed"));
  }

  @Override
  public String toString() {
    return "Call[" + mode + ", task " + task.getClass().getName() + "]";
  }
}
