package dev.pool4j.internal.scheduler;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pool4j.Insights;
import dev.pool4j.Task;
import dev.pool4j.internal.observe.Logs;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The engine behind one {@code Pool}: its workers, the queue of calls that have work, and the
 * pool's lifecycle. Written once for every backend; a backend only says how a worker runs a chunk.
 *
 * <h2>Design</h2>
 *
 * <p>Workers pull. A call with work to hand out sits in {@link #ready}; an idle worker takes the
 * first call (which grants it the call's read token), reads one chunk, puts the call back at the
 * tail if it has more to give (round robin between concurrent calls), and runs the chunk. A call
 * whose window is full, or whose input is exhausted, leaves the queue; a consumer that frees a slot
 * {@link #offer offers} it again. A worker that offers while another still holds the token sets
 * {@link Call#recheck} so that no wake-up is lost.
 *
 * <p>Cost: two acquisitions of {@link #lock} per turn of a call's read token, each a few tens of
 * nanoseconds when uncontended; chunks make that per item negligible except with a chunk size of 1
 * or many workers, and for those a thread worker's turn reads ahead for every worker: the chunks
 * besides its own wait in the call, and a worker done with a chunk takes the next from there with
 * no lock (see {@link Call}'s "Read ahead").
 *
 * <p>All fields are guarded by {@link #lock}. Lock order: a call's lock, then this one; never the
 * other way round. {@link #offer} is called under a call's lock (an upstream call waking a
 * downstream one that reads its results, see {@link Call}'s locking note), so nothing here calls
 * into a call while holding {@link #lock}.
 */
public final class Scheduler {

  /**
   * The pool's lifecycle, changed only under {@link #lock}.
   *
   * <pre>
   * RUNNING --close()--> CLOSED --(no call left, every worker exited)--> TERMINATED
   *    |                   |
   *    +---terminate()-----+--> STOPPING --(every worker exited)--> TERMINATED
   * </pre>
   */
  enum State {
    RUNNING,
    CLOSED,
    STOPPING,
    TERMINATED
  }

  private static final AtomicInteger POOL_IDS = new AtomicInteger();

  private final SchedulerConfig config;
  private final Backend backend;

  /** {@link Backend#queuesChunks()}, read by every hand-over and report. */
  final boolean queuesChunks;

  private final String name;
  private final AtomicInteger workerIds = new AtomicInteger();

  /** The byte budget of each lazy call's window ({@link SchedulerConfig#maxBytesInFlight()}). */
  private final long maxBytesInFlight = SchedulerConfig.maxBytesInFlight();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  private final Condition terminated = lock.newCondition();

  /** Guarded by lock. See {@link State} for the transitions. */
  @GuardedBy("lock")
  private State state = State.RUNNING;

  /** Whether terminate() was called (TERMINATED is also reached by close()); guarded by lock. */
  @GuardedBy("lock")
  private boolean terminateCalled;

  /**
   * Read tokens held now (calls READING); guarded by lock. A thread worker that finds no call ready
   * while one is being read waits awake briefly for its token before it parks ({@link
   * #awaitToken}).
   */
  @GuardedBy("lock")
  private int reading;

  /**
   * Workers waiting awake for a read token ({@link #awaitToken}); guarded by lock. Each checks
   * {@link #ready} under the lock when it stops, so a call queued while one waits needs no signal.
   */
  @GuardedBy("lock")
  private int spinning;

  /**
   * How many times a call was queued ({@link Call.Sched#QUEUED}), for {@link #awaitToken}'s spin;
   * written under lock.
   */
  private volatile int queuedCount;

  /** Calls that may have work to hand out; guarded by lock. */
  @GuardedBy("lock")
  private final ArrayDeque<Call> ready = new ArrayDeque<>();

  /** Calls that have not finished computing; guarded by lock. */
  @GuardedBy("lock")
  private final Set<Call> active = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Workers that count toward {@code workers}; guarded by lock. */
  @GuardedBy("lock")
  private final Set<Worker> workers = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * Set by terminate() before it cancels the calls: a worker hands no chunk over once it is set
   * ({@link Worker}). Read without the lock, once per chunk.
   */
  private volatile boolean terminating;

  /**
   * How long chunks take where they run, over every call, each new time counting for a fifth:
   * recorded by {@link Chunk#report} when the backend {@linkplain Backend#queuesChunks() queues
   * chunks}, read by backends that size a queue by it ({@link QueueDepth#forMember}).
   */
  private final ChunkTime chunkTime = new ChunkTime(5);

  /** The insights of the call that finished last; null before any. */
  private volatile Supplier<Insights> lastInsights;

  /**
   * Creates the engine and starts its workers.
   *
   * @param config validated settings
   * @param backend how workers run chunks
   */
  public Scheduler(SchedulerConfig config, Backend backend) {
    this.config = config;
    this.backend = backend;
    this.queuesChunks = backend.queuesChunks();
    this.name = "pool4j-" + POOL_IDS.incrementAndGet();
    lock.lock();
    try {
      int threads = Math.max(1, backend.workerThreads(config));
      for (int i = 0; i < threads; i++) {
        startWorkerLocked();
      }
    } finally {
      lock.unlock();
    }
    backend.started(this);
  }

  /** The settings. */
  public SchedulerConfig config() {
    return config;
  }

  /** What runs the chunks, in words ("platform threads", "worker processes", a cluster...). */
  public String backendName() {
    return backend.toString();
  }

  /** The name that prefixes this pool's thread names. */
  public String name() {
    return name;
  }

  // ------------------------------------------------------------------ calls

  /**
   * Starts a call. Work begins at once; results go to the returned call (lazy modes) or to {@code
   * sink} (collect).
   *
   * <p>A {@code map} of known size has the array its results are collected into made here, after
   * the call is queued ({@link Call#allocateCollected}): the workers wake up and run the first
   * chunks meanwhile.
   *
   * @throws IllegalStateException when the pool is closed or terminated
   * @throws OutOfMemoryError when there is no room for a {@code map}'s results (the call is then
   *     cancelled)
   */
  public Call submit(
      Task<?, ?> task,
      Input input,
      Mode mode,
      int chunksize,
      Call.Sink sink,
      Call.Listener listener) {
    Call call = queue(task, input, mode, chunksize, sink, listener);
    call.allocateCollected();
    return call;
  }

  /**
   * {@link #submit} without making the array a {@code map} collects into: its chunks keep their own
   * results until {@link Call#allocateCollected} is called. For tests of a call whose chunks are
   * reported before the array is there.
   */
  @SuppressWarnings("unchecked")
  Call queue(
      Task<?, ?> task,
      Input input,
      Mode mode,
      int chunksize,
      Call.Sink sink,
      Call.Listener listener) {
    long maxBytes = mode == Mode.COLLECT ? 0 : maxBytesInFlight;
    ChunkSizer sizer =
        new ChunkSizer(
            chunksize > 0 ? chunksize : config.chunksize(),
            backend.targetChunkNanos(),
            config.workers(),
            maxBytes / Math.max(1, config.maxInFlight()));
    Object prepared = backend.prepare(task);
    Call call =
        new Call(
            this,
            (Task<Object, Object>) task,
            prepared,
            input,
            mode,
            sizer,
            config.maxInFlight(),
            config.minItemsInFlight(),
            maxBytes,
            sink,
            listener);
    lock.lock();
    try {
      if (state != State.RUNNING) {
        throw new IllegalStateException(
            "the pool was "
                + (terminateCalled ? "terminated" : "closed")
                + ": it takes no new calls after close() or terminate(); create a new Pool");
      }
      active.add(call);
      setSched(call, Call.Sched.QUEUED);
      ready.addLast(call);
      workAvailable.signal();
    } finally {
      lock.unlock();
    }
    return call;
  }

  /** Makes sure a call that may have more work is queued (or rechecked by its reader). */
  void offer(Call call) {
    lock.lock();
    try {
      switch (schedOf(call)) {
        case IDLE:
          setSched(call, Call.Sched.QUEUED);
          ready.addLast(call);
          workAvailable.signal();
          call.wakeHelpers();
          break;
        case READING:
          setRecheck(call, true);
          break;
        default:
          break;
      }
    } finally {
      lock.unlock();
    }
  }

  void recordInsights(Supplier<Insights> insights) {
    lastInsights = insights;
  }

  void callFinished(Call call) {
    lock.lock();
    try {
      active.remove(call);
      if (active.isEmpty() && state == State.CLOSED) {
        workAvailable.signalAll();
        tryTerminateLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The insights of the call that finished last, or empty ones before any call finished. */
  public Insights lastInsights() {
    Supplier<Insights> last = lastInsights;
    return last != null
        ? last.get()
        : new Insights(java.time.Duration.ZERO, config.workers(), java.util.List.of());
  }

  // ------------------------------------------------------------------ a call's scheduling state

  // A call's schedState and recheck are guarded by its scheduler's lock, and read and written
  // here only, through these four methods. That lock is this one: a call is handed to no
  // scheduler but the one that made it (call.scheduler == this, which the asserts check when
  // assertions are on, as in the tests). Error Prone cannot see that, hence their suppressions;
  // their callers are checked to hold this lock.

  /** Where {@code call} stands; see {@link Call.Sched}. */
  @GuardedBy("lock")
  @SuppressWarnings("GuardedBy")
  private Call.Sched schedOf(Call call) {
    assert call.scheduler == this;
    return call.schedState;
  }

  @GuardedBy("lock")
  @SuppressWarnings("GuardedBy")
  private void setSched(Call call, Call.Sched to) {
    assert call.scheduler == this;
    Call.Sched from = call.schedState;
    if (from == Call.Sched.READING) {
      reading--;
    }
    if (to == Call.Sched.READING) {
      reading++;
    } else if (to == Call.Sched.QUEUED && from != Call.Sched.QUEUED) {
      queuedCount++;
    }
    call.schedState = to;
  }

  /** Whether {@code call} was offered while it was READING. */
  @GuardedBy("lock")
  @SuppressWarnings("GuardedBy")
  private boolean recheckOf(Call call) {
    assert call.scheduler == this;
    return call.recheck;
  }

  @GuardedBy("lock")
  @SuppressWarnings("GuardedBy")
  private void setRecheck(Call call, boolean recheck) {
    assert call.scheduler == this;
    call.recheck = recheck;
  }

  // ------------------------------------------------------------------ workers

  /**
   * Blocks until there is a call to read from, and hands its read token to the worker; returns
   * {@code null} when the worker should exit.
   */
  Call takeReady(Worker worker) {
    boolean spun = false;
    lock.lock();
    try {
      for (; ; ) {
        if (state == State.STOPPING || state == State.TERMINATED || worker.retired) {
          if (!ready.isEmpty()) {
            // a call queued without a signal, for a worker waiting awake (this one, perhaps)
            workAvailable.signal();
          }
          return null;
        }
        Call call = ready.pollFirst();
        if (call != null) {
          setSched(call, Call.Sched.READING);
          setRecheck(call, false);
          if (!ready.isEmpty()) {
            // another call waits: it may have been queued without a signal (see afterRead)
            workAvailable.signal();
          }
          return call;
        }
        if (state == State.CLOSED && active.isEmpty()) {
          return null;
        }
        if (worker.hasWorkBeforeWaiting()) {
          // chunks held back (which the calls may wait for), then the deferred start-up chores:
          // done without this lock, which a system call or a class load must not hold
          lock.unlock();
          try {
            worker.workBeforeWaiting();
          } finally {
            lock.lock();
          }
          continue;
        }
        if (reading > 0 && !spun && !queuesChunks) {
          // a worker reads a call now and gives its token back within microseconds, unless its
          // input blocks: waiting for it awake beats a park and a wake-up, which take tens of
          // microseconds each and would put many workers' turns in a row behind one another.
          // Thread workers only: those of worker processes and plugged backends are this JVM's
          // senders, whose waiting awake would take cores from the processes doing the work
          spun = true;
          int seen = queuedCount;
          spinning++;
          lock.unlock();
          try {
            awaitToken(seen);
          } finally {
            lock.lock();
            spinning--;
          }
          continue;
        }
        try {
          workAvailable.await();
        } catch (InterruptedException e) {
          // terminate() or a stray interrupt: the loop rechecks the state
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** How long a worker waits awake for a read token ({@link #takeReady}). */
  static final long TOKEN_SPIN_NANOS = 50_000;

  /**
   * Waits awake, yielding the core, up to {@link #TOKEN_SPIN_NANOS} or until a call is queued again
   * ({@link #queuedCount} is no longer {@code seen}).
   */
  private void awaitToken(int seen) {
    long end = System.nanoTime() + TOKEN_SPIN_NANOS;
    while (queuedCount == seen && System.nanoTime() < end) {
      Thread.yield();
    }
  }

  /**
   * Reads up to {@code out.length} chunks of {@code call} into {@code out} ({@link Call#read}),
   * whose read token the current thread holds, and hands the token back ({@link #afterRead}) with
   * whether the call has more to give, as the read found it: one acquisition of the call's lock
   * fewer per turn than asking again. If the read throws, the call is asked. Returns how many.
   */
  int readWithToken(Call call, Chunk[] out) {
    int n;
    try {
      n = call.read(out);
    } catch (Throwable t) {
      afterRead(call, call.wantsMore());
      throw t;
    }
    afterRead(call, call.wantsMoreAfterRead());
    return n;
  }

  /** Gives the read token back after a read; {@code more}: the call has more to hand out. */
  void afterRead(Call call, boolean more) {
    lock.lock();
    try {
      if (more || recheckOf(call)) {
        setRecheck(call, false);
        setSched(call, Call.Sched.QUEUED);
        ready.addLast(call);
        if (spinning == 0) {
          workAvailable.signal();
        }
        // else a worker waiting awake takes it, or the call before it and then signals: each
        // of them checks the ready calls under this lock when it stops waiting, so no call
        // queued here is left without a worker that knows of it
        call.wakeHelpers();
      } else {
        setSched(call, Call.Sched.IDLE);
      }
    } finally {
      lock.unlock();
    }
  }

  /** A worker exits for good: replace it if it was recycled and work may still come. */
  void workerExited(Worker worker) {
    Worker replacement = null;
    lock.lock();
    try {
      boolean counted = workers.remove(worker);
      if (counted && worker.recycled && (state == State.RUNNING || !active.isEmpty())) {
        if (state == State.RUNNING || state == State.CLOSED) {
          replacement = startWorkerLocked();
        }
      }
      tryTerminateLocked();
    } finally {
      lock.unlock();
    }
    if (replacement != null) {
      // routine (maxTasksPerWorker, or a worker whose set-up failed, which warned already)
      Worker next = replacement;
      Logs.POOL.log(
          Level.DEBUG, () -> name + ": " + worker + " left the pool and " + next + " replaces it");
    }
  }

  /**
   * Takes a worker out of the count (its thread is stuck in a task that timed out) and starts a
   * replacement, so the pool keeps its parallelism. Returns false if it was already out.
   */
  public boolean abandon(Worker worker) {
    lock.lock();
    try {
      worker.retired = true;
      if (!workers.remove(worker)) {
        return false;
      }
      if (state == State.RUNNING || state == State.CLOSED) {
        startWorkerLocked();
      }
      tryTerminateLocked();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The live workers, for a watchdog. */
  public List<Worker> workers() {
    lock.lock();
    try {
      return new ArrayList<>(workers);
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ nested calls

  /**
   * The worker of this pool that runs the current thread's task and can run another call's chunks
   * on it ({@link Worker#helpsNestedCalls()}), or null: then a wait for a call of this pool is an
   * ordinary wait.
   */
  Worker helperHere() {
    Worker w = Worker.current();
    return w != null && w.scheduler == this && w.helpsNestedCalls() ? w : null;
  }

  /**
   * For a task that waits for {@code call} of this same pool: runs one chunk of that call on the
   * waiting thread, if the call has one to hand out now. This is what keeps a call made from inside
   * a task from hanging when every worker waits in such a call (as a {@code ForkJoinPool} worker
   * that joins runs the task it waits for).
   *
   * @return whether a chunk was read (and then run); false when the call had none to hand out
   */
  boolean helpOnce(Call call, Worker helper) {
    lock.lock();
    try {
      if (state == State.STOPPING || state == State.TERMINATED) {
        return false;
      }
      if (schedOf(call) != Call.Sched.QUEUED || !ready.remove(call)) {
        return false;
      }
      setSched(call, Call.Sched.READING);
      setRecheck(call, false);
    } finally {
      lock.unlock();
    }
    Chunk[] one = new Chunk[1];
    Chunk chunk = readWithToken(call, one) == 1 ? one[0] : null;
    if (chunk != null) {
      try {
        helper.executeNested(chunk);
      } catch (Throwable t) {
        chunk.report(Outcome.aborted(t, helper.ran()));
      }
    }
    return true;
  }

  /** Whether {@code terminate()} was called, or the pool otherwise stops its workers now. */
  public boolean isStopping() {
    lock.lock();
    try {
      return state == State.STOPPING || terminateCalled;
    } finally {
      lock.unlock();
    }
  }

  /** Whether terminate() was called; without the lock, for the workers' hand-over. */
  boolean isTerminating() {
    return terminating;
  }

  /** The running mean of chunk times over every call of this pool (see {@link #chunkTime}). */
  public ChunkTime chunkTime() {
    return chunkTime;
  }

  /** Whether the current thread is one of this pool's workers. */
  public boolean isWorkerThread() {
    Thread current = Thread.currentThread();
    lock.lock();
    try {
      for (Worker w : workers) {
        if (w.thread == current) {
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private Worker startWorkerLocked() {
    int id = workerIds.incrementAndGet();
    Worker worker = backend.newWorker(this, id);
    Thread thread = backend.newThread(worker, name + "-worker-" + id);
    worker.thread = thread;
    workers.add(worker);
    thread.start();
    return worker;
  }

  // ------------------------------------------------------------------ lifecycle

  /** Whether close() or terminate() was called. */
  public boolean isShutdown() {
    lock.lock();
    try {
      return state != State.RUNNING;
    } finally {
      lock.unlock();
    }
  }

  /** Whether every worker has exited after close() or terminate(). */
  public boolean isTerminated() {
    lock.lock();
    try {
      return state == State.TERMINATED;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new calls; the calls made run on, and the workers exit after the last one. */
  public void close() {
    lock.lock();
    try {
      if (state == State.RUNNING) {
        state = State.CLOSED;
        workAvailable.signalAll();
        tryTerminateLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The cancellation of a call that the pool's terminate() ended. */
  static CancellationException terminated() {
    return new CancellationException("the pool was terminated");
  }

  /** Cancels every call and interrupts every worker. */
  public void terminate() {
    List<Call> calls;
    List<Worker> running;
    terminating = true;
    lock.lock();
    try {
      terminateCalled = true;
      if (state == State.STOPPING || state == State.TERMINATED) {
        return;
      }
      state = State.STOPPING;
      calls = new ArrayList<>(active);
      running = new ArrayList<>(workers);
      ready.clear();
      workAvailable.signalAll();
      tryTerminateLocked();
    } finally {
      lock.unlock();
    }
    // cancel first, so that a task's InterruptedException reads as the cancellation it is
    CancellationException why = terminated();
    for (Call call : calls) {
      call.cancel(why);
    }
    for (Worker w : running) {
      w.thread.interrupt();
    }
    backend.terminate(this);
  }

  /**
   * Waits until every call has finished and every worker has exited. Lifts the window of calls
   * nobody consumes, so that they can finish; their results are kept.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void join() throws InterruptedException {
    for (Call call : callsToDrain()) {
      call.drain();
    }
    lock.lock();
    try {
      while (state != State.TERMINATED) {
        terminated.await();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Like {@link #join()}, waiting at most the given time; returns whether terminated. */
  public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    for (Call call : callsToDrain()) {
      call.drain();
    }
    lock.lock();
    try {
      while (state != State.TERMINATED) {
        if (nanos <= 0) {
          return false;
        }
        nanos = terminated.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Checks that join may wait, and returns the calls whose window it must lift. */
  private List<Call> callsToDrain() {
    List<Call> calls;
    lock.lock();
    try {
      if (state == State.RUNNING) {
        throw new IllegalStateException(
            "join() waits for a pool that was closed: call close() or terminate() first");
      }
      calls = new ArrayList<>(active);
    } finally {
      lock.unlock();
    }
    if (isWorkerThread()) {
      throw new IllegalStateException(
          "join() called from one of the pool's own tasks would wait for itself forever");
    }
    return calls;
  }

  @GuardedBy("lock")
  private void tryTerminateLocked() {
    boolean done =
        workers.isEmpty()
            && (state == State.STOPPING || (state == State.CLOSED && active.isEmpty()));
    if (done) {
      state = State.TERMINATED;
      terminated.signalAll();
      backend.terminated(this);
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return name
          + "["
          + state
          + ", "
          + backend
          + ", workers="
          + workers.size()
          + ", calls="
          + active.size()
          + "]";
    } finally {
      lock.unlock();
    }
  }
}
