package dev.pool4j.internal.process;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue of chunks sent to one worker process ({@link ProcessWorker}'s link): the sender {@link
 * #enqueue}s, the receiver takes the {@link #head} off ({@link #pop}) as its results arrive, and
 * {@link #drain}s whatever is left when the process ends. The exactly-once of the process backend
 * rests on the race of {@code enqueue} against {@code drain}: a chunk that {@code enqueue} accepted
 * is the receiver's to report, so it must be popped or in the drain; one it refused (the link died
 * first) goes to the next process. It stands alone so that the race can be tested by itself (module
 * pool4j-jcstress, {@code ChunkQueueDrainTest}).
 *
 * <p>The sender, the receiver and those that wait for room ({@link #awaitFewerThan}) share one
 * lock; only the receiver takes chunks off.
 */
final class ChunkQueue<T extends ChunkQueue.Entry> {

  /** A queued chunk: when it was queued, which starts its deadline. */
  abstract static class Entry {
    /** When it was queued; under the queue's lock. */
    long queuedNanos;
  }

  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled when the queue shrinks or grows from empty, and when the link dies. */
  private final Condition changed = lock.newCondition();

  /** Chunks sent to the process, in the order it runs them; under lock. */
  @GuardedBy("lock")
  private final ArrayDeque<T> queue = new ArrayDeque<>();

  /** Takes no more chunks; set under lock. Only the receiver empties the queue. */
  private volatile boolean dead;

  /**
   * The queue length the sender waits for, -1 when it does not wait; under lock. A sender that
   * found the queue full waits until it is half empty, not for the first free place: it then sends
   * several chunks in a row, for one wake-up instead of one a chunk.
   */
  @GuardedBy("lock")
  private int senderWaitsFor = -1;

  /** The queue length {@link #awaitFewerThan} waits to go below, 0 when none waits; under lock. */
  @GuardedBy("lock")
  private int roomWaiter;

  /** Whether the link is dead: it takes no more chunks. */
  boolean isDead() {
    return dead;
  }

  // --- sender side ---

  /**
   * Waits until fewer than {@code depth} chunks are queued, then queues {@code sent}. Returns how
   * many chunks are queued with it, or 0 if the link died meanwhile. An interrupt does not end the
   * wait (a terminate kills the process, which does): it runs {@code onInterrupt}, for the sender
   * to keep it for later.
   */
  int enqueue(T sent, int depth, Runnable onInterrupt) {
    lock.lock();
    try {
      if (queue.size() >= depth) {
        senderWaitsFor = depth / 2;
        try {
          while (!dead && queue.size() > senderWaitsFor) {
            try {
              changed.await();
            } catch (InterruptedException e) {
              onInterrupt.run();
            }
          }
        } finally {
          senderWaitsFor = -1;
        }
      }
      if (dead) {
        return 0;
      }
      sent.queuedNanos = System.nanoTime();
      queue.addLast(sent);
      int n = queue.size();
      if (n == 1) {
        changed.signalAll(); // a receiver waiting to set a deadline
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many chunks are queued. Only the receiver takes chunks off, so for the sender, the one
   * thread that adds, the count can only be lower by the time it acts on it.
   */
  int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until fewer than {@code n} chunks are queued, or the link is dead, through interrupts
   * (kept).
   */
  void awaitFewerThan(int n) {
    boolean wasInterrupted = false;
    lock.lock();
    try {
      roomWaiter = n;
      try {
        while (!dead && queue.size() >= n) {
          try {
            changed.await();
          } catch (InterruptedException e) {
            wasInterrupted = true;
          }
        }
      } finally {
        roomWaiter = 0;
      }
    } finally {
      lock.unlock();
      if (wasInterrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Takes no more chunks, and wakes a receiver that waits for one. */
  void close() {
    lock.lock();
    try {
      dead = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // --- receiver side ---

  /** Waits for a queued chunk (null when the link is dead and has none). */
  T awaitHead() {
    lock.lock();
    try {
      while (!dead && queue.isEmpty()) {
        changed.awaitUninterruptibly();
      }
      return queue.peekFirst();
    } finally {
      lock.unlock();
    }
  }

  /** The first queued chunk, or null. */
  T head() {
    lock.lock();
    try {
      return queue.peekFirst();
    } finally {
      lock.unlock();
    }
  }

  /** Takes the finished first chunk off the queue. */
  void pop() {
    lock.lock();
    try {
      queue.pollFirst();
      if (queue.size() <= senderWaitsFor || queue.size() < roomWaiter) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Marks the link dead and takes every queued chunk, in order. */
  List<T> drain() {
    lock.lock();
    try {
      dead = true;
      List<T> all = new ArrayList<>(queue);
      queue.clear();
      changed.signalAll();
      return all;
    } finally {
      lock.unlock();
    }
  }
}
