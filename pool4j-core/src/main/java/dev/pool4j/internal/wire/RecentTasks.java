package dev.pool4j.internal.wire;

import java.util.Arrays;

/**
 * The tasks one thread last read from chunk messages ({@link Messages#run}), so that the next chunk
 * of the same call on that thread does not deserialize the task again: a cluster member's executor
 * thread otherwise reads the call's task back from its bytes for every chunk, which with chunks of
 * one item was a sixth of the member's samples ({@code ObjectInputStream.readObject}).
 *
 * <p><b>Keyed by the task's exact bytes and the class loader they were read with.</b> A hit is an
 * object deserialized earlier on this thread from the same bytes, under the same loader and the
 * same JVM-wide filter (which cannot change once set): what reading the bytes again would give,
 * save that it is the same object. The key is the whole serialized form, compared byte for byte,
 * not a digest of it and not a name the sender chose: nothing in a message can make a lookup return
 * another task's object. (The cluster opens a chunk's seal before its message reaches here.)
 *
 * <p><b>One per thread, never shared.</b> A task object is only ever used by the thread that read
 * it, as on a worker process (one thread, the call's task read once) and unlike the thread backend
 * (one object for every worker): a task that keeps something of its own in a field (a lazily made
 * parser in a transient field) keeps it per thread, and needs no locking. What a thread keeps from
 * one chunk to the next of a call (or of another call whose task serializes to the same bytes) is
 * what the task itself changed in its fields; {@code workerState} needs no help from here, since
 * the state lives in the thread's frame, keyed by the pool.
 *
 * <p><b>Bounded</b>: at most {@link #CAPACITY} tasks, the least recently used dropped first, and
 * only tasks of at most {@link #MAX_TASK_BYTES} serialized bytes (a larger task is read per chunk,
 * as before, rather than held by an idle thread); the bytes kept for the comparison are a copy.
 *
 * <p>Cost of a lookup: at most {@link #CAPACITY} length checks and one {@link Arrays#equals} of the
 * task's bytes (vectorized, some nanoseconds for a lambda's few hundred bytes); against a fresh
 * {@link java.io.ObjectInputStream} and a full read per chunk. Not thread safe: one per thread.
 */
final class RecentTasks {

  /** How many tasks a thread keeps: as many as a thread keeps worker states. */
  static final int CAPACITY = 8;

  /** The largest serialized task kept: larger ones are read per chunk. */
  static final int MAX_TASK_BYTES = 1 << 20;

  private static final ThreadLocal<RecentTasks> MINE = ThreadLocal.withInitial(RecentTasks::new);

  /** The current thread's. */
  static RecentTasks mine() {
    return MINE.get();
  }

  /** Most recently used first; {@code size} of them valid. Owned by one thread. */
  private final byte[][] bytes = new byte[CAPACITY][];

  private final ClassLoader[] loaders = new ClassLoader[CAPACITY];
  private final Object[] tasks = new Object[CAPACITY];
  private int size;

  /** Reads that found their task here, and reads that did not; for tests and diagnostics. */
  long hits;

  long misses;

  /**
   * The task read earlier on this thread from {@code message[offset, offset + length)} with {@code
   * loader}, or null; a hit becomes the most recently used.
   */
  Object find(byte[] message, int offset, int length, ClassLoader loader) {
    for (int i = 0; i < size; i++) {
      byte[] b = bytes[i];
      if (b.length == length
          && loaders[i] == loader
          && Arrays.equals(b, 0, length, message, offset, offset + length)) {
        Object task = tasks[i];
        moveToFront(i, b, loader, task);
        hits++;
        return task;
      }
    }
    misses++;
    return null;
  }

  /** Keeps {@code task}, read from those bytes with {@code loader}, unless it is too large. */
  void put(byte[] message, int offset, int length, ClassLoader loader, Object task) {
    if (length > MAX_TASK_BYTES) {
      return;
    }
    if (size < CAPACITY) {
      size++;
    }
    // the last one falls off when full
    moveToFront(size - 1, Arrays.copyOfRange(message, offset, offset + length), loader, task);
  }

  /** How many tasks are kept. */
  int size() {
    return size;
  }

  private void moveToFront(int i, byte[] b, ClassLoader loader, Object task) {
    System.arraycopy(bytes, 0, bytes, 1, i);
    System.arraycopy(loaders, 0, loaders, 1, i);
    System.arraycopy(tasks, 0, tasks, 1, i);
    bytes[0] = b;
    loaders[0] = loader;
    tasks[0] = task;
  }
}
