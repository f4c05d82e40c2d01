package dev.pool4j.internal.observe;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * The lowest {@code dev.pool4j.Chunk} threshold among the running recordings that take the event,
 * so that a chunk expected to run far below it is not timed at all.
 *
 * <p>Timing a chunk for its event (the event allocated, the recorder's clock read at the read and
 * at the report, the threshold compared) cost about 200 ns a chunk on a 2-core machine: a {@code
 * map} of 1,000 tiny items in 32 chunks of about 2.5 µs each was 6–9% dearer with a recording on,
 * though not one of those chunks reached the 100 µs threshold and none was committed. So a chunk is
 * timed only when its call's chunks so far suggest it may reach the threshold: when its expected
 * run time ({@code ChunkSizer}) is at least {@link #FRACTION 1/8} of it, or unknown (a call's first
 * chunk). A chunk of a call whose chunks run far below the threshold is therefore not recorded even
 * if it happens to run long (the call's {@code dev.pool4j.Call} event still spans it); a recording
 * that lowers the threshold to 0 ({@code dev.pool4j.Chunk#threshold=0ms}) makes every chunk timed
 * again.
 *
 * <p>The threshold is the recordings' business: this reads their settings ({@link
 * Recording#getSettings()}) when a recording starts or stops ({@link FlightRecorderListener}) and,
 * for a setting changed on a running recording, at most once a second, at a call's start. A setting
 * it cannot read makes every chunk timed. Loaded only once the recorder is up (see {@link
 * Flight#recorderUp()}).
 */
final class ChunkThreshold {

  /** A chunk is timed when it is expected to run at least this fraction of the threshold. */
  static final int FRACTION = 8;

  /** The event's default threshold, {@code ChunkEvent.THRESHOLD}, in nanoseconds. */
  static final long DEFAULT_NANOS = parseNanos(ChunkEvent.THRESHOLD);

  private static final String KEY = "dev.pool4j.Chunk#";

  private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Chunks expected to run less than this are not timed; 0 times every chunk. */
  private static volatile long floorNanos;

  /** When the floor was last computed (System.nanoTime()). */
  private static volatile long computedAt;

  private static volatile boolean listening;

  private ChunkThreshold() {}

  /** Whether a chunk expected to run {@code expectedNanos} (-1: not known) is to be timed. */
  static boolean worthTiming(long expectedNanos) {
    if (!listening) {
      start();
    }
    return expectedNanos < 0 || expectedNanos >= floorNanos;
  }

  /** At a call's start: computes the floor again when the last computation is a second old. */
  static void refreshIfDue() {
    if (!listening) {
      start();
    } else if (System.nanoTime() - computedAt > REFRESH_NANOS) {
      compute();
    }
  }

  private static synchronized void start() {
    if (listening) {
      return;
    }
    try {
      FlightRecorder.addListener(
          new FlightRecorderListener() {
            @Override
            public void recordingStateChanged(Recording recording) {
              compute();
            }
          });
    } catch (RuntimeException e) {
      // a security manager may refuse: the floor is then computed at calls' starts only
    }
    compute();
    listening = true;
  }

  /**
   * Computes the floor from the running recordings that take the event. Not synchronized: it takes
   * the recorder's own locks, and the recorder calls it from a listener; two computations that
   * overlap may leave the older figure for up to a second.
   */
  static void compute() {
    long lowest = Long.MAX_VALUE;
    try {
      for (Recording recording : FlightRecorder.getFlightRecorder().getRecordings()) {
        if (recording.getState() != RecordingState.RUNNING) {
          continue;
        }
        Map<String, String> settings = recording.getSettings();
        if ("false".equals(settings.get(KEY + "enabled"))) {
          continue;
        }
        String threshold = settings.get(KEY + "threshold");
        lowest = Math.min(lowest, threshold == null ? DEFAULT_NANOS : parseNanos(threshold));
      }
    } catch (RuntimeException e) {
      lowest = 0; // a setting this cannot read: time every chunk
    }
    floorNanos = lowest == Long.MAX_VALUE ? DEFAULT_NANOS / FRACTION : lowest / FRACTION;
    computedAt = System.nanoTime();
  }

  /** The floor now, in nanoseconds (for tests). */
  static long floorNanos() {
    return floorNanos;
  }

  /**
   * A JFR timespan ({@code "100 us"}, {@code "0ms"}, {@code "20 ms"}, {@code "1 s"}, {@code
   * "infinity"}) in nanoseconds.
   *
   * @throws IllegalArgumentException when it is not one
   */
  static long parseNanos(String timespan) {
    String s = timespan.trim().toLowerCase(Locale.ROOT);
    if (s.equals("infinity")) {
      return Long.MAX_VALUE;
    }
    int unit = 0;
    while (unit < s.length() && (Character.isDigit(s.charAt(unit)) || s.charAt(unit) == '.')) {
      unit++;
    }
    if (unit == 0) {
      throw new IllegalArgumentException("not a timespan: " + timespan);
    }
    double value = Double.parseDouble(s.substring(0, unit));
    double nanosPerUnit;
    switch (s.substring(unit).trim()) {
      case "ns":
        nanosPerUnit = 1;
        break;
      case "us":
        nanosPerUnit = 1e3;
        break;
      case "ms":
        nanosPerUnit = 1e6;
        break;
      case "s":
        nanosPerUnit = 1e9;
        break;
      case "m":
        nanosPerUnit = 60e9;
        break;
      case "h":
        nanosPerUnit = 3600e9;
        break;
      case "d":
        nanosPerUnit = 86400e9;
        break;
      default:
        throw new IllegalArgumentException("not a timespan: " + timespan);
    }
    return (long) Math.min(Long.MAX_VALUE, value * nanosPerUnit);
  }
}
