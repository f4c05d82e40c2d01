package dev.pool4j.internal.scheduler;

import java.time.Duration;

/**
 * A pool's settings, validated by the builder.
 *
 * @param workers the number of workers, at least 1
 * @param chunksize a fixed chunk size, or 0 for adaptive
 * @param maxInFlight the most chunks outstanding per call
 * @param minItemsInFlight inputs a call may have outstanding even past {@code maxInFlight} chunks
 *     (0 when the user fixed maxInFlight: then it is a strict bound)
 * @param taskTimeout the longest a task may run, or null for no limit
 * @param maxTasksPerWorker tasks after which a worker is replaced, or 0 for never
 * @param retries how many times a chunk whose worker was lost (a worker process died) runs again
 *     before it fails, at least 0
 */
public record SchedulerConfig(
    int workers,
    int chunksize,
    int maxInFlight,
    int minItemsInFlight,
    Duration taskTimeout,
    int maxTasksPerWorker,
    int retries) {

  /** The default floor of the window in inputs, for small chunks. */
  public static final int DEFAULT_MIN_ITEMS_IN_FLIGHT = 256;

  /** The default number of retries of a chunk whose worker was lost. */
  public static final int DEFAULT_RETRIES = 1;

  /** The system property that sets {@link #maxBytesInFlight()}, in bytes. */
  public static final String MAX_BYTES_PROPERTY = "pool4j.maxBytesInFlight";

  /**
   * The most bytes of results a lazy call ({@code imap}, {@code imapUnordered}) keeps outstanding,
   * as the scheduler estimates them: the system property {@value #MAX_BYTES_PROPERTY} when set to a
   * positive number, else an eighth of the heap ({@code Runtime.maxMemory() / 8}), so that a few
   * lazy calls at once, each with its window full, still leave most of the heap to the program.
   *
   * @throws IllegalArgumentException if the property is set but is not a positive number
   */
  public static long maxBytesInFlight() {
    String set = System.getProperty(MAX_BYTES_PROPERTY);
    if (set != null && !set.isBlank()) {
      long bytes;
      try {
        bytes = Long.parseLong(set.trim());
      } catch (NumberFormatException e) {
        bytes = -1;
      }
      if (bytes < 1) {
        throw new IllegalArgumentException(
            "-D" + MAX_BYTES_PROPERTY + " must be a number of bytes >= 1, was \"" + set + "\"");
      }
      return bytes;
    }
    return Math.max(1, Runtime.getRuntime().maxMemory() / 8);
  }

  /** The default window: enough outstanding chunks to keep every worker busy, and a margin. */
  public static int defaultMaxInFlight(int workers) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(16L, 4L * workers));
  }
}
