package dev.pool4j.internal.scheduler;

/**
 * What became of one run of a chunk: the one value a backend hands to {@link Chunk#report}.
 *
 * <p>Four kinds, each made by its own factory:
 *
 * <ul>
 *   <li>{@link #done done}: the chunk ran; {@code results[0..valid)} are its first results and
 *       {@code failure}, when not null, is the exception of item {@code valid}. A chunk the call no
 *       longer needed, or that the pool's termination stopped, is done with nothing ({@link
 *       #none}); one whose backend broke down before its outcome was known fails at its first item
 *       ({@link #aborted}).
 *   <li>{@link #lost lost}: the worker running it was lost (a worker process died, a cluster member
 *       left). The call runs the chunk again, from its first item, up to {@link
 *       SchedulerConfig#retries()} times; after that, or when the call no longer needs it, the
 *       outcome counts as done with the results and failure given.
 *   <li>{@link #returned() returned}: a backend accepted the chunk but never started it (it waited
 *       behind a chunk whose worker was lost). It runs again without using a retry; when the call
 *       no longer needs it, it counts as done with nothing.
 *   <li>{@link #unsure() unsure}: the worker was lost while it held the chunk among others, and
 *       which of them it was running is unknown. It runs again without using a retry, but {@link
 *       Chunk#isolated() isolated}: so that a loss during that run is its own; when the call no
 *       longer needs it, it counts as done with nothing.
 * </ul>
 *
 * <p>Immutable; the arrays it is given become the call's when the report wins, so a backend must
 * not write to them afterwards.
 */
public final class Outcome {

  /** The kinds of outcome; see the class notes. */
  enum Kind {
    DONE,
    LOST,
    RETURNED,
    UNSURE
  }

  /**
   * Who ran a chunk, for the insights: a worker of this pool, or a place a plugged backend names (a
   * cluster member), which gets figures of its own.
   *
   * @param id the key of the figures
   * @param name what the insights call it
   * @param startupNanos how long it took to be ready
   */
  public record Ran(int id, String name, long startupNanos) {
    /** The worker, as the insights name it, or null for null. */
    public static Ran of(Worker worker) {
      return worker == null
          ? null
          : new Ran(worker.id(), "worker-" + worker.id(), worker.startupNanos());
    }
  }

  private static final Outcome RETURNED = new Outcome(Kind.RETURNED, null, 0, null, 0, null, 0, 0);

  private static final Outcome UNSURE = new Outcome(Kind.UNSURE, null, 0, null, 0, null, 0, 0);

  final Kind kind;

  /** The results, {@code valid} of them valid; null when there are none (made when needed). */
  final Object[] results;

  final int valid;

  /** The exception of item {@code valid} (done), or why the worker was lost (lost); or null. */
  final Throwable failure;

  /** How long the run took where it ran. */
  final long nanos;

  /** Who ran it, or null when nobody did. */
  final Ran ran;

  final long maxTaskNanos;

  /** The bytes its results took on the wire, 0 when not known. */
  final long wireBytes;

  private Outcome(
      Kind kind,
      Object[] results,
      int valid,
      Throwable failure,
      long nanos,
      Ran ran,
      long maxTaskNanos,
      long wireBytes) {
    checkValid(results, valid);
    this.kind = kind;
    this.results = results;
    this.valid = valid;
    this.failure = failure;
    this.nanos = nanos;
    this.ran = ran;
    this.maxTaskNanos = maxTaskNanos;
    this.wireBytes = wireBytes;
  }

  /** Checks that {@code valid} results are within {@code results}. */
  static void checkValid(Object[] results, int valid) {
    if (valid < 0 || valid > 0 && (results == null || valid > results.length)) {
      throw new IllegalArgumentException(
          "valid must be within the results, was "
              + valid
              + " of "
              + (results == null ? "none" : results.length));
    }
  }

  /**
   * The chunk ran: {@code results[0..valid)} are its first results; {@code failure}, when not null,
   * is the exception of item {@code valid}; fewer valid results and no failure means the call's
   * limit cut the chunk short.
   *
   * @param results an array the size of the chunk (or null when {@code valid} is 0)
   * @param nanos how long the run took
   * @param ran who ran it, or null when nobody did
   * @param maxTaskNanos the longest task of the run, for the insights
   */
  public static Outcome done(
      Object[] results, int valid, Throwable failure, long nanos, Ran ran, long maxTaskNanos) {
    return new Outcome(Kind.DONE, results, valid, failure, nanos, ran, maxTaskNanos, 0);
  }

  /**
   * {@link #done(Object[], int, Throwable, long, Ran, long) done}, by a backend that times the run
   * as a whole: its mean task time stands for the longest.
   */
  public static Outcome done(Object[] results, int valid, Throwable failure, long nanos, Ran ran) {
    return done(results, valid, failure, nanos, ran, meanTaskNanos(valid, failure, nanos));
  }

  /**
   * The chunk did not run and needs not: the call no longer needs it (cancelled, or past a
   * failure), or the pool is terminating. {@code ran}: the worker that had taken it, or null.
   */
  public static Outcome none(Ran ran) {
    return done(null, 0, null, 0, ran, 0);
  }

  /**
   * The backend broke down (an error of this JVM, not of a task) before the chunk's outcome was
   * known: the chunk fails at its first item with {@code failure}.
   */
  public static Outcome aborted(Throwable failure, Ran ran) {
    return done(null, 0, failure, 0, ran, 0);
  }

  /**
   * The worker running the chunk was lost. The chunk runs again if the call still needs it and it
   * has a retry left; if not, this counts as {@link #done(Object[], int, Throwable, long, Ran)
   * done} with {@code results[0..valid)} and {@code why} as the failure of item {@code valid}.
   */
  public static Outcome lost(Object[] results, int valid, Throwable why, long nanos, Ran ran) {
    return new Outcome(
        Kind.LOST, results, valid, why, nanos, ran, meanTaskNanos(valid, why, nanos), 0);
  }

  /** {@link #lost(Object[], int, Throwable, long, Ran) lost}, with nothing computed. */
  public static Outcome lost(Throwable why, Ran ran) {
    return lost(null, 0, why, 0, ran);
  }

  /**
   * The chunk was accepted but never started: it runs again without using a retry, or, when the
   * call no longer needs it, counts as done with nothing.
   */
  public static Outcome returned() {
    return RETURNED;
  }

  /**
   * The worker was lost while the chunk was one of several it held, and whether it was the one
   * running is unknown (a worker process that answers several chunks with one write): it runs again
   * without using a retry, {@linkplain Chunk#isolated() isolated}, or, when the call no longer
   * needs it, counts as done with nothing. A chunk whose task kills its worker every time so runs
   * once more than its retries say, and is then pinned down as a lost one would be.
   */
  public static Outcome unsure() {
    return UNSURE;
  }

  /**
   * This outcome, with the bytes its results took on the wire (a frame from a worker process, a
   * message from a cluster member): for results of classes whose heap {@link ResultBytes} cannot
   * see, it is the better measure of what they hold.
   */
  public Outcome withWireBytes(long bytes) {
    return new Outcome(kind, results, valid, failure, nanos, ran, maxTaskNanos, bytes);
  }

  /** How many tasks ran: the valid ones, and the failing one. */
  int tasksRun() {
    return failure == null ? valid : valid + 1;
  }

  /** The mean time of a run's tasks, for a backend that cannot time them one by one. */
  static long meanTaskNanos(int valid, Throwable failure, long nanos) {
    return nanos / Math.max(1, failure == null ? valid : valid + 1);
  }

  @Override
  public String toString() {
    return kind
        + "["
        + valid
        + " valid"
        + (failure == null ? "" : ", " + failure)
        + (ran == null ? "" : ", by " + ran.name())
        + "]";
  }
}
