package dev.pool4j.internal.scheduler;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The chunks a call's reader read for other workers ({@link Call}'s "Read ahead"): one batch at a
 * time, taken in input order, each by one taker, with one compare-and-set and no lock.
 *
 * <p>Only the read token's holder {@linkplain #publish publishes}, and only once the batch before
 * is taken to its end (it {@linkplain #poll polls} first and reads only when that finds nothing),
 * so no chunk is ever replaced before it was taken. A batch is immutable but for its cursor: a
 * taker that still holds the batch before a new one only finds that batch's end. Against a queue
 * with a node per chunk this makes no garbage per chunk but a batch's array.
 */
final class ReadAhead {

  /** One read's chunks for others, and the index of the next one to take. */
  private static final class Batch {
    private static final AtomicIntegerFieldUpdater<Batch> NEXT =
        AtomicIntegerFieldUpdater.newUpdater(Batch.class, "next");

    final Chunk[] chunks;
    final int size;
    volatile int next;

    Batch(Chunk[] chunks, int size) {
      this.chunks = chunks;
      this.size = size;
    }

    /** Claims the next index, or returns -1 at the end. */
    int claim() {
      for (; ; ) {
        int i = next;
        if (i >= size) {
          return -1;
        }
        if (NEXT.compareAndSet(this, i, i + 1)) {
          return i;
        }
      }
    }

    /** Claims every index left; returns the first (the end when none was left). */
    int claimAll() {
      for (; ; ) {
        int i = next;
        if (i >= size || NEXT.compareAndSet(this, i, size)) {
          return Math.min(i, size);
        }
      }
    }

    /** The chunk at an index this thread claimed; the batch keeps no reference to it. */
    Chunk take(int i) {
      Chunk chunk = chunks[i];
      chunks[i] = null;
      return chunk;
    }
  }

  private static final Batch EMPTY = new Batch(new Chunk[0], 0);

  /** Written by the token's holder, under its call's lock; read by any thread. */
  private volatile Batch batch = EMPTY;

  /** The next chunk, or null when none waits: any thread, no lock. */
  Chunk poll() {
    Batch b = batch;
    int i = b.claim();
    return i < 0 ? null : b.take(i);
  }

  /** Whether no chunk waits (as of now). */
  boolean isEmpty() {
    Batch b = batch;
    return b.next >= b.size;
  }

  /** How many chunks wait now. */
  int size() {
    Batch b = batch;
    return Math.max(0, b.size - b.next);
  }

  /**
   * Makes {@code chunks[0..n)} the chunks that wait, in that order. The token's holder only, under
   * the call's lock, after a {@link #poll} that found none: the batch before is taken to its end.
   */
  void publish(Chunk[] chunks, int n) {
    assert isEmpty() : "a batch replaced before it was taken";
    batch = n == 0 ? EMPTY : new Batch(chunks, n);
  }

  /** Takes every chunk that waits into {@code into}; under the call's lock (a cancel). */
  void drainTo(List<Chunk> into) {
    Batch b = batch;
    for (int i = b.claimAll(); i < b.size; i++) {
      into.add(b.take(i));
    }
  }
}
