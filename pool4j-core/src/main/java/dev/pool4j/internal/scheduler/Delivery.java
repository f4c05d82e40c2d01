package dev.pool4j.internal.scheduler;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pool4j.TaskFailedException;
import java.time.Duration;
import java.util.AbstractCollection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;

/**
 * The results side of one {@link Call}: the queue of chunks whose results a consumer has yet to
 * take, handing them out ({@link Mode#ORDERED} in input order, {@link Mode#UNORDERED} in completion
 * order), the consumer's waiting (helping with the call's chunks when the consumer is a task of the
 * same pool), and the collected list of a {@link Mode#COLLECT} call.
 *
 * <p>What a lazy consumer meets next is a {@link Step}, derived under the lock from the queue, the
 * call's failure and its finish, and from the consumer's own end ({@link Consumer}):
 *
 * <pre>
 *                 head chunk done (ORDERED) / a done chunk queued (UNORDERED)
 *          +------------------------------------------------------------+
 *          |                                                            v
 *        WAIT &lt;--- a chunk's last result taken, the next not done ------ READY
 *          |                                                            |
 *          |  failure reached: ORDERED once every result before the     |
 *          |  failing index was taken, else at once                     |
 *          +----------------------------+-------------------------------+
 *          |                            v
 *          |                         FAILED --next() throws TaskFailedException--+
 *          |                                      (Consumer.FAILURE_TAKEN)       |
 *          |  the input ended, nothing left to take,                              v
 *          +--- and the listener heard finished() (Call.Finish.ANNOUNCED) -----> ENDED
 *          |                                                                      ^
 *          +--- cancel() --&gt; CANCELLED (every step throws CancellationException)  |
 *                                                                                 |
 *   any step --close() (Consumer.CLOSED)------------------------------------------+
 * </pre>
 *
 * ENDED is final; CANCELLED is final unless the consumer closes. Every mutable field is guarded by
 * {@link Call#lock} ({@code @GuardedBy("call.lock")}, as is each {@code ...Locked} method; the
 * waiting consumer's {@link Condition} is the lock's), except {@link #helpers}, a copy-on-write
 * list read by any thread, {@link #collected}, which workers fill outside the lock, each its own
 * range, and the consumer's run ({@link #run}), which only the consuming thread touches.
 */
final class Delivery {

  /** What the consumer meets next; derived by {@link #stepLocked}. See the diagram above. */
  enum Step {
    /** The next result is there to take. */
    READY,
    /** Nothing to take yet: wait. */
    WAIT,
    /** The next thing is the call's failure. */
    FAILED,
    /** The call was cancelled. */
    CANCELLED,
    /** Every result has been returned (or the consumer is done). */
    ENDED
  }

  /** The consumer's own end, stored; guarded by the call's lock. */
  enum Consumer {
    /** Still taking results. */
    OPEN,
    /** Closed the results ({@link Call#closeByConsumer}). */
    CLOSED,
    /** Was handed the failure, which ends the results. */
    FAILURE_TAKEN
  }

  /** The longest a helper sleeps before it looks again; it is woken at every change anyway. */
  private static final long HELPER_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Call call;
  private final Mode mode;

  // --- guarded by call.lock ---
  @GuardedBy("call.lock")
  private final Condition changed;

  /**
   * ORDERED, COLLECT: every undelivered chunk, in input order. UNORDERED: done chunks, in
   * completion order. Each as its {@linkplain Chunk#first first run}.
   */
  @GuardedBy("call.lock")
  private final ArrayDeque<Chunk> pending = new ArrayDeque<>();

  /** UNORDERED: chunks read whose results the consumer has not taken all of. */
  @GuardedBy("call.lock")
  private int unconsumed;

  @GuardedBy("call.lock")
  private Consumer consumer = Consumer.OPEN;

  /** Results taken by the consumer. */
  @GuardedBy("call.lock")
  private long delivered;

  /** Consumers waiting on {@link #changed}. */
  @GuardedBy("call.lock")
  private int waiters;

  /** One-shot actions of downstream calls waiting for this call's results. */
  @GuardedBy("call.lock")
  private final List<Runnable> whenReady = new ArrayList<>(1);

  /**
   * The most results an {@code imap} consumer takes in one acquisition of the lock ({@link
   * #takeLocked}): the ready results at the head, in order, up to this many.
   */
  static final int RUN = 64;

  /**
   * The consumer's run: results taken from {@link #pending} under one acquisition of the lock,
   * handed out by {@link #hasNext} and {@link #next} without it, {@code run[runNext..runEnd-1]}.
   * Only the consuming thread touches it (a {@code Results} is consumed by one thread at a time),
   * under the lock or not; null until a lazy consumer first takes a result.
   */
  private Object[] run;

  private int runNext;

  private int runEnd;

  /**
   * Chunks whose last result went into the run: their window slots are freed ({@link
   * Call#takenLocked}) only once the run is handed out, at the consumer's next acquisition of the
   * lock ({@link #freeTakenLocked}), so that results in the run still count in the window and the
   * window stays as bounded as when the consumer took one result at a time.
   */
  @GuardedBy("call.lock")
  private Chunk[] taken;

  @GuardedBy("call.lock")
  private int takenCount;

  /**
   * Threads of this pool's workers whose task waits for this call and runs its chunks meanwhile;
   * woken ({@link #wakeHelpers}) when the call has a chunk to hand out or news for its consumer.
   */
  private final CopyOnWriteArrayList<Thread> helpers = new CopyOnWriteArrayList<>();

  /**
   * For a {@code map} whose input's size is known: the results, which each worker copies its chunks
   * into as they finish, so that nothing is left to copy when the call ends; else null. Made by the
   * caller once the call is queued ({@link #allocateCollected}), while the workers wake up and run
   * the first chunks: a chunk reported before it is there keeps its results, which the end copies
   * in ({@link #collectLocked}). Written once; read by workers without the lock.
   */
  private volatile Object[] collected;

  /** The size of {@link #collected} to make, or -1 for none. */
  private final int collectSize;

  Delivery(Call call, Mode mode, long inputSize) {
    this.call = call;
    this.mode = mode;
    this.changed = call.lock.newCondition();
    this.collectSize =
        mode == Mode.COLLECT && inputSize >= 0 && inputSize <= Integer.MAX_VALUE - 8
            ? (int) inputSize
            : -1;
  }

  /**
   * Makes the array a {@code map} of known size collects into, on the thread that made the call,
   * after the call was queued: zeroing it takes about 0.2 ms for a million results here (more in a
   * fresh JVM, whose heap pages are touched for the first time), which the workers' wake-up and
   * first chunks now hide instead of waiting behind it.
   */
  void allocateCollected() {
    if (collectSize >= 0) {
      collected = new Object[collectSize];
    }
  }

  // ------------------------------------------------------------------ from the call

  /** Under the lock: a chunk was read; its results will come here. */
  @GuardedBy("call.lock")
  void readLocked(Chunk chunk) {
    if (mode == Mode.UNORDERED) {
      unconsumed++;
    } else {
      pending.addLast(chunk);
    }
  }

  /**
   * Copies a run's valid results into the collected results, by the reporting worker, in parallel
   * with the others, into a range of its own, outside the lock (the lock taken next publishes it).
   * Returns whether the results are kept there (and need not be kept in the chunk).
   */
  boolean collect(Chunk chunk, Object[] results, int valid) {
    Object[] into = collected;
    boolean copied = into != null && chunk.start + valid <= into.length;
    if (copied && valid > 0) {
      System.arraycopy(results, 0, into, (int) chunk.start, valid);
    }
    return copied;
  }

  /** Under the lock: the results of {@code chunk} (a first run) are in. */
  @GuardedBy("call.lock")
  void completedLocked(Chunk chunk, Object[] results, int valid, boolean copied) {
    // copied into the collected results: not kept twice until the call ends
    chunk.results = copied ? null : results;
    chunk.valid = valid;
    chunk.done = true;
    if (mode == Mode.UNORDERED) {
      if (valid > 0) {
        pending.addLast(chunk);
      } else {
        unconsumed--;
      }
    }
  }

  /** Under the lock: whether {@code chunk} is the one an ordered consumer waits for. */
  @GuardedBy("call.lock")
  boolean isHeadLocked(Chunk chunk) {
    return chunk == pending.peekFirst();
  }

  /** Under the lock: wakes the consumer, the helpers and the downstream calls waiting for news. */
  @GuardedBy("call.lock")
  void signalLocked() {
    if (waiters > 0) {
      changed.signalAll();
    }
    wakeHelpers();
    if (!whenReady.isEmpty()) {
      // safe under this lock: an action offers a downstream call (Scheduler.offer), which takes
      // that call's scheduler's lock and no call's lock: the order call -> scheduler (see Call)
      for (Runnable action : whenReady) {
        action.run();
      }
      whenReady.clear();
    }
  }

  /** Under the lock: the results of a collected call, in input order; the queue is emptied. */
  @GuardedBy("call.lock")
  List<Object> collectLocked(long read) {
    Object[] into = collected;
    if (into != null && read <= into.length) {
      // the chunks reported before the array was made kept their results
      for (Chunk chunk : pending) {
        if (chunk.results != null) {
          System.arraycopy(chunk.results, 0, into, (int) chunk.start, chunk.valid);
        }
      }
      pending.clear();
      return new ResultList(into, (int) read);
    }
    // the input's size was unknown, or its collection gave more elements than its size said
    List<Object> results = new ArrayList<>((int) Math.min(read, Integer.MAX_VALUE - 8));
    for (Chunk chunk : pending) {
      // one arraycopy per chunk: a subList would copy through an iterator, item by item (a sixth
      // of a process pool's time per item in map of 1M tiny tasks), Arrays.asList copies twice
      Object[] own =
          chunk.results != null
              ? chunk.results
              : Arrays.copyOfRange(into, (int) chunk.start, (int) chunk.start + chunk.valid);
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
  @GuardedBy("call.lock")
  private Step stepLocked() {
    if (consumer != Consumer.OPEN) {
      return Step.ENDED;
    }
    if (call.cancelledLocked()) {
      return Step.CANCELLED;
    }
    if (mode == Mode.ORDERED) {
      // results in the run come before the failure: they were done, in order, before it
      if (delivered - (runEnd - runNext) >= call.failIndexLocked()) {
        return Step.FAILED;
      }
      if (runNext < runEnd) {
        return Step.READY;
      }
      Chunk head = pending.peekFirst();
      if (head == null) {
        return call.endedLocked() ? Step.ENDED : Step.WAIT;
      }
      return head.done && head.cursor < head.valid ? Step.READY : Step.WAIT;
    }
    if (call.failedLocked()) {
      return Step.FAILED;
    }
    if (runNext < runEnd || !pending.isEmpty()) {
      return Step.READY;
    }
    return unconsumed == 0 && call.endedLocked() ? Step.ENDED : Step.WAIT;
  }

  /** Waits until the consumer's next step is known: returns it (never WAIT). */
  @GuardedBy("call.lock")
  private Step awaitLocked(boolean timed, long nanos)
      throws InterruptedException, TimeoutException {
    Worker helper = call.scheduler.helperHere();
    if (helper != null) {
      return helpWhileWaitingLocked(helper, timed, nanos);
    }
    for (; ; ) {
      Step step = stepLocked();
      if (step != Step.WAIT) {
        return step;
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

  /** Wakes the threads that wait for this call and help it. Any thread, any lock held. */
  void wakeHelpers() {
    if (!helpers.isEmpty()) {
      for (Thread t : helpers) {
        LockSupport.unpark(t);
      }
    }
  }

  /**
   * {@link #awaitLocked} for a task of this pool that waits for this call, on a worker thread that
   * can run the call's chunks itself: it does, until the consumer's next step is known. So a call
   * made from inside a task never waits for a worker that may never come (every worker waiting in
   * such a call).
   */
  @GuardedBy("call.lock")
  private Step helpWhileWaitingLocked(Worker helper, boolean timed, long nanos)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + nanos;
    Thread me = Thread.currentThread();
    helpers.add(me);
    try {
      for (; ; ) {
        Step step = stepLocked();
        if (step != Step.WAIT) {
          return step;
        }
        long left = deadline - System.nanoTime();
        if (timed && left <= 0) {
          throw new TimeoutException("no result within the timeout; the call goes on");
        }
        call.lock.unlock();
        try {
          helpOrPark(helper, timed, left);
        } finally {
          call.lock.lock();
        }
      }
    } finally {
      helpers.remove(me);
    }
  }

  /** {@link Call#helpUntilDone}. */
  void helpUntilDone(Future<?> future, boolean timed, long deadline) throws InterruptedException {
    Worker helper = call.scheduler.helperHere();
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
    if (!call.scheduler.helpOnce(call, helper)) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(call, timed ? Math.min(left, HELPER_PARK_NANOS) : HELPER_PARK_NANOS);
    }
  }

  /**
   * Whether the consumer may hand out the next result of its run without the lock: it has one, and
   * the call has neither failed nor been cancelled (each lowers the volatile limit), so that
   * nothing is to come before it. Else the locked path decides, the run counted ({@link
   * #stepLocked}).
   */
  private boolean runReady() {
    return runNext < runEnd && call.limit() == Long.MAX_VALUE;
  }

  /** The next result of the run. */
  private Object popRun() {
    Object result = run[runNext];
    run[runNext++] = null;
    return result;
  }

  /** {@link Call#hasNext()}. */
  boolean hasNext() {
    if (runReady()) {
      return true;
    }
    Step step;
    InterruptedException interruption = null;
    call.lock.lock();
    try {
      freeTakenLocked();
      step = awaitLocked(false, 0);
    } catch (InterruptedException e) {
      step = null;
      interruption = e;
    } catch (TimeoutException e) {
      throw new AssertionError("an untimed wait timed out", e);
    } finally {
      call.lock.unlock();
    }
    if (step == null) {
      throw interrupted(interruption, "hasNext()");
    }
    if (step == Step.CANCELLED) {
      throw cancellation();
    }
    return step == Step.READY || step == Step.FAILED;
  }

  /** {@link Call#next}. */
  Object next(Duration timeout) throws TimeoutException {
    if (runReady()) {
      return popRun();
    }
    boolean timed = timeout != null;
    long nanos = timed ? saturatedNanos(timeout) : 0;
    InterruptedException interruption;
    call.lock.lock();
    try {
      freeTakenLocked();
      Step step = awaitLocked(timed, nanos);
      if (step == Step.READY) {
        return takeLocked(RUN);
      }
      throw endLocked(step);
    } catch (InterruptedException e) {
      interruption = e;
    } finally {
      call.lock.unlock();
    }
    throw interrupted(interruption, "next()");
  }

  /**
   * Takes the next result (step READY): from the run when it has one, else a new run of at most
   * {@code most} results, the ready ones at the head in the consumer's order, of which it returns
   * the first. The chunks whose last result it took wait in {@link #taken} for {@link
   * #freeTakenLocked}.
   */
  @GuardedBy("call.lock")
  private Object takeLocked(int most) {
    if (runNext < runEnd) {
      return popRun();
    }
    if (run == null || run.length < most) {
      run = new Object[most];
      // empty here: the consumer frees what it took before it takes a new run
      taken = new Chunk[most];
    }
    runNext = 0;
    runEnd = 0;
    long failIndex = call.failIndexLocked();
    while (runEnd < most) {
      Chunk head = pending.peekFirst();
      if (head == null || !head.done || head.cursor >= head.valid) {
        break;
      }
      if (mode == Mode.ORDERED && delivered >= failIndex) {
        break;
      }
      run[runEnd++] = head.results[head.cursor];
      head.results[head.cursor++] = null;
      delivered++;
      if (head.cursor >= head.valid) {
        pending.pollFirst();
        taken[takenCount++] = head;
        if (mode == Mode.UNORDERED) {
          unconsumed--;
        }
      }
    }
    return popRun();
  }

  /**
   * Under the lock, by the consumer: once its run is handed out, frees the window slots of the
   * chunks it emptied ({@link #taken}) and, when that lets the call read again, offers it to the
   * scheduler (under this lock: the order call, then scheduler; it happens once a run, and the
   * consumer may go on to wait, so the offer cannot wait for the unlock).
   */
  @GuardedBy("call.lock")
  private void freeTakenLocked() {
    if (takenCount == 0 || runNext < runEnd) {
      return;
    }
    boolean released = false;
    for (int i = 0; i < takenCount; i++) {
      released |= call.takenLocked(taken[i]);
      taken[i] = null;
    }
    takenCount = 0;
    if (released) {
      call.scheduler.offer(call);
    }
  }

  /** The exception for a consumer that meets the end, a failure or a cancellation. */
  @GuardedBy("call.lock")
  private RuntimeException endLocked(Step step) {
    switch (step) {
      case FAILED:
        consumer = Consumer.FAILURE_TAKEN;
        pending.clear();
        // imapUnordered's results taken before the failure was seen are dropped with the rest
        while (runNext < runEnd) {
          run[runNext++] = null;
        }
        return new TaskFailedException(call.failIndexLocked(), call.failCauseLocked());
      case CANCELLED:
        return cancellation();
      default:
        return new NoSuchElementException("every result has been returned");
    }
  }

  /** {@link Call#poll}. */
  Object poll(Runnable whenReadyAction) {
    call.lock.lock();
    try {
      Step step = stepLocked();
      switch (step) {
        case READY:
          // one at a time: a downstream call's reads come from whichever worker holds its token
          Object result = takeLocked(1);
          freeTakenLocked();
          return result;
        case ENDED:
          return Input.END;
        case WAIT:
          whenReady.add(whenReadyAction);
          return Input.NOT_READY;
        default:
          throw endLocked(step);
      }
    } finally {
      call.lock.unlock();
    }
  }

  /** Under the lock: the consumer closed the results; what is left is dropped. */
  @GuardedBy("call.lock")
  void closeLocked() {
    consumer = Consumer.CLOSED;
    pending.clear();
  }

  private CancellationException cancellation() {
    RuntimeException cancelled = call.cancelledCause();
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
    call.cancel(e);
    return e;
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
