package dev.pool4j.internal.scheduler;

import dev.pool4j.Insights;
import dev.pool4j.Task;
import dev.pool4j.TaskFailedException;
import dev.pool4j.internal.observe.Flight;
import dev.pool4j.internal.observe.Logs;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.AbstractCollection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One pool call ({@code map}, {@code imap}, ...): its input, its window of outstanding chunks,
 * its results and its failure.
 *
 * <h2>Design</h2>
 *
 * <p><b>Reading.</b> Workers pull work: the {@link Scheduler} hands a call to one worker at a
 * time (the <i>read token</i>), which reads one chunk from the input without holding any lock
 * (the input may block) and gives the token back. Chunks are therefore read in input order by one
 * thread at a time, and iterators need not be thread safe.
 *
 * <p><b>Window.</b> At most {@code maxInFlight} chunks are outstanding, or {@code
 * minItemsInFlight} inputs when that allows more (small chunks: what hides a worker's wake-up
 * latency from the consumer is buffered items, not chunks; 256 items of chunk size 1 cut {@code
 * imap}'s cost per item from about 2.5 to 0.3 microseconds on 2 cores). For the lazy modes a
 * chunk stays outstanding until the consumer has taken its last result, so a consumer that stops
 * (or a slow result at the head of {@code imap}) stops the reading, and memory stays bounded by
 * {@code maxInFlight} chunks. For {@link Mode#COLLECT} a slot frees when the chunk completes. When
 * a slot frees, the call is offered to the scheduler again. {@link #drain()} lifts the window, so
 * that {@code close(); join()} completes calls nobody consumes yet.
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
 * returned run that is needed again is queued as a new run of the same inputs ({@link
 * #runAgain}), with a one-shot of its own.
 *
 * <p><b>Failure.</b> The failure kept is the lowest failing index for {@link Mode#ORDERED} (the
 * consumer first receives every earlier result, so earlier items keep running: {@link #limit}
 * only cuts items after it), and the first in time for the other modes (everything else is cut).
 * Items at or beyond {@link #limit} are skipped by the workers at their next item boundary; running
 * tasks are not interrupted.
 *
 * <p><b>Finishing.</b> The call has finished computing when no more input will be read and no
 * chunk is being read or run. That happens exactly once ({@link #finished}), and then the input is
 * closed, a collected call completes its sink, and the scheduler forgets the call. Results not yet
 * consumed stay here.
 *
 * <p><b>Locking.</b> All state below is guarded by {@link #lock}, except {@link #limit} (volatile,
 * read by workers per item) and the scheduler's fields (guarded by the scheduler's lock). The
 * call's lock is never held while the scheduler's is taken, nor the other way round.
 */
public final class Call {

  /** Receives the outcome of a {@link Mode#COLLECT} call, exactly once, outside every lock. */
  public interface Sink {
    void succeeded(List<Object> results);

    void failed(RuntimeException failure);
  }

  /**
   * Hears of a call's progress, for a progress bar. {@link #completed} is called from workers
   * under the call's lock, so it must be cheap and never block; {@link #finished()} once, outside
   * every lock, before a collected call's result is handed out and before a lazy call's consumer
   * sees the end.
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

  /** Scheduler-side states, guarded by the scheduler's lock. */
  static final int IDLE = 0;

  static final int QUEUED = 1;
  static final int READING = 2;

  private static final int READY = 0;
  private static final int FAILED = 1;
  private static final int ENDED = 2;
  private static final int CANCELLED = 3;
  private static final int WAIT = 4;

  private static final AtomicLong CALL_IDS = new AtomicLong();

  final Scheduler scheduler;
  /** Unique in this JVM: what the flight recorder's events of this call carry. */
  final long id = CALL_IDS.incrementAndGet();
  /** The {@code dev.pool4j.Call} flight recorder event begun at the start, or null. */
  private final Object flight = Flight.callBegin();
  final Task<Object, Object> task;
  private final Object prepared;
  final Mode mode;
  private final Input input;
  private final int maxInFlight;
  private final int minItemsInFlight;
  /** The most estimated bytes of results outstanding (lazy modes), or 0 for no bound. */
  private final long maxBytes;
  private final Sink sink;
  private final Listener listener;

  /** Items at this index and beyond are skipped by workers; lowered on failure or cancel. */
  volatile long limit = Long.MAX_VALUE;

  /**
   * How many items a chunk's reading takes between two looks at {@link #limit} (a power of two):
   * at most this many are read after the call is cancelled.
   */
  static final int READ_CHECK = 64;

  // --- guarded by scheduler.lock ---
  int schedState = IDLE;
  boolean recheck;

  // --- guarded by lock ---
  final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ChunkSizer sizer;
  /**
   * ORDERED, COLLECT: every undelivered chunk, in input order. UNORDERED: done chunks, in
   * completion order. Each as its {@linkplain Chunk#first first run}.
   */
  private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
  /**
   * Next runs of chunks that were lost or returned ({@link #runAgain}), to run before new input is
   * read. They still count as running and outstanding, so the call cannot finish while one waits
   * here.
   */
  private final ArrayDeque<Chunk> lost = new ArrayDeque<>();

  private long nextIndex;
  private int outstanding;
  /** Inputs in the outstanding chunks. */
  private long outstandingItems;
  /** Estimated bytes of the results of done chunks not yet consumed (lazy modes). */
  private long heldBytes;
  /** Inputs of those chunks (part of {@link #outstandingItems}). */
  private long heldItems;
  private int running;
  private int unconsumed;
  private boolean inputDone;
  private boolean drain;
  /** The input (another call's results) had nothing ready at the last read. */
  private boolean inputStalled;
  /** Offers this call again; what an upstream call runs when it has results for it. */
  private final Runnable wakeUp;
  /** One-shot actions of downstream calls waiting for this call's results; under lock. */
  private final List<Runnable> whenReady = new ArrayList<>(1);
  /** A reader found the window full; cleared when the call is offered again. */
  private boolean stalled;
  private long failIndex = Long.MAX_VALUE;
  private Throwable failCause;
  private RuntimeException cancelled;
  private boolean finished;
  /** The listener heard finished(): a lazy consumer sees the end only then (a bar's last line first). */
  private boolean listenerDone;
  private boolean sinkDone;
  private boolean userClosed;
  private boolean failureDelivered;
  private long delivered;
  private int waiters;
  /** Inputs whose results were computed, for the flight recorder's Call event. */
  private long computed;

  // --- insights, guarded by lock ---
  private final long startNanos = System.nanoTime();
  private long endNanos;
  /** Per worker id: {busy nanos, tasks, max task nanos, start-up nanos}. */
  private final Map<Integer, long[]> stats = new HashMap<>();
  /** Per worker id: its name in the insights. */
  private final Map<Integer, String> names = new HashMap<>();
  /**
   * The timeline: a ring of the spans of the last {@link Insights#MAX_SPANS} chunk runs, grown on
   * demand (a small call holds a small array); slot {@code spanCount % MAX_SPANS} is next. One
   * small object per chunk, written under the lock the report takes anyway.
   */
  private Insights.Span[] spans = new Insights.Span[0];
  /** Spans recorded so far, kept or not. */
  private long spanCount;

  /**
   * For a {@code map} whose input's size is known: the results, which each worker copies its
   * chunks into as they finish, so that nothing is left to copy when the call ends; else null.
   */
  private final Object[] collected;

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
    this.wakeUp = () -> scheduler.offer(this);
    this.task = task;
    this.prepared = prepared;
    this.input = input;
    this.mode = mode;
    this.sizer = sizer;
    this.maxInFlight = maxInFlight;
    this.minItemsInFlight = minItemsInFlight;
    this.maxBytes = mode == Mode.COLLECT ? 0 : maxBytes;
    this.sink = sink;
    this.listener = listener;
    long size = input.size();
    this.collected =
        mode == Mode.COLLECT && size >= 0 && size <= Integer.MAX_VALUE - 8
            ? new Object[(int) size]
            : null;
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

  /** Items at this index and beyond must be skipped. */
  public long limit() {
    return limit;
  }

  /**
   * How many inputs are still to be read, when the input's size is known; else -1. A backend that
   * queues chunks ahead of its worker reads it to know whether the input is far from its end.
   */
  public long unread() {
    lock.lock();
    try {
      long size = input.size();
      return size < 0 ? -1 : Math.max(0, Math.min(size, limit) - nextIndex);
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ reading (token holder)

  /**
   * Reads the next chunk, or returns {@code null} when the window is full, the input is done or
   * the call is cancelled. Only the holder of the read token calls this.
   */
  Chunk read() {
    int size;
    long start;
    lock.lock();
    try {
      inputStalled = false;
      Chunk again = lost.pollFirst();
      if (again != null) {
        return again;
      }
      if (!wantsMoreLocked()) {
        return null;
      }
      long remaining = input.size() >= 0 ? input.size() - nextIndex : -1;
      size = sizer.next(remaining);
      start = nextIndex;
      running++;
      outstanding++;
      outstandingItems += size;
    } finally {
      lock.unlock();
    }

    Object[] items = null;
    int n = 0;
    boolean exhausted = false;
    Throwable error = null;
    boolean notReady = false;
    try {
      Iterator<?> direct = input.direct();
      if (input.isList()) {
        // a random-access list: the chunk in one copy, up to the limit as it stood when the
        // chunk began
        items = input.readList((int) Math.min(size, Math.max(0, limit - start)));
        n = items.length;
        exhausted = input.listEnded();
      } else if (direct != null) {
        items = new Object[size];
        // the common case in one tight loop: a plain iterator, read up to the limit; the limit
        // is read again every READ_CHECK items, so that a cancel (the results closed) or a
        // failure stops a long chunk's reading within a few items, not at its end
        int max = (int) Math.min(size, Math.max(0, limit - start));
        while (n < max) {
          if ((n & (READ_CHECK - 1)) == READ_CHECK - 1 && start + n >= limit) {
            break;
          }
          if (!direct.hasNext()) {
            exhausted = true;
            break;
          }
          Object item = direct.next(); // first: an input that throws here counts no element
          items[n++] = item;
        }
      } else {
        items = new Object[size];
        while (n < size && start + n < limit) {
          Object item = input.poll(wakeUp); // first: an input that throws here counts no element
          if (item == Input.END) {
            exhausted = true;
            break;
          }
          if (item == Input.NOT_READY) {
            notReady = true;
            break;
          }
          items[n++] = item;
        }
      }
    } catch (Throwable t) {
      error = t;
    }

    Chunk chunk = null;
    boolean finishedNow;
    boolean released = false;
    RuntimeException collectFailure = null;
    lock.lock();
    try {
      nextIndex = start + n;
      outstandingItems -= size - n;
      // the upstream runs wakeUp when it has more; until then no worker should come back
      inputStalled = notReady && !exhausted && error == null;
      if (exhausted || error != null || start + n >= limit) {
        inputDone = true;
      }
      if (error != null) {
        collectFailure = recordFailureLocked(start + n, error);
      }
      if (n == 0 || cancelled != null) {
        running--;
        outstanding--;
        outstandingItems -= n;
        released = true;
      } else {
        chunk = new Chunk(this, start, n == items.length ? items : Arrays.copyOf(items, n));
        chunk.flight = Flight.chunkBegin();
        if (mode == Mode.UNORDERED) {
          unconsumed++;
        } else {
          pending.addLast(chunk);
        }
      }
      finishedNow = finishIfDoneLocked();
      if (inputDone) {
        // a consumer only cares about a read that ends the input (or fails it)
        signalLocked();
      }
    } finally {
      lock.unlock();
    }
    after(collectFailure, finishedNow, released);
    return chunk;
  }

  /** Whether another chunk may be read now. */
  boolean wantsMore() {
    lock.lock();
    try {
      return wantsMoreLocked();
    } finally {
      lock.unlock();
    }
  }

  private boolean wantsMoreLocked() {
    if (!lost.isEmpty()) {
      return true;
    }
    if (inputDone || cancelled != null || inputStalled) {
      return false;
    }
    if (drain
        || ((outstanding < maxInFlight || outstandingItems < minItemsInFlight)
            && (outstanding == 0 || windowBytesLocked() < maxBytes))) {
      return true;
    }
    stalled = true;
    return false;
  }

  /**
   * The estimated bytes of the window's results: held ones as measured, the others (running,
   * queued) at the bytes per item seen so far. {@code Long.MIN_VALUE} when bytes are not bounded.
   */
  private long windowBytesLocked() {
    if (maxBytes <= 0) {
      return Long.MIN_VALUE;
    }
    long pendingItems = Math.max(0, outstandingItems - heldItems);
    return heldBytes + (long) (pendingItems * sizer.bytesPerItem());
  }

  /** The estimated bytes of results outstanding now (for tests and diagnostics), 0 when unbounded. */
  public long windowBytes() {
    lock.lock();
    try {
      return Math.max(0, windowBytesLocked());
    } finally {
      lock.unlock();
    }
  }

  /** The most estimated bytes of results this call keeps outstanding, 0 when unbounded. */
  public long maxBytes() {
    return maxBytes;
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
        if (runAgain(run, false, null, 0) != AGAIN) {
          done(run, Outcome.none(null));
        }
        break;
      default:
        throw new AssertionError(outcome.kind);
    }
  }

  /**
   * A report of {@code run} won but threw before the call took it in: the chunk fails at its
   * first item with {@code failure}, so that its call never waits for a report that will not come
   * (see {@link Chunk#report}). Nothing when the outcome was recorded before the throw.
   */
  void acceptFailed(Chunk run, Outcome outcome, Throwable failure) {
    lock.lock();
    try {
      if (run.recorded) {
        return;
      }
    } finally {
      lock.unlock();
    }
    done(run, Outcome.aborted(failure, outcome.ran));
  }

  /** Records a run's results (an outcome of kind DONE, or a lost one that does not run again). */
  private void done(Chunk run, Outcome outcome) {
    Chunk chunk = run.first;
    Object[] results = outcome.results != null ? outcome.results : new Object[run.size()];
    int valid = outcome.valid;
    Throwable failure = outcome.failure;
    long nanos = outcome.nanos;
    Outcome.Ran worker = outcome.ran;
    boolean finishedNow;
    boolean released = false;
    RuntimeException collectFailure = null;
    // measured outside the lock: a chunk's results are this thread's until published
    long bytes = maxBytes > 0 && valid > 0 ? ResultBytes.of(results, valid, outcome.wireBytes) : 0;
    long now = worker == null ? 0 : System.nanoTime();
    Object[] into = collected;
    boolean copied = into != null && chunk.start + valid <= into.length;
    if (copied && valid > 0) {
      // by this worker, in parallel with the others, into a range of its own; the lock below
      // publishes it to whoever collects
      System.arraycopy(results, 0, into, (int) chunk.start, valid);
    }
    Object flightEvent;
    int size = results.length;
    int retries = run.retries;
    lock.lock();
    try {
      run.recorded = true;
      flightEvent = run.flight;
      run.flight = null;
      computed += valid;
      // copied into the collected results above: not kept twice until the call ends
      chunk.results = copied ? null : results;
      chunk.valid = valid;
      chunk.done = true;
      chunk.items = null;
      run.items = null;
      int ran = outcome.tasksRun();
      sizer.record(ran, nanos);
      if (bytes > 0) {
        sizer.recordBytes(valid, bytes);
      }
      if (valid > 0) {
        // under the lock, before the finish is decided: a bar closed by the last chunk's worker
        // has every other chunk counted
        listener.completed(valid);
      }
      if (worker != null) {
        long[] w = stats.computeIfAbsent(worker.id(), id -> new long[4]);
        w[0] += nanos;
        w[1] += ran;
        w[2] = Math.max(w[2], outcome.maxTaskNanos);
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
      running--;
      if (failure != null) {
        collectFailure = recordFailureLocked(chunk.start + valid, failure);
      }
      if (mode != Mode.COLLECT && (mode == Mode.ORDERED || valid > 0)) {
        // held until consumed: what the byte window counts
        chunk.bytes = bytes;
        heldBytes += bytes;
        heldItems += results.length;
      }
      if (mode == Mode.UNORDERED && valid > 0) {
        pending.addLast(chunk);
      } else if (mode != Mode.ORDERED) {
        // collected, or nothing in it for an unordered consumer: its slot frees now
        outstanding--;
        outstandingItems -= results.length;
        released = true;
        if (mode == Mode.UNORDERED) {
          unconsumed--;
        }
      }
      finishedNow = finishIfDoneLocked();
      // an ordered consumer waits for the head chunk only; waking it for another is a wasted
      // context switch per chunk
      if (mode != Mode.ORDERED || failure != null || finishedNow || chunk == pending.peekFirst()) {
        signalLocked();
      }
    } finally {
      lock.unlock();
    }
    if (flightEvent != null) {
      Flight.chunkEnd(
          flightEvent,
          id,
          chunk.start,
          size,
          valid,
          worker == null ? "none" : worker.name(),
          nanos,
          retries,
          worker == null
              ? "dropped"
              : failure == null
                  ? "completed"
                  : failure instanceof TimeoutException ? "timed out" : "failed");
    }
    after(collectFailure, finishedNow, released);
  }

  /**
   * A run whose worker was lost: unless the call no longer needs the chunk, it is handed back, to
   * run again from its first item on whichever worker reads from this call next, up to {@link
   * SchedulerConfig#retries()} times; after that (or when not needed) the outcome counts as done.
   */
  private void lost(Chunk run, Outcome outcome) {
    Outcome.Ran worker = outcome.ran;
    Throwable failure = outcome.failure;
    long now = System.nanoTime();
    int again = runAgain(run, true, worker, outcome.nanos);
    int retries = run.retries;
    int most = scheduler.config().retries();
    if (again == AGAIN) {
      if (worker != null) {
        lock.lock();
        try {
          recordSpanLocked(worker, now, outcome.nanos, run.size(), Insights.Outcome.RETRIED);
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
    if (again == NO_RETRY_LEFT) {
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

  /** Adds a chunk run to the timeline, in place of the oldest once it holds MAX_SPANS. */
  private void recordSpanLocked(
      Outcome.Ran worker, long endNanos, long nanos, int items, Insights.Outcome outcome) {
    int cap = Insights.MAX_SPANS;
    if (spanCount == spans.length && spanCount < cap) {
      spans = java.util.Arrays.copyOf(spans, Math.min(cap, Math.max(16, 2 * spans.length)));
    }
    long end = endNanos - startNanos;
    long start = end - Math.max(0, nanos);
    spans[(int) (spanCount % cap)] =
        new Insights.Span(worker.name(), worker.id(), start, end, items, outcome);
    spanCount++;
  }

  private static String range(Chunk chunk) {
    return chunk.start + ".." + (chunk.start + chunk.size() - 1);
  }

  /**
   * Queues the chunk's next run ({@link Chunk#rerun}), ahead of new input, if the call still needs
   * it (not cancelled, not past the limit) and, when it {@code costsRetry}, it has a retry left
   * (which it uses). Offers the call to the scheduler when it did; the caller reports the chunk
   * done when not. A returned chunk ({@link Outcome#returned()}) costs no retry: nothing of it
   * ran, so nothing of it can be to blame. Runs are handed back in the order their reports come,
   * so a backend that returns the chunks queued behind a lost one after reporting that one has
   * them run again in input order.
   *
   * @return {@link #AGAIN}, {@link #NOT_NEEDED} or {@link #NO_RETRY_LEFT}
   */
  private int runAgain(Chunk run, boolean costsRetry, Outcome.Ran worker, long nanos) {
    Object flightEvent;
    int size;
    lock.lock();
    try {
      if (cancelled != null || run.start >= limit) {
        return NOT_NEEDED;
      }
      size = run.size();
      if (costsRetry && run.retries >= scheduler.config().retries()) {
        return NO_RETRY_LEFT;
      }
      run.recorded = true;
      // this run's event ends here; the next run gets one of its own
      flightEvent = run.flight;
      run.flight = null;
      Chunk next = run.rerun(costsRetry);
      next.flight = flightEvent == null ? null : Flight.chunkBegin();
      lost.addLast(next);
    } finally {
      lock.unlock();
    }
    if (flightEvent != null) {
      Flight.chunkEnd(
          flightEvent,
          id,
          run.start,
          size,
          0,
          worker == null ? "none" : worker.name(),
          nanos,
          run.retries,
          costsRetry ? "lost" : "returned");
    }
    scheduler.offer(this);
    return AGAIN;
  }

  /** What {@link #runAgain} did. */
  private static final int AGAIN = 0;

  private static final int NOT_NEEDED = 1;
  private static final int NO_RETRY_LEFT = 2;

  /** Cancels the call: nothing more is read or run; consumers get {@code why}. Idempotent. */
  public void cancel(RuntimeException why) {
    boolean finishedNow;
    RuntimeException collectFailure = null;
    List<Chunk> dropped;
    lock.lock();
    try {
      if (cancelled != null || (finished && mode == Mode.COLLECT)) {
        return;
      }
      dropped = new ArrayList<>(lost);
      lost.clear();
      cancelled = why;
      limit = 0;
      inputDone = true;
      if (mode == Mode.COLLECT && !sinkDone) {
        sinkDone = true;
        collectFailure = why;
      }
      finishedNow = finishIfDoneLocked();
      signalLocked();
    } finally {
      lock.unlock();
    }
    after(collectFailure, finishedNow, false);
    for (Chunk chunk : dropped) {
      chunk.report(Outcome.none(null));
    }
  }

  /** Lifts the window so that the call completes without a consumer (join). */
  void drain() {
    lock.lock();
    try {
      drain = true;
    } finally {
      lock.unlock();
    }
    scheduler.offer(this);
  }

  /** Records a failure; returns the failure for a collected call's sink when this one fails it. */
  private RuntimeException recordFailureLocked(long index, Throwable cause) {
    if (cancelled != null) {
      return null;
    }
    if (mode == Mode.ORDERED) {
      if (index < failIndex) {
        failIndex = index;
        failCause = cause;
        limit = Math.min(limit, index);
        inputDone = true;
      }
      return null;
    }
    if (failCause != null) {
      return null;
    }
    failIndex = index;
    failCause = cause;
    limit = 0;
    inputDone = true;
    if (mode == Mode.COLLECT && !sinkDone) {
      sinkDone = true;
      return new TaskFailedException(index, cause);
    }
    return null;
  }

  private boolean finishIfDoneLocked() {
    if (!finished && inputDone && running == 0) {
      finished = true;
      endNanos = System.nanoTime();
      return true;
    }
    return false;
  }

  private void signalLocked() {
    if (waiters > 0) {
      changed.signalAll();
    }
    wakeHelpers();
    if (!whenReady.isEmpty()) {
      // safe under this lock: offer() takes only a scheduler's lock, which is never held while
      // a call's lock is taken
      for (Runnable action : whenReady) {
        action.run();
      }
      whenReady.clear();
    }
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

  private void onFinished() {
    if (flight != null) {
      String outcome;
      long items;
      lock.lock();
      try {
        outcome = cancelled != null ? "cancelled" : failCause != null ? "failed" : "completed";
        items = computed;
      } finally {
        lock.unlock();
      }
      Flight.callEnd(
          flight,
          id,
          scheduler.name(),
          scheduler.backendName(),
          mode.name().toLowerCase(java.util.Locale.ROOT),
          task.getClass(),
          items,
          outcome);
    }
    input.close();
    // before the sink: a caller that returns from map() must see this call's insights, and its
    // progress bar's last line
    scheduler.recordInsights(insights());
    listener.finished();
    lock.lock();
    try {
      listenerDone = true;
      signalLocked();
    } finally {
      lock.unlock();
    }
    if (mode == Mode.COLLECT) {
      List<Object> results = null;
      lock.lock();
      try {
        if (!sinkDone) {
          sinkDone = true;
          results = collectLocked();
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

  private List<Object> collectLocked() {
    if (collected != null && nextIndex <= collected.length) {
      pending.clear();
      return new ResultList(collected, (int) nextIndex);
    }
    // the input's size was unknown, or its collection gave more elements than its size said
    List<Object> results = new ArrayList<>((int) Math.min(nextIndex, Integer.MAX_VALUE - 8));
    for (Chunk chunk : pending) {
      // one arraycopy per chunk: a subList would copy through an iterator, item by item (a sixth
      // of a process pool's time per item in map of 1M tiny tasks), Arrays.asList copies twice
      Object[] own =
          chunk.results != null
              ? chunk.results
              : Arrays.copyOfRange(collected, (int) chunk.start, (int) chunk.start + chunk.valid);
      results.addAll(new Prefix(own, chunk.valid));
    }
    pending.clear();
    return results;
  }

  /**
   * The first {@code size} elements of an array, for {@code ArrayList.addAll}, which copies what
   * {@link #toArray()} gives it: the array itself when it is all valid, so that each element is
   * copied once.
   */
  private static final class Prefix extends AbstractCollection<Object> {
    private final Object[] array;
    private final int size;

    Prefix(Object[] array, int size) {
      this.array = array;
      this.size = size;
    }

    @Override
    public Object[] toArray() {
      return size == array.length ? array : Arrays.copyOf(array, size);
    }

    @Override
    public Iterator<Object> iterator() {
      return Arrays.asList(array).subList(0, size).iterator();
    }

    @Override
    public int size() {
      return size;
    }
  }

  // ------------------------------------------------------------------ consuming (lazy modes)

  /** Under lock: what the consumer meets next. */
  private int stateLocked() {
    if (userClosed || failureDelivered) {
      return ENDED;
    }
    if (cancelled != null) {
      return CANCELLED;
    }
    if (mode == Mode.ORDERED) {
      if (delivered >= failIndex) {
        return FAILED;
      }
      Chunk head = pending.peekFirst();
      if (head == null) {
        return inputDone && listenerDone ? ENDED : WAIT;
      }
      return head.done && head.cursor < head.valid ? READY : WAIT;
    }
    if (failCause != null) {
      return FAILED;
    }
    if (!pending.isEmpty()) {
      return READY;
    }
    return inputDone && unconsumed == 0 && listenerDone ? ENDED : WAIT;
  }

  /** Waits until the consumer's next step is known: returns the state (never WAIT). */
  private int awaitLocked(boolean timed, long nanos) throws InterruptedException, TimeoutException {
    Worker helper = scheduler.helperHere();
    if (helper != null) {
      return helpWhileWaitingLocked(helper, timed, nanos);
    }
    for (; ; ) {
      int state = stateLocked();
      if (state != WAIT) {
        return state;
      }
      if (timed && nanos <= 0) {
        throw new TimeoutException("no result within the timeout; the call goes on");
      }
      waiters++;
      try {
        if (timed) {
          nanos = changed.awaitNanos(nanos);
        } else {
          changed.await();
        }
      } finally {
        waiters--;
      }
    }
  }

  // ------------------------------------------------------------------ nested calls

  /** The longest a helper sleeps before it looks again; it is woken at every change anyway. */
  private static final long HELPER_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /**
   * Threads of this pool's workers whose task waits for this call and runs its chunks meanwhile;
   * woken ({@link #wakeHelpers}) when the call has a chunk to hand out or news for its consumer.
   */
  private final CopyOnWriteArrayList<Thread> helpers = new CopyOnWriteArrayList<>();

  /** Wakes the threads that wait for this call and help it. Any thread, any lock held. */
  void wakeHelpers() {
    if (!helpers.isEmpty()) {
      for (Thread t : helpers) {
        LockSupport.unpark(t);
      }
    }
  }

  /**
   * {@link #awaitLocked} for a task of this pool that waits for this call, on a worker thread
   * that can run the call's chunks itself: it does, until the consumer's next step is known. So a
   * call made from inside a task never waits for a worker that may never come (every worker
   * waiting in such a call).
   */
  private int helpWhileWaitingLocked(Worker helper, boolean timed, long nanos)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + nanos;
    Thread me = Thread.currentThread();
    helpers.add(me);
    try {
      for (; ; ) {
        int state = stateLocked();
        if (state != WAIT) {
          return state;
        }
        long left = deadline - System.nanoTime();
        if (timed && left <= 0) {
          throw new TimeoutException("no result within the timeout; the call goes on");
        }
        lock.unlock();
        try {
          helpOrPark(helper, timed, left);
        } finally {
          lock.lock();
        }
      }
    } finally {
      helpers.remove(me);
    }
  }

  /**
   * For a future of this call waited for by a task of this pool ({@link CallFuture#get()}): runs
   * the call's chunks on this thread until the future is done, or the deadline passes when {@code
   * timed}; returns at once on a thread that is not such a worker's.
   */
  void helpUntilDone(java.util.concurrent.Future<?> future, boolean timed, long deadline)
      throws InterruptedException {
    Worker helper = scheduler.helperHere();
    if (helper == null) {
      return;
    }
    Thread me = Thread.currentThread();
    helpers.add(me);
    try {
      while (!future.isDone()) {
        long left = deadline - System.nanoTime();
        if (timed && left <= 0) {
          return;
        }
        helpOrPark(helper, timed, left);
      }
    } finally {
      helpers.remove(me);
    }
  }

  /** Runs one chunk of this call if it has one to hand out, else sleeps until woken. */
  private void helpOrPark(Worker helper, boolean timed, long left) throws InterruptedException {
    if (!scheduler.helpOnce(this, helper)) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(this, timed ? Math.min(left, HELPER_PARK_NANOS) : HELPER_PARK_NANOS);
    }
  }

  /** {@link dev.pool4j.Results#hasNext()}. */
  boolean hasNext() {
    int state;
    InterruptedException interruption = null;
    lock.lock();
    try {
      state = awaitLocked(false, 0);
    } catch (InterruptedException e) {
      state = -1;
      interruption = e;
    } catch (TimeoutException e) {
      throw new AssertionError("an untimed wait timed out", e);
    } finally {
      lock.unlock();
    }
    if (state == -1) {
      throw interrupted(interruption, "hasNext()");
    }
    if (state == CANCELLED) {
      throw cancellation();
    }
    return state == READY || state == FAILED;
  }

  /** {@link dev.pool4j.Results#next()}, waiting at most {@code timeout} when not null. */
  Object next(Duration timeout) throws TimeoutException {
    boolean timed = timeout != null;
    long nanos = timed ? saturatedNanos(timeout) : 0;
    boolean released = false;
    InterruptedException interruption;
    lock.lock();
    try {
      int state = awaitLocked(timed, nanos);
      if (state == READY) {
        Object result = takeLocked();
        released = releaseSlot;
        return result;
      }
      throw endLocked(state);
    } catch (InterruptedException e) {
      interruption = e;
    } finally {
      lock.unlock();
      if (released) {
        scheduler.offer(this);
      }
    }
    throw interrupted(interruption, "next()");
  }

  /** Set by {@link #takeLocked()}: the slot freed must be offered to the scheduler. */
  private boolean releaseSlot;

  /** Takes the next result (state READY); sets {@link #releaseSlot}. */
  private Object takeLocked() {
    releaseSlot = false;
    Chunk head = pending.peekFirst();
    Object result = head.results[head.cursor];
    head.results[head.cursor++] = null;
    delivered++;
    if (head.cursor >= head.valid) {
      pending.pollFirst();
      outstanding--;
      outstandingItems -= head.results.length;
      heldBytes -= head.bytes;
      heldItems -= head.results.length;
      // a stalled call is offered again only once half its window is free: a woken worker
      // then reads several chunks in a row instead of one wake-up per chunk (with nothing
      // outstanding the window is empty in every measure, so that no call is left stalled)
      if (!stalled
          || ((outstanding <= maxInFlight / 2 || outstandingItems <= minItemsInFlight / 2)
              && windowBytesLocked() <= maxBytes / 2)) {
        stalled = false;
        releaseSlot = true;
      }
      if (mode == Mode.UNORDERED) {
        unconsumed--;
      }
    }
    return result;
  }

  /** The exception for a consumer that meets the end, a failure or a cancellation. */
  private RuntimeException endLocked(int state) {
    switch (state) {
      case FAILED:
        failureDelivered = true;
        pending.clear();
        return new TaskFailedException(failIndex, failCause);
      case CANCELLED:
        return cancellation();
      default:
        return new NoSuchElementException("every result has been returned");
    }
  }

  /**
   * For a downstream call reading this one's results: the next result, {@link Input#END}, or
   * {@link Input#NOT_READY} (then {@code whenReadyAction} runs once, when there is news). Never
   * blocks, so that a pipeline never holds a worker waiting.
   *
   * @throws TaskFailedException if this call failed at the next position
   * @throws CancellationException if this call was cancelled
   */
  Object poll(Runnable whenReadyAction) {
    boolean released = false;
    lock.lock();
    try {
      int state = stateLocked();
      switch (state) {
        case READY:
          Object result = takeLocked();
          released = releaseSlot;
          return result;
        case ENDED:
          return Input.END;
        case WAIT:
          whenReady.add(whenReadyAction);
          return Input.NOT_READY;
        default:
          throw endLocked(state);
      }
    } finally {
      lock.unlock();
      if (released) {
        scheduler.offer(this);
      }
    }
  }

  /** {@link dev.pool4j.Results#close()}: the consumer is done; cancel what is left. */
  void closeByConsumer() {
    lock.lock();
    try {
      userClosed = true;
      pending.clear();
    } finally {
      lock.unlock();
    }
    cancel(new CancellationException("the results were closed"));
  }

  private CancellationException cancellation() {
    CancellationException e = new CancellationException(cancelled.getMessage());
    e.initCause(cancelled);
    return e;
  }

  /** The waiting thread was interrupted: cancel the call, keep the flag, say what happened. */
  CancellationException interrupted(InterruptedException cause, String where) {
    Thread.currentThread().interrupt();
    CancellationException e =
        new CancellationException(
            "interrupted while waiting in "
                + where
                + "; the call was cancelled and the thread's interrupt flag is kept");
    e.initCause(cause);
    cancel(e);
    return e;
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** Where the call's time went so far, per worker (live workers that ran nothing show zeros). */
  public Insights insights() {
    List<Worker> live = scheduler.workers();
    List<Insights.WorkerStats> out = new ArrayList<>();
    long wall;
    List<Insights.Span> timeline;
    long dropped;
    lock.lock();
    try {
      long end = finished ? endNanos : System.nanoTime();
      wall = end - startNanos;
      Map<Integer, long[]> all = new java.util.TreeMap<>(stats);
      for (Worker w : live) {
        if (w.runsTasks()) {
          all.putIfAbsent(w.id(), new long[] {0, 0, 0, w.startupNanos()});
        }
      }
      for (Map.Entry<Integer, long[]> e : all.entrySet()) {
        long[] v = e.getValue();
        out.add(
            new Insights.WorkerStats(
                names.getOrDefault(e.getKey(), "worker-" + e.getKey()),
                e.getKey(),
                Duration.ofNanos(v[3]),
                Duration.ofNanos(v[0]),
                Duration.ofNanos(Math.max(0, wall - v[0])),
                v[1],
                Duration.ofNanos(v[2])));
      }
      int kept = (int) Math.min(spanCount, Insights.MAX_SPANS);
      dropped = spanCount - kept;
      // oldest first: the ring's next slot holds the oldest once it is full
      int first = (int) (spanCount % Insights.MAX_SPANS);
      Insights.Span[] copy = new Insights.Span[kept];
      if (dropped == 0) {
        System.arraycopy(spans, 0, copy, 0, kept);
      } else {
        System.arraycopy(spans, first, copy, 0, kept - first);
        System.arraycopy(spans, 0, copy, kept - first, first);
      }
      timeline = java.util.Arrays.asList(copy);
    } finally {
      lock.unlock();
    }
    return new Insights(
        Duration.ofNanos(wall), scheduler.config().workers(), out, timeline, dropped);
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
