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
 * <p>When the call's results are measured ({@link #recordBytes}, the lazy modes), an adaptive chunk
 * is also kept under {@code chunkBytes} of results: tiny tasks with large results (a string per
 * item) would otherwise grow chunks to {@link #MAX_ADAPTIVE} items and a window of them to many
 * times the heap. The estimate of bytes per item rises at once and falls by halves.
 *
 * <p>Not thread safe: guarded by the call's lock.
 */
final class ChunkSizer {
  /** Caps memory per chunk (a window holds {@code maxInFlight} of them) and tail imbalance. */
  static final int MAX_ADAPTIVE = 16_384;

  private final int fixed;
  private final long targetNanos;
  private final int workers;

  /** The most bytes of results an adaptive chunk should hold, or 0 for no such bound. */
  private final long chunkBytes;

  private double nanosPerItem = -1;

  /** Estimated heap bytes per result, or -1 before any was measured. */
  private double bytesPerItem = -1;

  private int last;

  ChunkSizer(int fixed, long targetNanos, int workers) {
    this(fixed, targetNanos, workers, 0);
  }

  ChunkSizer(int fixed, long targetNanos, int workers, long chunkBytes) {
    this.fixed = fixed;
    this.targetNanos = targetNanos;
    this.workers = workers;
    this.chunkBytes = chunkBytes;
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
    if (chunkBytes > 0 && bytesPerItem > 0) {
      size = (int) Math.max(1, Math.min(size, chunkBytes / bytesPerItem));
    }
    if (remaining >= 0) {
      long tail = Math.max(1, remaining / (2L * workers));
      size = (int) Math.min(size, tail);
    }
    last = size;
    return size;
  }

  /**
   * Records that {@code items} inputs took {@code nanos} to run. Fixed-size chunks are measured
   * too: {@link #expectedNanos} serves the flight recorder whatever the sizing.
   */
  void record(int items, long nanos) {
    if (items <= 0) {
      return;
    }
    double sample = (double) nanos / items;
    nanosPerItem = nanosPerItem < 0 ? sample : 0.5 * nanosPerItem + 0.5 * sample;
  }

  /**
   * How long a chunk of {@code items} inputs should run, from the chunks measured so far, or -1
   * before the first was measured.
   */
  long expectedNanos(int items) {
    return nanosPerItem < 0 ? -1 : (long) (nanosPerItem * items);
  }

  /** Records that {@code items} results hold an estimated {@code bytes}. */
  void recordBytes(int items, long bytes) {
    if (items <= 0) {
      return;
    }
    double sample = (double) bytes / items;
    bytesPerItem = sample >= bytesPerItem ? sample : 0.5 * bytesPerItem + 0.5 * sample;
  }

  /** Estimated heap bytes per result, 0 before any was measured. */
  double bytesPerItem() {
    return Math.max(0, bytesPerItem);
  }
}
