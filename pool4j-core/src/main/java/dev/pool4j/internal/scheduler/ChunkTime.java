package dev.pool4j.internal.scheduler;

/**
 * A running mean of how long chunks take where they run, in nanoseconds: the hint by which a
 * backend that queues chunks ahead of its workers decides how deep ({@link QueueDepth}).
 *
 * <p>Each new time counts for {@code 1 / weight} of the mean. Written by the threads that receive
 * outcomes, without a lock: a lost update leaves a slightly older mean, which a hint tolerates.
 */
public final class ChunkTime {

  private final int weight;

  /** The mean, or -1 before the first time. */
  private volatile long nanos = -1;

  /**
   * A mean in which each new time counts for {@code 1 / weight}.
   *
   * @param weight at least 1
   */
  public ChunkTime(int weight) {
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be >= 1, was " + weight);
    }
    this.weight = weight;
  }

  /** Adds how long one chunk took. */
  public void record(long chunkNanos) {
    long mean = nanos;
    nanos = mean < 0 ? chunkNanos : (mean * (weight - 1) + chunkNanos) / weight;
  }

  /** The mean so far, or -1 before the first chunk. */
  public long nanos() {
    return nanos;
  }
}
