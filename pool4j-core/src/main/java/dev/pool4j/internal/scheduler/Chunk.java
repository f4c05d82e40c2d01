package dev.pool4j.internal.scheduler;

/**
 * A run of consecutive inputs of one call, handed to one worker at once.
 *
 * <p>Created by the worker that reads it (holding the call's read token); its results are written
 * by the worker that runs it and published to consumers under the call's lock. The consumer-side
 * fields ({@link #cursor}) are only touched under the call's lock.
 */
public final class Chunk {
  final Call call;
  /** Index of {@code items[0]} in the call's input. */
  final long start;

  /** The inputs; cleared once run so that a slow consumer holds only results. */
  Object[] items;

  // --- written by the running worker, read under call.lock after done is set ---
  Object[] results;
  /** How many leading results are valid (all, unless the chunk failed or was cut short). */
  int valid;
  /** Set under call.lock when the outcome is known. */
  boolean done;

  /** Consumer position inside this chunk; only under call.lock. */
  int cursor;

  /** How many times the chunk was handed back to run again ({@link Call#chunkLost}); under call.lock. */
  int retries;

  /**
   * The size its results took on the wire, 0 when not known; set by the backend that reports the
   * chunk, before it does.
   */
  long encodedBytes;

  /** The flight recorder's {@code dev.pool4j.Chunk} event of this run, or null; under call.lock. */
  Object flight;

  /** The estimated heap its results hold while they wait for a consumer; under call.lock. */
  long bytes;

  Chunk(Call call, long start, Object[] items) {
    this.call = call;
    this.start = start;
    this.items = items;
  }

  /** The call this chunk belongs to. */
  public Call call() {
    return call;
  }

  /** Index of the first item in the call's input. */
  public long start() {
    return start;
  }

  /** Number of items. */
  public int size() {
    return items == null ? (results == null ? 0 : results.length) : items.length;
  }

  /** How many times this chunk has been run again after its worker was lost. */
  public int retries() {
    call.lock.lock();
    try {
      return retries;
    } finally {
      call.lock.unlock();
    }
  }

  /**
   * Tells the scheduler how many bytes the chunk's results took on the wire (a frame from a worker
   * process, a message from a cluster member), before the chunk is reported: for results of
   * classes whose heap {@link ResultBytes} cannot see, it is the better measure of what they hold.
   */
  public void resultBytes(long encoded) {
    encodedBytes = encoded;
  }

  /** The inputs, for the backend that runs the chunk. */
  public Object[] items() {
    return items;
  }
}
