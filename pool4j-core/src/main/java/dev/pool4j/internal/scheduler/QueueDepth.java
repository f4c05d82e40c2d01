package dev.pool4j.internal.scheduler;

/**
 * How many chunks a backend may queue to one worker at once, the running one included: the one
 * policy for every backend that sends chunks ahead of their results (worker processes, and through
 * {@link dev.pool4j.spi.ChunkJob#queueDepth()} the plugged ones: cluster members). The backends
 * only measure ({@link ChunkTime}) and ask.
 *
 * <p>Queueing a chunk behind the running one hides the round trip between them (the worker starts
 * the next the moment it ends one), which is most of the cost of a short chunk; but a queued chunk
 * waits, and with long chunks it may wait while another worker idles, or be the one the call ends
 * waiting for. So short chunks are queued {@link #MAX} deep, long ones one or two. What "short"
 * means follows the round trip: tens of microseconds to a worker process on this machine, about a
 * millisecond to a cluster member.
 */
public final class QueueDepth {

  /** The most chunks queued to one worker. */
  public static final int MAX = 8;

  /** Worker processes: chunks up to this long are queued {@link #MAX} deep. */
  public static final long PROCESS_SHORT_CHUNK_NANOS = 200_000;

  /**
   * Worker processes: chunks up to this long are queued one behind the running one while the input
   * is far from its end: the round trip between two chunks (a few hundred microseconds while the
   * code on both sides is not yet compiled, as in the first thousand chunks of a run) is then
   * hidden, which is several percent of a chunk of ten milliseconds and under 1.5% of one this
   * long.
   */
  public static final long QUEUE_AHEAD_NANOS = 50_000_000;

  /** Cluster members: chunks shorter than this are queued {@link #MAX} deep. */
  public static final long MEMBER_SHORT_CHUNK_NANOS = 2_000_000;

  /** Cluster members: the depth for other chunks, one running and one queued. */
  public static final int MEMBER_DEPTH = 2;

  private QueueDepth() {}

  /**
   * The depth for a worker process: {@link #MAX} for chunks of up to {@link
   * #PROCESS_SHORT_CHUNK_NANOS} (at most 1.6 ms of work waits in a queue); 2 for chunks up to
   * {@link #QUEUE_AHEAD_NANOS} while at least two inputs per worker are still unread (the other
   * workers have input to take meanwhile), or, when the input's size is not known, for chunks up to
   * twice the adaptive target; else 1, so that long tasks are never queued behind one another while
   * another worker idles, and near the end of the input no chunk waits behind another while a
   * worker idles; 1 too for a call's first chunk, before anything is known.
   *
   * @param chunkNanos how long the call's chunks take, or -1 before the first is back
   * @param targetNanos the adaptive chunk target
   * @param unread the call's inputs still to be read, -1 when its size is not known
   * @param workers the pool's workers
   */
  public static int forProcess(long chunkNanos, long targetNanos, long unread, int workers) {
    if (chunkNanos < 0) {
      return 1;
    }
    if (chunkNanos <= PROCESS_SHORT_CHUNK_NANOS) {
      return MAX;
    }
    if (chunkNanos > QUEUE_AHEAD_NANOS) {
      return 1;
    }
    if (unread < 0) {
      // the input could end at any chunk: only chunks near the target are queued ahead
      return chunkNanos <= 2 * targetNanos ? 2 : 1;
    }
    // far from the end, the other workers have input to take while a chunk queued here waits, so
    // that it cannot be the one the call ends waiting for; near the end, a chunk goes only to an
    // idle process
    return unread >= 2L * workers ? 2 : 1;
  }

  /**
   * The depth for a worker of a plugged backend (a cluster member's): {@link #MAX} while chunks
   * take under {@link #MEMBER_SHORT_CHUNK_NANOS} (a fixed chunk size of 1, say: the round trip
   * would leave a worker idle most of the time), else {@link #MEMBER_DEPTH}, so that long chunks do
   * not wait behind each other while another member idles.
   *
   * @param meanChunkNanos how long the backend's chunks take, or -1 before the first is back
   */
  public static int forMember(long meanChunkNanos) {
    return meanChunkNanos >= 0 && meanChunkNanos < MEMBER_SHORT_CHUNK_NANOS ? MAX : MEMBER_DEPTH;
  }
}
