package dev.pool4j.internal.scheduler;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The input side of one {@link Call}: reading chunks from its {@link Input}, and the window of
 * outstanding chunks, in chunks, items and bytes, that bounds the reading (see {@link Call}'s
 * design note, <i>Reading</i>, <i>Window</i> and <i>Bytes</i>).
 *
 * <p>It decides nothing about outcomes or consumers: the call asks it whether another chunk may be
 * read, has it read one, and tells it when a chunk's slot is held (results waiting for a consumer)
 * or freed. Every mutable field is guarded by {@link Call#lock} ({@code @GuardedBy("call.lock")},
 * as is each {@code ...Locked} method); this class takes no lock of its own, and {@link #fill} runs
 * with no lock held (the input may block).
 */
final class Window {

  /**
   * How many items a chunk's reading takes between two looks at {@link Call#limit} (a power of
   * two): at most this many are read after the call is cancelled.
   */
  static final int READ_CHECK = 64;

  /**
   * A reader that may take several chunks in one turn of the read token (the call's shared read
   * ahead, see {@link Call}, or a worker's own {@link Worker#readAhead()}) takes more than one only
   * while the call's chunks are measured, and only as many as together should run in about this
   * long on each worker that takes them: tiny tasks, or many workers, for which the two
   * acquisitions of the scheduler's lock and the two of the call's per turn, and the token's
   * hand-over from worker to worker, were most of a chunk's cost.
   */
  static final long READ_AHEAD_NANOS = 20_000;

  private final Call call;
  private final Mode mode;
  final Input input;
  private final int maxInFlight;
  private final int minItemsInFlight;

  /** The most estimated bytes of results outstanding (lazy modes), or 0 for no bound. */
  final long maxBytes;

  /** Offers the call again; what an upstream call runs when it has results for it. */
  private final Runnable wakeUp;

  // --- guarded by call.lock ---
  @GuardedBy("call.lock")
  private final ChunkSizer sizer;

  /**
   * Next runs of chunks that were lost or returned ({@link Call#runAgain}), to run before new input
   * is read. They still count as running and outstanding, so the call cannot finish while one waits
   * here.
   */
  @GuardedBy("call.lock")
  private final ArrayDeque<Chunk> lost = new ArrayDeque<>();

  /** Index of the next input to read. */
  @GuardedBy("call.lock")
  long nextIndex;

  @GuardedBy("call.lock")
  private int outstanding;

  /** Inputs in the outstanding chunks. */
  @GuardedBy("call.lock")
  private long outstandingItems;

  /** Estimated bytes of the results of done chunks not yet consumed (lazy modes). */
  @GuardedBy("call.lock")
  private long heldBytes;

  /** Inputs of those chunks (part of {@link #outstandingItems}). */
  @GuardedBy("call.lock")
  private long heldItems;

  /** Chunks being read or run (lost ones waiting to run again included). */
  @GuardedBy("call.lock")
  int running;

  /** No more input will be read: the input ended or failed, or the call failed or was cancelled. */
  @GuardedBy("call.lock")
  boolean inputDone;

  /** The window is lifted ({@link Call#drain}). */
  @GuardedBy("call.lock")
  private boolean drain;

  /** The input (another call's results) had nothing ready at the last read. */
  @GuardedBy("call.lock")
  private boolean inputStalled;

  /** A reader found the window full; cleared when the call is offered again. */
  @GuardedBy("call.lock")
  private boolean stalled;

  /**
   * The reads of one turn of the read token, made once and reused (a read per chunk was a tenth of
   * the garbage of a chunk of one tiny task): claimed under the lock, then filled and settled by
   * the token's holder alone, so no two turns use them at once.
   */
  @GuardedBy("call.lock")
  private Read[] reads = new Read[0];

  Window(
      Call call,
      Input input,
      Mode mode,
      ChunkSizer sizer,
      int maxInFlight,
      int minItemsInFlight,
      long maxBytes) {
    this.call = call;
    this.wakeUp = new WakeUp(call);
    this.input = input;
    this.mode = mode;
    this.sizer = sizer;
    this.maxInFlight = maxInFlight;
    this.minItemsInFlight = minItemsInFlight;
    this.maxBytes = mode == Mode.COLLECT ? 0 : maxBytes;
  }

  /**
   * One chunk's reading: claimed under the lock, filled outside it, settled under it again. Reused
   * from turn to turn ({@link #reads}); {@link #clear} drops what it referred to.
   */
  static final class Read {
    long start;

    /** The most inputs this chunk may take. */
    int size;

    /**
     * How long the chunk should run, judged by the call's chunks so far, or -1 when none was
     * measured yet: the flight recorder times only chunks that may reach its threshold.
     */
    long expectedNanos = -1;

    Object[] items;

    /** Inputs read. */
    int n;

    boolean exhausted;
    Throwable error;
    boolean notReady;

    /** The chunk's flight recorder event, begun outside the lock, or null. */
    Object flight;

    void reset(long start, int size) {
      this.start = start;
      this.size = size;
      expectedNanos = -1;
      items = null;
      n = 0;
      exhausted = false;
      error = null;
      notReady = false;
      flight = null;
    }

    /** Drops the references of a read that is settled. */
    void clear() {
      items = null;
      error = null;
      flight = null;
    }

    /** Whether the read stopped before its size: no read after it in the same turn may run. */
    boolean stoppedShort() {
      return n < size || exhausted || error != null || notReady;
    }

    /** The inputs read, in an array of their own length. */
    Object[] inputs() {
      return n == items.length ? items : Arrays.copyOf(items, n);
    }
  }

  /** Under the lock: how many inputs are still to be read, when the input's size is known. */
  @GuardedBy("call.lock")
  long unreadLocked(long limit) {
    long size = input.size();
    return size < 0 ? -1 : Math.max(0, Math.min(size, limit) - nextIndex);
  }

  /** Under the lock, first step of a read: the next run of a lost chunk, or null. */
  @GuardedBy("call.lock")
  Chunk againLocked() {
    inputStalled = false;
    return lost.pollFirst();
  }

  /**
   * Under the lock: takes slots for up to {@code max} new chunks while {@link #wantsMoreLocked}
   * says yes, the first at {@link #nextIndex} and each after the one before; more than one only
   * while the chunks are measured, and only as many as the expected run time of all of them fits in
   * {@code budgetNanos} ({@link #READ_AHEAD_NANOS} per worker that may take them). Returns how
   * many: their reads are {@link #read(int)} {@code 0..n-1}, to be filled in that order and each
   * settled ({@link #settleLocked}) or dropped ({@link #dropLocked}).
   */
  @GuardedBy("call.lock")
  int claimLocked(int max, boolean cancelled, long budgetNanos) {
    long start = nextIndex;
    long size = input.size();
    long budget = budgetNanos;
    int k = 0;
    while (k < max && wantsMoreLocked(cancelled)) {
      if (k == reads.length) {
        reads = Arrays.copyOf(reads, Math.max(max, 1));
      }
      Read r = reads[k];
      if (r == null) {
        r = reads[k] = new Read();
      }
      long remaining = size >= 0 ? size - start : -1;
      r.reset(start, sizer.next(remaining));
      r.expectedNanos = sizer.expectedNanos(r.size);
      running++;
      outstanding++;
      outstandingItems += r.size;
      k++;
      start += r.size;
      budget -= r.expectedNanos;
      if (r.expectedNanos < 0 || budget < 0 || (size >= 0 && start >= size)) {
        break;
      }
    }
    return k;
  }

  /** The {@code k}th read claimed by the last {@link #claimLocked}; the token holder's. */
  // claimed under the lock by the token's holder, used by that holder alone until its next turn
  @SuppressWarnings("GuardedBy")
  Read read(int k) {
    return reads[k];
  }

  /**
   * Reads the claimed chunk's inputs, with no lock held (the input may block); a throwing input
   * ends the reading with {@link Read#error}. Only the holder of the read token calls this.
   */
  void fill(Read r) {
    long start = r.start;
    int size = r.size;
    Object[] items = null;
    int n = 0;
    try {
      Iterator<?> direct = input.direct();
      if (input.isList()) {
        // a random-access list: the chunk in one copy, up to the limit as it stood when the
        // chunk began
        items = input.readList((int) Math.min(size, Math.max(0, call.limit - start)));
        n = items.length;
        r.exhausted = input.listEnded();
      } else if (direct != null) {
        items = new Object[size];
        // the common case in one tight loop: a plain iterator, read up to the limit; the limit
        // is read again every READ_CHECK items, so that a cancel (the results closed) or a
        // failure stops a long chunk's reading within a few items, not at its end
        int max = (int) Math.min(size, Math.max(0, call.limit - start));
        while (n < max) {
          if ((n & (READ_CHECK - 1)) == READ_CHECK - 1 && start + n >= call.limit) {
            break;
          }
          if (!direct.hasNext()) {
            r.exhausted = true;
            break;
          }
          Object item = direct.next(); // first: an input that throws here counts no element
          items[n++] = item;
        }
      } else {
        items = new Object[size];
        while (n < size && start + n < call.limit) {
          Object item = input.poll(wakeUp); // first: an input that throws here counts no element
          if (item == Input.END) {
            r.exhausted = true;
            break;
          }
          if (item == Input.NOT_READY) {
            r.notReady = true;
            break;
          }
          items[n++] = item;
        }
      }
    } catch (Throwable t) {
      r.error = t;
    }
    r.items = items;
    r.n = n;
  }

  /** Under the lock, after {@link #fill}: moves the reading on; ends the input when it ended. */
  @GuardedBy("call.lock")
  void settleLocked(Read r) {
    nextIndex = r.start + r.n;
    outstandingItems -= r.size - r.n;
    // the upstream runs wakeUp when it has more; until then no worker should come back
    inputStalled = r.notReady && !r.exhausted && r.error == null;
    if (r.exhausted || r.error != null || r.start + r.n >= call.limit) {
      inputDone = true;
    }
  }

  /**
   * Under the lock: a read that gave no chunk (nothing read, or the call cancelled) frees its slot.
   */
  @GuardedBy("call.lock")
  void unclaimLocked(Read r) {
    running--;
    outstanding--;
    outstandingItems -= r.n;
  }

  /**
   * Under the lock: a read claimed after one that stopped short was never filled (nothing of the
   * input was read for it): its slot frees and the reading does not move.
   */
  @GuardedBy("call.lock")
  void dropLocked(Read r) {
    running--;
    outstanding--;
    outstandingItems -= r.size;
  }

  /** Under the lock: whether another chunk may be read now. */
  @GuardedBy("call.lock")
  boolean wantsMoreLocked(boolean cancelled) {
    if (!lost.isEmpty()) {
      return true;
    }
    if (inputDone || cancelled || inputStalled) {
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
  @GuardedBy("call.lock")
  long windowBytesLocked() {
    if (maxBytes <= 0) {
      return Long.MIN_VALUE;
    }
    long pendingItems = Math.max(0, outstandingItems - heldItems);
    return heldBytes + (long) (pendingItems * sizer.bytesPerItem());
  }

  /** The estimated heap of a run's results, when bytes are bounded; else 0. Outside the lock. */
  long measure(Object[] results, int valid, long wireBytes) {
    return maxBytes > 0 && valid > 0 ? ResultBytes.of(results, valid, wireBytes) : 0;
  }

  /**
   * Under the lock: a run of {@code chunk} completed with {@code results} results, {@code valid} of
   * them valid, {@code bytes} estimated; the sizer learns from it. Returns whether its slot freed
   * now (collected, or nothing in it for an unordered consumer); else it is held until the consumer
   * has taken its last result ({@link #takenLocked}).
   */
  @GuardedBy("call.lock")
  boolean completedLocked(Chunk chunk, int results, int valid, int ran, long nanos, long bytes) {
    sizer.record(ran, nanos);
    if (bytes > 0) {
      sizer.recordBytes(valid, bytes);
    }
    running--;
    if (mode != Mode.COLLECT && (mode == Mode.ORDERED || valid > 0)) {
      // held until consumed: what the byte window counts
      chunk.bytes = bytes;
      heldBytes += bytes;
      heldItems += results;
    }
    if (mode == Mode.ORDERED || (mode == Mode.UNORDERED && valid > 0)) {
      return false;
    }
    outstanding--;
    outstandingItems -= results;
    return true;
  }

  /**
   * Under the lock: the consumer took the last result of {@code head}, whose slot frees. Returns
   * whether the call must be offered to the scheduler again.
   */
  @GuardedBy("call.lock")
  boolean takenLocked(Chunk head) {
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
      return true;
    }
    return false;
  }

  /** Under the lock: queues the next run of a lost or returned chunk, ahead of new input. */
  @GuardedBy("call.lock")
  void againLocked(Chunk next) {
    lost.addLast(next);
  }

  /** Under the lock: the call failed or was cancelled: no more input is read. */
  @GuardedBy("call.lock")
  void endLocked() {
    inputDone = true;
  }

  /** Under the lock: the call was cancelled: the lost runs waiting here are handed back. */
  @GuardedBy("call.lock")
  List<Chunk> cancelLocked() {
    List<Chunk> dropped = new ArrayList<>(lost);
    lost.clear();
    inputDone = true;
    return dropped;
  }

  /** Under the lock: lifts the window (join). */
  @GuardedBy("call.lock")
  void drainLocked() {
    drain = true;
  }

  /** Under the lock: no more input will be read and no chunk is being read or run. */
  @GuardedBy("call.lock")
  boolean idleLocked() {
    return inputDone && running == 0;
  }

  /**
   * Offers the call to its scheduler again: what an upstream runs when it has more. A class, not a
   * lambda: a lambda's class is spun on its first use, about a millisecond of a fresh JVM's first
   * call.
   */
  private static final class WakeUp implements Runnable {
    private final Call call;

    WakeUp(Call call) {
      this.call = call;
    }

    @Override
    public void run() {
      call.scheduler.offer(call);
    }
  }
}
