package dev.pool4j.internal.observe;

import jdk.jfr.FlightRecorder;

/**
 * The pool's JDK Flight Recorder events, behind static methods that cost a field check when no
 * recording takes them.
 *
 * <table>
 *   <caption>The events (category {@code pool4j})</caption>
 *   <tr><th>name</th><th>when</th><th>duration</th></tr>
 *   <tr><td>{@code dev.pool4j.Call}</td><td>a call ({@code map}, {@code imap}, ...) finished,
 *       failed or was cancelled</td><td>from the call's start until it finished computing</td></tr>
 *   <tr><td>{@code dev.pool4j.Chunk}</td><td>a chunk's outcome was reported, or it was lost and
 *       runs again</td><td>from the chunk's read until its report; {@code runTime}: how long a
 *       worker ran it</td></tr>
 *   <tr><td>{@code dev.pool4j.WorkerStarted}</td><td>a worker thread or worker process is ready
 *       </td><td>its start-up</td></tr>
 *   <tr><td>{@code dev.pool4j.WorkerDied}</td><td>a worker process died, or a worker's initializer
 *       failed</td><td>none</td></tr>
 *   <tr><td>{@code dev.pool4j.TaskTimedOut}</td><td>a task ran past the task timeout</td><td>none
 *       </td></tr>
 * </table>
 *
 * <p><b>Cost.</b> Until the JVM's flight recorder is initialized (the first recording starts, by
 * {@code -XX:StartFlightRecording}, {@code jcmd PID JFR.start} or {@link jdk.jfr.Recording}), each
 * method is a read of {@link #AVAILABLE} (a constant) and of {@link
 * jdk.jfr.FlightRecorder#isInitialized()} (a volatile field), and no event class is loaded: loading
 * one makes the JVM instrument it at once, which sets up much of the recorder (about 100 classes of
 * {@code jdk.jfr}, generated handler classes) though nothing records: on a 2-core machine that made
 * a cold JVM's first pool take about 115 ms to build instead of 18, and its first call 16 ms longer
 * (JDK 17; 140 and 23 ms, 28 ms, on JDK 25). A recording started later, on a running program, takes
 * the events from the next call and the next chunk on. After that, with no recording running, each
 * method reads the event type's enabled flag too. With one, a {@code Call} event per call, and a
 * {@code Chunk} event per chunk (never per item), committed only for a chunk that took its
 * threshold or more (100 us by default, see {@code ChunkEvent}); a chunk that its call's chunks so
 * far expect to run under 1/8 of the lowest threshold of the running recordings is not even timed
 * ({@link ChunkThreshold}), since timing it would cost a tiny chunk a tenth of its run. No event
 * takes a stack trace: the worker threads' stacks say nothing the fields do not.
 *
 * <p><b>Without jdk.jfr.</b> The module descriptor {@code requires static jdk.jfr}: a run-time
 * image made without it (jlink) still runs the library, and every method here does nothing. Event
 * classes are loaded only when {@link #recorderUp()} is true.
 */
public final class Flight {

  /** Whether {@code jdk.jfr} is in this runtime, and readable by this module. */
  public static final boolean AVAILABLE = available();

  private Flight() {}

  private static boolean available() {
    try {
      Class<?> event = Class.forName("jdk.jfr.Event", false, Flight.class.getClassLoader());
      Module mine = Flight.class.getModule();
      if (!mine.canRead(event.getModule())) {
        // a named dev.pool4j that requires jdk.jfr statically reads it only when something else
        // had it resolved: add the edge (a module may add reads to itself)
        mine.addReads(event.getModule());
      }
      return true;
    } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether a recording may take events: {@code jdk.jfr} is here and the recorder has been
   * initialized (it stays so for the JVM's life). Nothing loads an event class before.
   */
  static boolean recorderUp() {
    return AVAILABLE && FlightRecorder.isInitialized();
  }

  // ------------------------------------------------------------------ Call

  /** At a call's start: an event begun, or null when nothing records calls. */
  public static Object callBegin() {
    if (!recorderUp()) {
      return null;
    }
    ChunkThreshold.refreshIfDue();
    return CallEvent.start();
  }

  /**
   * At a call's end: commits the event {@link #callBegin} began (nothing if null).
   *
   * @param outcome {@code completed}, {@code failed} or {@code cancelled}
   */
  public static void callEnd(
      Object event,
      long callId,
      String pool,
      String backend,
      String mode,
      Class<?> task,
      long items,
      String outcome) {
    if (event != null) {
      CallEvent.finish(event, callId, pool, backend, mode, task, items, outcome);
    }
  }

  // ------------------------------------------------------------------ Chunk

  /**
   * When a chunk is read: an event begun, or null when nothing records chunks or the chunk is
   * expected to run far below the recordings' threshold ({@link ChunkThreshold}).
   *
   * @param expectedNanos how long the chunk should run, from its call's chunks so far; -1 when not
   *     known (the call's first chunk, a rerun), which always times it
   */
  public static Object chunkBegin(long expectedNanos) {
    return recorderUp() ? ChunkEvent.start(expectedNanos) : null;
  }

  /**
   * When a chunk is reported, or lost: commits the event {@link #chunkBegin} began (nothing if
   * null).
   *
   * @param outcome {@code completed}, {@code failed}, {@code timed out}, {@code lost} (runs again),
   *     {@code returned} (never ran; runs again), {@code unsure} (one of several chunks a lost
   *     worker held; runs again alone, using no retry) or {@code dropped} (not needed any more)
   */
  public static void chunkEnd(
      Object event,
      long callId,
      long start,
      int size,
      int done,
      String worker,
      long runNanos,
      int retries,
      String outcome) {
    if (event != null) {
      ChunkEvent.finish(event, callId, start, size, done, worker, runNanos, retries, outcome);
    }
  }

  // ------------------------------------------------------------------ workers

  /** Before a worker starts: an event begun, or null when nothing records worker starts. */
  public static Object workerStartBegin() {
    return recorderUp() ? WorkerStartedEvent.start() : null;
  }

  /**
   * A worker is ready: commits the event {@link #workerStartBegin} began (nothing if null).
   *
   * @param kind {@code thread}, {@code virtual thread} or {@code process}
   * @param pid the worker process's id, or -1 for a thread
   */
  public static void workerStarted(
      Object event, String pool, String worker, String kind, long pid) {
    if (event != null) {
      WorkerStartedEvent.finish(event, pool, worker, kind, pid);
    }
  }

  /**
   * A worker died (its process ended while it had work) or could not be used (its initializer
   * failed).
   *
   * @param pid the worker process's id, or -1 for a thread
   * @param exitCode the process's exit code, or -1 when there is none
   * @param cause what happened, in words
   * @param next what the pool does next, in words
   */
  public static void workerDied(
      String pool, String worker, long pid, int exitCode, String cause, String next) {
    if (recorderUp()) {
      WorkerDiedEvent.emit(pool, worker, pid, exitCode, cause, next);
    }
  }

  /**
   * A task ran past the task timeout.
   *
   * @param action what the pool did to its worker, in words
   */
  public static void taskTimedOut(
      String pool, long callId, long index, long timeoutNanos, String worker, String action) {
    if (recorderUp()) {
      TaskTimedOutEvent.emit(pool, callId, index, timeoutNanos, worker, action);
    }
  }
}
