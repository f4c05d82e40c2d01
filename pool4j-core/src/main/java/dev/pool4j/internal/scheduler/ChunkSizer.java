package dev.pool4j.internal.scheduler;

/**
 * Chooses how many inputs go into the next chunk of one call.
 *
 * <p>Fixed when the user gave a chunk size. Adaptive otherwise, after joblib's auto-batching but
 * aimed far lower (our dispatch costs about a microsecond, not milliseconds): start at 1, so that
 * seconds-long tasks stream one by one; from measured chunk times keep an estimate of the time per
 * item, and size chunks to take about {@code targetNanos}; grow at most twofold per chunk (a cold
 * JIT makes early measurements pessimistic, and doubling reaches the cap within 15 chunks), shrink
 * at once. When the input's size is known, chunks near the end shrink to {@code remaining / (2 x
 * workers)} so that no worker is left with a long tail.
 *
 * <p>Not thread safe: guarded by the call's lock.
 */
final class ChunkSizer {
  /** Caps memory per chunk (a window holds {@code maxInFlight} of them) and tail imbalance. */
  static final int MAX_ADAPTIVE = 16_384;

  private final int fixed;
  private final long targetNanos;
  private final int workers;

  private double nanosPerItem = -1;
  private int last;

  ChunkSizer(int fixed, long targetNanos, int workers) {
    this.fixed = fixed;
    this.targetNanos = targetNanos;
    this.workers = workers;
  }

  /**
   * Size of the next chunk.
   *
   * @param remaining inputs left when the input's size is known, else -1
   */
  int next(long remaining) {
    if (fixed > 0) {
      return fixed;
    }
    int size;
    if (nanosPerItem < 0) {
      size = 1;
    } else {
      double ideal = targetNanos / Math.max(nanosPerItem, 1.0);
      size = (int) Math.max(1, Math.min(Math.min(ideal, 2.0 * Math.max(last, 1)), MAX_ADAPTIVE));
    }
    if (remaining >= 0) {
      long tail = Math.max(1, remaining / (2L * workers));
      size = (int) Math.min(size, tail);
    }
    last = size;
    return size;
  }

  /** Records that {@code items} inputs took {@code nanos} to run. */
  void record(int items, long nanos) {
    if (fixed > 0 || items <= 0) {
      return;
    }
    double sample = (double) nanos / items;
    nanosPerItem = nanosPerItem < 0 ? sample : 0.5 * nanosPerItem + 0.5 * sample;
  }
}
