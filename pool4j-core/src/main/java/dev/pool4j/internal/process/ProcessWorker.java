package dev.pool4j.internal.process;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pool4j.WorkerDiedException;
import dev.pool4j.internal.observe.Flight;
import dev.pool4j.internal.observe.Logs;
import dev.pool4j.internal.scheduler.Call;
import dev.pool4j.internal.scheduler.Chunk;
import dev.pool4j.internal.scheduler.Outcome;
import dev.pool4j.internal.scheduler.QueueDepth;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.Worker;
import dev.pool4j.internal.wire.Bytes;
import dev.pool4j.internal.wire.Protocol;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A worker of a process pool: a thread of this JVM that owns one worker process at a time and keeps
 * it fed with chunks, and a receiver thread per process that reads back the outcomes.
 *
 * <h2>Pipelining</h2>
 *
 * <p>A worker process runs the chunks it is sent one after the other. Waiting for each result
 * before sending the next chunk would leave the process idle for a round trip per chunk (tens of
 * microseconds, the whole cost of a chunk of one fast task), and this JVM's encoding and decoding
 * idle while the process computes. So the worker's thread (the <i>sender</i>) sends a chunk as soon
 * as it has read one, up to a {@linkplain QueueDepth depth} of chunks queued to the process; the
 * process's <i>receiver</i> thread reads the outcomes as they come and reports each chunk to its
 * call. A blocking input is read by the sender only, so it never holds back results that are ready
 * (an input fed by the consumer of those results cannot deadlock).
 *
 * <p>The depth follows how long the call's chunks take, by the policy every backend that queues
 * chunks shares ({@link QueueDepth#forProcess}): up to {@link QueueDepth#MAX} for short chunks,
 * whose cost is mostly the round trip; 2 for chunks of tens of milliseconds far from the input's
 * end (the process starts its next chunk the moment it ends one, and this JVM's encoding and
 * decoding overlap the process's work); else 1, and 1 for a call's first chunk. The time is the
 * call's running mean ({@link Call#chunkTime()}, which {@link Chunk#report} records). At depth 1 or
 * 2 the worker takes a chunk only once its process has room for it, so that no chunk waits in a
 * worker's hands while another worker could run it. At greater depths a sender that finds the queue
 * full waits until it is half empty, then sends several chunks in a row: one wake-up per half
 * queue, not one per result.
 *
 * <h2>Sending in batches</h2>
 *
 * <p>A write to the process costs a system call and, when the process waits for input, a wake-up of
 * it: on a machine with few cores, more than all the Java work of a chunk of one tiny task. So when
 * the process has work queued, the sender writes a short chunk's frame to the connection's buffer
 * and <i>holds it back</i>, and sends it with the next ones in one write: a chunk in batch mode
 * (not streamed), queued at a depth above 2, of a call whose input never blocks ({@link
 * Call#inputNeverBlocks}), while at least {@link #SENT_AHEAD} chunks sent before it are still
 * queued (the process has those to run meanwhile), and fewer than half the depth are held back. The
 * sender sends what it holds back before anything that could wait: before it waits for room in the
 * queue or for its process to be done ({@link #beforeTake}), before it waits for work ({@link
 * #holdsBack}, which the scheduler asks), before it reads from a call whose input may block (the
 * worker's loop asks), when the next chunk goes to another process, and when it stops. A read of a
 * call whose input cannot block is never such a wait, and only such a call's chunks are held back:
 * an input fed by the consumer of the results of a chunk held back would otherwise deadlock. A
 * held-back chunk is queued like any other (its deadline is no concern: only a streamed chunk,
 * which is never held back, has one), and so is reported by the receiver if the process dies first.
 *
 * <h2>Exactly once</h2>
 *
 * <p>Every chunk the sender accepts is reported through its one-shot {@link Chunk#report}, which
 * keeps the first report and drops any later one: by the sender itself, before it is queued
 * (nothing to run, no process could be started, the pool is terminating), or, once it is queued to
 * one {@link Link}, by that link's receiver. The queue is what ties the process's frames to their
 * chunks: only the receiver takes chunks off it, under the link's lock, in the order the process
 * runs them. When the process dies (end-of-file or a broken connection), the receiver marks the
 * link dead (it then accepts no more chunks) and reports every queued chunk, in order: the first
 * one was running, so it is {@linkplain Outcome#lost lost} (run again up to the retries, then
 * failed with a {@link WorkerDiedException} saying how the process died, with its exit code and
 * last stderr lines); the ones behind it never started, so they are {@linkplain Outcome#returned()
 * returned} without using a retry. Results of a process are read in the order it runs its chunks,
 * and whatever it wrote before it died is still read before the end-of-file, so the first queued
 * chunk is always the one that was running. A chunk that runs again is sent in stream mode, so that
 * a second death is pinned on the very item that caused it.
 *
 * <p>One exception: where chunks have retries, a short chunk (one queued more than {@link
 * #QUEUE_AHEAD_DEPTH} deep) is sent as {@link Protocol#BATCH_HOLD}, and the process may hold its
 * results back while it runs the next such chunk (WorkerMain's "Results in batches": one write for
 * several chunks' results). When a process dies with two or more such chunks at the head of its
 * queue, the one it was running is unknown: each of those is {@linkplain Outcome#unsure() unsure},
 * and runs again without using a retry, {@linkplain Chunk#isolated() isolated}: in stream mode, so
 * that a death during that run is pinned on its item; the chunks behind them never started and are
 * returned. So a chunk that did not cause the death keeps its retries, and nothing is lost. The
 * price: a task that kills its process every time runs once more than the retries say (once unsure,
 * then as a lost chunk would); so with {@code retries(0)}, where a task must run at most once, no
 * chunk is sent so.
 *
 * <h2>Timeouts</h2>
 *
 * <p>With a task timeout every chunk runs in stream mode (the process reports each item as it
 * finishes) and the receiver reads with a deadline one timeout after the current item began: after
 * the report of the item before it, or after the chunk was sent if the process was idle then,
 * whichever is later. At the deadline it kills the process at once (SIGKILL), reports the results
 * before the item and a {@link TimeoutException} for it, returns the chunks queued behind it, and
 * starts a fresh process.
 *
 * <h2>Threads and locks</h2>
 *
 * <p>The sender alone writes to a process, the receiver alone reads from it ({@link Child}). {@link
 * #link} is replaced only under {@link #startLock}, which is held while a process starts, so that
 * the sender and a receiver that restarts its dead process at once never start two. A link's queue
 * is guarded by the link's lock. The lock order is startLock, then a link's lock; no lock is held
 * while a chunk is reported.
 *
 * <p>Cost per chunk: one frame each way (plus the task, once per call and process); one write to
 * the process per chunk, or per batch of up to half the depth when the process has work queued; no
 * thread hand-off in this JVM beyond the receiver's wake-up when the sender is ahead.
 */
final class ProcessWorker extends Worker {

  /**
   * How long a worker process that the pool stops may take to exit on its own: its JVM writes the
   * class-data sharing archive as it exits ({@link ClassDataSharing}), which takes a few hundred
   * milliseconds at most; one that takes longer is killed.
   */
  static final long STOP_MILLIS = 2_000;

  private final ProcessBackend backend;

  /** Held while the link is replaced (a process starts); see the class notes. */
  private final ReentrantLock startLock = new ReentrantLock();

  /** The process chunks go to now, or null before the first start; replaced under startLock. */
  private volatile Link link;

  /**
   * A chunk may be held back while at least this many chunks sent before it are queued to the
   * process: it has work meanwhile (see "Sending in batches").
   */
  static final int SENT_AHEAD = 2;

  /**
   * The deepest queue of long chunks ({@link QueueDepth#forProcess}): one running, one queued
   * ahead. Deeper queues are of short chunks, which alone are sent in batches and have their
   * results held back.
   */
  static final int QUEUE_AHEAD_DEPTH = 2;

  /** The depth the last chunk was queued at; the sender's own. */
  private int lastDepth = 1;

  /** Links whose receiver may still run; under startLock. */
  @GuardedBy("startLock")
  private final List<Link> links = new ArrayList<>();

  /** Counts this worker's processes, for their labels; under startLock. */
  @GuardedBy("startLock")
  private int generation;

  /** The worker's loop has ended: no process starts any more; under startLock. */
  @GuardedBy("startLock")
  private boolean stopped;

  /**
   * The link whose last {@link #heldBack} chunks are queued and written to its buffer but not sent
   * yet (see "Sending in batches" in the class notes), or null; the sender's thread only.
   */
  private Link heldLink;

  /** How many chunks {@link #heldLink} holds back; the sender's thread only. */
  private int heldBack;

  /** The sender's wait for room was interrupted; the sender's thread only. */
  private boolean interrupted;

  /** What the sender encodes chunks into; the sender's thread only. */
  private final Protocol.Scratch scratch = new Protocol.Scratch();

  ProcessWorker(Scheduler scheduler, int id, ProcessBackend backend) {
    super(scheduler, id);
    this.backend = backend;
  }

  @Override
  protected void starting() {
    try {
      ensureLink();
    } catch (Exception e) {
      // the first chunk tries again and fails with the reason if it is lasting
    }
  }

  /**
   * Waits until the chunks queued to the process are reported, then stops the process and waits for
   * every receiver, so that no chunk of this worker is reported after it is counted out.
   */
  @Override
  protected void stopping() {
    sendHeldBack();
    List<Link> all;
    Link current;
    startLock.lock();
    try {
      stopped = true;
      current = link;
      link = null;
      all = new ArrayList<>(links);
      links.clear();
    } finally {
      startLock.unlock();
    }
    if (current != null) {
      current.awaitIdle();
      current.close();
      current.child.stop(STOP_MILLIS);
      Child stoppedChild = current.child;
      Logs.PROCESS.log(
          Level.DEBUG, () -> scheduler.name() + ": worker process " + stoppedChild + " stopped");
    }
    for (Link l : all) {
      l.joinReceiver();
    }
  }

  /**
   * The link to send to, starting a process when there is none or it died.
   *
   * @throws Child.Aborted when the pool is terminating or this worker stopped
   */
  private Link ensureLink() throws Exception {
    Link l = link;
    if (l != null && !l.queue.isDead() && l.child.process.isAlive()) {
      return l;
    }
    startLock.lock();
    try {
      l = link;
      if (l != null && !l.queue.isDead() && l.child.process.isAlive()) {
        return l;
      }
      if (l != null) {
        // died while idle, or its receiver is reporting its death: make sure it ends
        l.close();
        l.child.kill();
        link = null;
      }
      if (stopped || backend.isTerminating()) {
        throw new Child.Aborted();
      }
      links.removeIf(old -> !old.receiver.isAlive());
      generation++;
      String label = "worker-" + id() + (generation > 1 ? "." + generation : "");
      Object startEvent = Flight.workerStartBegin();
      long began = System.nanoTime();
      Child child = Child.start(backend, label);
      Flight.workerStarted(startEvent, scheduler.name(), label, "process", child.process.pid());
      long millis = (System.nanoTime() - began) / 1_000_000;
      boolean again = generation > 1;
      Logs.PROCESS.log(
          Level.DEBUG,
          () ->
              scheduler.name()
                  + ": worker process "
                  + child
                  + " started in "
                  + millis
                  + " ms"
                  + (again ? ", in place of the one before" : ""));
      l = new Link(child);
      links.add(l);
      link = l;
      l.receiver.start();
      if (generation == 1) {
        backend.ready();
      }
      return l;
    } finally {
      startLock.unlock();
    }
  }

  /** After a death or a kill, starts the replacement now, unless the pool is shutting down. */
  private void restartSoon() {
    if (!scheduler.isShutdown() && !backend.isTerminating()) {
      try {
        ensureLink();
      } catch (Exception e) {
        // the next chunk tries again and reports the reason
      }
    }
  }

  /**
   * At depth 1 (long chunks, or a call's first), the worker takes its next chunk only once its
   * process is done with the last: a chunk it took sooner would wait behind the running one while
   * another worker, started later or just done, idles (three sleeping tasks on three workers would
   * take the two longest in a row).
   */
  @Override
  protected void beforeTake() {
    Link l = link;
    if (l != null && lastDepth <= QUEUE_AHEAD_DEPTH) {
      sendHeldBack();
      l.awaitFewerThan(lastDepth);
    }
  }

  @Override
  protected boolean holdsBack() {
    return heldBack > 0;
  }

  /** Sends the chunks held back, if any; never throws (see {@link Link#send}). */
  @Override
  protected void sendHeldBack() {
    if (heldBack > 0) {
      Link l = heldLink;
      heldLink = null;
      heldBack = 0;
      l.flush();
    }
  }

  /** How many chunks of this call may be queued to one process (see the class notes). */
  private int depth(Call call) {
    long nanos = call.chunkTime().nanos();
    return QueueDepth.forProcess(
        nanos,
        backend.targetChunkNanos(),
        nanos > QueueDepth.PROCESS_SHORT_CHUNK_NANOS ? call.unread() : -1,
        scheduler.config().workers());
  }

  // ------------------------------------------------------------------ sender

  @Override
  protected int execute(Chunk chunk) {
    Call call = chunk.call();
    Object[] items = chunk.items();
    int n = items.length;
    int runnable = chunk.runnable();
    if (backend.isTerminating()) {
      done(chunk, null, 0, null, 0);
      return 0;
    }
    ProcessBackend.PreparedTask task = (ProcessBackend.PreparedTask) call.prepared();
    long started = System.nanoTime();
    Protocol.Encoded encoded = Protocol.encode(items, runnable, backend.plainValues(), scratch);
    Throwable inputFailure =
        encoded.error == null
            ? null
            : Protocol.notSerializable("the input", items[encoded.count], encoded.error);
    int count = encoded.count;
    if (count == 0) {
      done(chunk, new Object[n], 0, inputFailure, System.nanoTime() - started);
      return 1;
    }
    boolean stream = backend.timeoutNanos() > 0 || chunk.retries() > 0 || chunk.isolated();
    // results held back make a death's chunk unknown, which may run a task that kills its
    // process once more than the retries say: not where a task must run at most once. Only short
    // chunks, queued deep: a chunk's results held in a queue two deep take the room of the next
    // chunk, and the process idles while this JVM encodes it (a cold first call of 1M tiny items
    // took 15% longer so)
    int depth = depth(call);
    boolean hold = !stream && scheduler.config().retries() > 0 && depth > QUEUE_AHEAD_DEPTH;
    Sent sent = new Sent(chunk, task, n, count, inputFailure, stream, hold);
    try {
      for (; ; ) {
        Link l;
        try {
          l = ensureLink();
        } catch (Child.Aborted e) {
          done(chunk, sent.results, 0, null, 0);
          return 0;
        } catch (Exception e) {
          // killed while starting, or a lasting cause (a bad JVM option, a failing initializer):
          // the retries bound the attempts, and the last one's reason fails the chunk
          WorkerDiedException cannot = cannotStart(chunk, count, e);
          Flight.workerDied(
              scheduler.name(),
              "worker-" + id(),
              -1,
              cannot.exitCode(),
              cannot.getMessage(),
              "the chunk runs again if it has a retry left; the next chunk starts another");
          Logs.PROCESS.log(
              Level.WARNING,
              () ->
                  scheduler.name()
                      + ": "
                      + cannot.getMessage()
                      + "; the chunk runs again if it has a retry left, and the next chunk tries"
                      + " another worker process");
          chunk.report(Outcome.lost(sent.results, 0, cannot, System.nanoTime() - started, ran()));
          return 0;
        }
        lastDepth = depth;
        if (heldBack > 0 && (heldLink != l || l.queue.size() >= depth)) {
          // before any wait for room: the room comes only once the process has them
          sendHeldBack();
        }
        int queued = l.enqueue(sent, depth);
        if (queued > 0) {
          // from here on the chunk is the receiver's to report, whatever happens
          boolean holdBack =
              !stream
                  && depth > QUEUE_AHEAD_DEPTH
                  && call.inputNeverBlocks()
                  && queued - 1 - heldBack >= SENT_AHEAD
                  && heldBack + 1 < depth / 2;
          l.send(sent, encoded, !holdBack);
          if (hold) {
            backend.sentHolding();
          }
          if (holdBack) {
            heldLink = l;
            heldBack++;
          } else {
            heldLink = null;
            heldBack = 0;
          }
          return count;
        }
        // the process died while the chunk waited for room: it goes to the next one
      }
    } finally {
      if (interrupted) {
        interrupted = false;
        Thread.currentThread().interrupt();
      }
    }
  }

  private WorkerDiedException cannotStart(Chunk chunk, int count, Exception e) {
    WorkerDiedException cannot =
        new WorkerDiedException(
            "could not start a worker process for " + chunk.describe(count) + ": " + e.getMessage(),
            e instanceof WorkerDiedException ? ((WorkerDiedException) e).exitCode() : -1);
    cannot.initCause(e);
    return cannot;
  }

  /** Reports a chunk done; a child runs a chunk as a whole, so its mean stands for the max task. */
  private void done(Chunk chunk, Object[] results, int valid, Throwable failure, long nanos) {
    chunk.report(Outcome.done(results, valid, failure, nanos, ran()));
  }

  // ------------------------------------------------------------------ one chunk in flight

  /** A chunk sent (or about to be sent) to a process, until its outcome is reported. */
  private static final class Sent extends ChunkQueue.Entry {
    final Chunk chunk;
    final ProcessBackend.PreparedTask task;
    final int count;
    final Throwable inputFailure;
    final boolean stream;

    /** The process may hold its results back ({@link Protocol#BATCH_HOLD}). */
    final boolean hold;

    /** The process said it runs this chunk ({@link Protocol#RUNNING}); the receiver's. */
    boolean running;

    final Object[] results;

    // --- the receiver's ---
    /** When the process began it, as far as this JVM can tell; 0 before its first frame. */
    long startNanos;

    int valid;
    Throwable failure;

    /** Bytes of the frames its results came in, for the call's byte window. */
    long wireBytes;

    Sent(
        Chunk chunk,
        ProcessBackend.PreparedTask task,
        int size,
        int count,
        Throwable inputFailure,
        boolean stream,
        boolean hold) {
      this.chunk = chunk;
      this.task = task;
      this.count = count;
      this.inputFailure = inputFailure;
      this.stream = stream;
      this.hold = hold;
      this.results = new Object[size];
    }

    /** How the process sends its results ({@link Protocol#BATCH} and the others). */
    byte mode() {
      return stream ? Protocol.STREAM : hold ? Protocol.BATCH_HOLD : Protocol.BATCH;
    }

    String indexes() {
      return chunk.start() + ".." + (chunk.start() + count - 1);
    }
  }

  // ------------------------------------------------------------------ one process

  /** One process, the chunks queued to it, and its receiver thread. */
  private final class Link implements Runnable {
    final Child child;
    final Thread receiver;

    /** The chunks sent to the process, in the order it runs them. */
    private final ChunkQueue<Sent> queue = new ChunkQueue<>();

    /** The sender keeps an interrupt of its wait for room for later. */
    private final Runnable senderInterrupted = () -> interrupted = true;

    // --- the receiver's ---
    /** When the last frame arrived (then the next item began); 0 before any. */
    private long lastFrameNanos;

    /** When the last chunk's last frame arrived (then the next chunk began). */
    private long lastChunkNanos;

    private Throwable decodeFailure;

    Link(Child child) {
      this.child = child;
      this.receiver = new Thread(this, "pool4j-" + child.label + "-results");
      receiver.setDaemon(true);
    }

    // --- sender side ---

    /**
     * Waits until fewer than {@code depth} chunks are queued, then queues {@code sent}. Returns how
     * many are queued with it, or 0 if the link died meanwhile. A terminate interrupts the sender
     * and kills the process, which ends the wait; any other interrupt is kept for later.
     */
    int enqueue(Sent sent, int depth) {
      return queue.enqueue(sent, depth, senderInterrupted);
    }

    /**
     * Writes a queued chunk, and sends it with those written before it when {@code now}; never
     * throws (the receiver reports the chunk if this fails).
     */
    void send(Sent sent, Protocol.Encoded values, boolean now) {
      try {
        if (!child.knows(sent.task.id)) {
          child.sendTask(sent.task.id, sent.task.bytes);
        }
        child.writeChunk(
            sent.task.id, sent.mode(), sent.count, values.bytes, values.offset, values.length);
        if (now) {
          child.flush();
        }
      } catch (Throwable t) {
        // the process died, or this JVM failed while writing: either way the connection is out
        // of step; the receiver sees it end and reports this chunk with the others queued
        child.kill();
      }
    }

    /** Sends the chunks written and not sent yet; never throws, as {@link #send}. */
    void flush() {
      try {
        child.flush();
      } catch (Throwable t) {
        // the process died, or this JVM failed while writing: either way the connection is out
        // of step; the receiver sees it end and reports this chunk with the others queued
        child.kill();
      }
    }

    /** Waits until no chunk is queued or the link is dead, through interrupts (kept). */
    void awaitIdle() {
      awaitFewerThan(1);
    }

    /**
     * Waits until fewer than {@code n} chunks are queued, or the link is dead, through interrupts
     * (kept).
     */
    void awaitFewerThan(int n) {
      queue.awaitFewerThan(n);
    }

    /** Takes no more chunks, and wakes a receiver that waits for one. */
    void close() {
      queue.close();
    }

    void joinReceiver() {
      boolean wasInterrupted = false;
      for (; ; ) {
        try {
          receiver.join();
          break;
        } catch (InterruptedException e) {
          wasInterrupted = true;
        }
      }
      if (wasInterrupted) {
        Thread.currentThread().interrupt();
      }
    }

    // --- receiver side ---

    @Override
    public void run() {
      long timeout = backend.timeoutNanos();
      try {
        for (; ; ) {
          long deadline = 0;
          if (timeout > 0) {
            // with a timeout: wait for a queued chunk (null when the link is dead and has none)
            Sent head = queue.awaitHead();
            if (head == null) {
              ended(null);
              return;
            }
            deadline = Math.max(head.queuedNanos, lastFrameNanos) + timeout;
          }
          int length = child.read(deadline);
          long now = System.nanoTime();
          Sent head = queue.head();
          if (head == null) {
            throw new IOException(child + " sent a frame when no chunk was due");
          }
          if (head.startNanos == 0) {
            head.startNanos = startOf(head);
          }
          lastFrameNanos = now;
          if (receive(head, length)) {
            lastChunkNanos = now;
            if (head.failure == null) {
              // the room first, so that the sender's next chunk overlaps this report
              queue.pop();
              report(head, now);
            } else {
              // the failure first: it cuts the call, so the sender, finding room, sends no chunk
              // the call no longer needs (only this thread takes chunks off the queue, so nothing
              // else reports the head meanwhile)
              report(head, now);
              queue.pop();
            }
          }
        }
      } catch (TimeoutException e) {
        timedOut();
      } catch (IOException e) {
        ended(e);
      } catch (Throwable t) {
        // this JVM failed (out of memory while decoding, say): the connection is out of step
        broke(t);
      }
    }

    /** Reads one frame for {@code head}; returns whether the chunk is complete. */
    private boolean receive(Sent head, int length) throws IOException {
      head.wireBytes += length;
      if (head.stream) {
        DataInputStream body = body(length, Protocol.ITEM);
        if (body.readBoolean()) {
          head.valid += decode(2, length, head, head.valid, 1);
          head.failure = decodeFailure;
        } else {
          head.failure = Protocol.readFailure(body, head.task.loader, backend.filter());
        }
        return head.valid >= head.count || head.failure != null;
      }
      if (child.frame[0] == Protocol.RUNNING && head.hold && length == 1) {
        head.running = true;
        return false;
      }
      // the head in place (type, int valid, bool failed); a stream only for a failure
      checkType(Protocol.RESULTS);
      if (length < 6) {
        throw new IOException(child + " sent a results frame of " + length + " bytes");
      }
      int got = Bytes.getInt(child.frame, 1);
      int offset = 6;
      if (child.frame[5] != 0) {
        DataInputStream body = body(length, 6);
        head.failure = Protocol.readFailure(body, head.task.loader, backend.filter());
        offset = length - body.available();
      }
      head.valid = decode(offset, length, head, 0, got);
      if (decodeFailure != null) {
        head.failure = decodeFailure;
      }
      return true;
    }

    private void report(Sent head, long now) {
      Throwable failure = head.failure;
      if (failure == null && head.valid == head.count && head.inputFailure != null) {
        failure = head.inputFailure;
      }
      long nanos = now - head.startNanos;
      reportQuietly(
          head.chunk,
          Outcome.done(head.results, head.valid, failure, nanos, ran())
              .withWireBytes(head.wireBytes));
    }

    private DataInputStream body(int length, byte expected) throws IOException {
      checkType(expected);
      return body(length, 1);
    }

    /** The frame from {@code from} on, as a stream. */
    private DataInputStream body(int length, int from) {
      return new DataInputStream(new ByteArrayInputStream(child.frame, from, length - from));
    }

    private void checkType(byte expected) throws IOException {
      if (child.frame[0] != expected) {
        throw new IOException(
            child + " sent frame type " + child.frame[0] + " where " + expected + " was due");
      }
    }

    /**
     * Reads {@code count} results from {@code frame[offset..end)} into the chunk's results from
     * {@code at}; returns how many were read, and leaves in {@link #decodeFailure} why the next one
     * could not be (or null).
     */
    private int decode(int offset, int end, Sent head, int at, int count) {
      Protocol.Decoded decoded =
          Protocol.decode(
              child.frame,
              offset,
              end,
              head.results,
              at,
              count,
              head.task.loader,
              backend.filter());
      decodeFailure =
          decoded.error == null
              ? null
              : new IllegalStateException(
                  "the result of the task at index "
                      + (head.chunk.start() + at + decoded.count)
                      + " came back from its worker process but cannot be read in this JVM: "
                      + decoded.error,
                  decoded.error);
      return decoded.count;
    }

    /** When the process began {@code head}, the first queued chunk, as far as this JVM knows. */
    private long startOf(Sent head) {
      return head.startNanos != 0 ? head.startNanos : Math.max(head.queuedNanos, lastChunkNanos);
    }

    /** The first queued chunk's item ran past the timeout. */
    private void timedOut() {
      child.kill();
      long now = System.nanoTime();
      List<Sent> all = queue.drain();
      child.stop(0);
      Sent head = all.get(0);
      long index = head.chunk.start() + head.valid;
      TimeoutException why =
          new TimeoutException(
              "the task at index "
                  + index
                  + " ran longer than the task timeout of "
                  + Duration.ofNanos(backend.timeoutNanos())
                  + "; its worker process "
                  + child
                  + " was killed and is replaced");
      long start = startOf(head);
      Call call = head.chunk.call();
      Flight.taskTimedOut(
          scheduler.name(),
          call.id(),
          index,
          backend.timeoutNanos(),
          child.toString(),
          "its worker process was killed; a fresh one replaces it");
      Logs.PROCESS.log(
          Level.WARNING,
          () ->
              scheduler.name()
                  + ": the task at index "
                  + index
                  + " of call #"
                  + call.id()
                  + " ran past the task timeout of "
                  + Duration.ofNanos(backend.timeoutNanos())
                  + ": it fails with a TimeoutException; its worker process "
                  + child
                  + " was killed (SIGKILL) and a fresh one replaces it"
                  + queuedBehind(all));
      report(all, Outcome.done(head.results, head.valid, why, now - start, ran()));
      restartSoon();
    }

    /**
     * The connection ended, or the link was closed with nothing queued (with a task timeout the
     * receiver waits for a chunk, not on the connection, and so learns of a stop that way): a
     * normal stop when nothing was queued, else the process died (or the pool is terminating).
     */
    private void ended(IOException cause) {
      List<Sent> all = queue.drain();
      if (all.isEmpty()) {
        // a process the pool stops exits on its own and writes its class-data sharing archive
        // as it does: not killed here before the sender's stop gave it the time to (one the
        // pool gave up on was killed already, and this returns at once)
        child.stop(STOP_MILLIS);
        return;
      }
      Sent head = all.get(0);
      long now = System.nanoTime();
      long start = startOf(head);
      Call call = head.chunk.call();
      if (backend.isTerminating()) {
        child.stop(0);
        CancellationException why = new CancellationException("the pool was terminated");
        report(all, Outcome.done(head.results, 0, why, now - start, ran()));
        return;
      }
      // the process may have held back the results of chunks it ran, while it ran the next one
      // (WorkerMain's "Results in batches"): which chunk it died in is then unknown, unless it
      // said it ran the head (a RUNNING frame)
      boolean unsure =
          !(cause instanceof Protocol.FrameRefused)
              && head.hold
              && !head.running
              && all.size() > 1
              && all.get(1).hold;
      if (unsure) {
        unsureDeath(all, cause);
        return;
      }
      WorkerDiedException died =
          child.death(
              (cause instanceof Protocol.FrameRefused
                      ? "broke the protocol (" + cause.getMessage() + ")"
                      : "died")
                  + " while running "
                  + (head.stream
                      ? "the task at index " + (head.chunk.start() + head.valid)
                      : "the tasks at indexes " + head.indexes())
                  + " (run "
                  + (head.chunk.retries() + 1)
                  + " of at most "
                  + (scheduler.config().retries() + 1)
                  + ")");
      announceDeath(
          died,
          cause,
          "a fresh worker process replaces it; its chunk runs again if it has a retry left"
              + queuedBehind(all));
      report(all, Outcome.lost(head.results, head.valid, died, now - start, ran()));
      restartSoon();
    }

    /**
     * The process died with several chunks at the head of its queue whose results it may hold back
     * ({@link Protocol#BATCH_HOLD}): it was running one of them, but which is unknown. Each of
     * those is {@linkplain Outcome#unsure() unsure}: it runs again without using a retry, isolated
     * (in stream mode, which pins a second death on its item). The chunks queued behind them never
     * started (the process sends what it holds back before it runs a chunk not so sent), so they
     * are returned.
     */
    private void unsureDeath(List<Sent> all, IOException cause) {
      int held = 1;
      while (held < all.size() && all.get(held).hold) {
        held++;
      }
      Sent last = all.get(held - 1);
      WorkerDiedException died =
          child.death(
              "died while running one of the "
                  + held
                  + " chunks whose results it may hold back (the tasks at indexes "
                  + all.get(0).chunk.start()
                  + ".."
                  + (last.chunk.start() + last.count - 1)
                  + ")");
      announceDeath(
          died,
          cause,
          "a fresh worker process replaces it; each of the "
              + held
              + " chunks runs again, item by item, using no retry"
              + (all.size() > held
                  ? "; the " + (all.size() - held) + " queued behind them run again"
                  : ""));
      for (int i = 0; i < all.size(); i++) {
        reportQuietly(all.get(i).chunk, i < held ? Outcome.unsure() : Outcome.returned());
      }
      restartSoon();
    }

    /**
     * The process died: it is stopped at once, and its death is a flight-recorder event and a
     * warning, with {@code next} saying what becomes of its chunks.
     */
    private void announceDeath(WorkerDiedException died, IOException cause, String next) {
      if (cause != null) {
        died.addSuppressed(cause);
      }
      child.stop(0);
      Flight.workerDied(
          scheduler.name(),
          child.label,
          child.process.pid(),
          died.exitCode(),
          died.getMessage(),
          next);
      Logs.PROCESS.log(
          Level.WARNING, () -> scheduler.name() + ": " + died.getMessage() + "; " + next);
    }

    /** For a log line: the chunks queued behind the first, which run again. */
    private String queuedBehind(List<Sent> all) {
      return all.size() > 1
          ? "; the "
              + (all.size() - 1)
              + (all.size() == 2
                  ? " chunk queued behind it runs again"
                  : " chunks queued behind it run again")
          : "";
    }

    /** This JVM failed while receiving: the first queued chunk fails with it. */
    private void broke(Throwable t) {
      child.kill();
      Logs.PROCESS.log(
          Level.WARNING,
          () ->
              scheduler.name()
                  + ": this JVM failed while reading the results of worker process "
                  + child
                  + ", which was killed; its chunk fails with the error, and a fresh process"
                  + " replaces it",
          t);
      List<Sent> all = queue.drain();
      child.stop(0);
      if (!all.isEmpty()) {
        report(all, Outcome.aborted(t, ran()));
      }
      restartSoon();
    }

    /**
     * Reports the first of {@code all} with {@code first}, and returns the others to their calls,
     * in order; one report that throws does not keep the others from being made.
     */
    private void report(List<Sent> all, Outcome first) {
      reportQuietly(all.get(0).chunk, first);
      for (int i = 1; i < all.size(); i++) {
        reportQuietly(all.get(i).chunk, Outcome.returned());
      }
    }

    /**
     * Reports a chunk. A report that throws (this JVM failed while the call recorded it) has failed
     * the chunk with its error already ({@link Chunk#report}); the receiver goes on with the next.
     */
    private void reportQuietly(Chunk chunk, Outcome outcome) {
      try {
        chunk.report(outcome);
      } catch (Throwable t) {
        Logs.PROCESS.log(
            Level.DEBUG,
            () -> scheduler.name() + ": reporting " + chunk + " of " + child + " failed",
            t);
      }
    }
  }
}
