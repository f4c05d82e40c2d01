package dev.pool4j.internal.threads;

import dev.pool4j.WorkerInitializer;
import dev.pool4j.internal.scheduler.Backend;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.Worker;
import java.time.Duration;

/**
 * Runs chunks on the worker's own thread: platform threads (daemon, like Python's pool workers) or
 * virtual threads. With a task timeout, a {@link Watchdog} watches the running tasks.
 */
public final class ThreadBackend implements Backend {

  /** Chunks of about half a millisecond: dispatch costs about a microsecond per chunk. */
  static final long TARGET_CHUNK_NANOS = 500_000;

  private final boolean virtual;
  private final long timeoutNanos;
  private final WorkerInitializer initializer;
  private volatile Watchdog watchdog;

  /**
   * @param virtual virtual threads instead of platform threads
   * @param taskTimeout the longest a task may run, or null
   */
  public ThreadBackend(boolean virtual, Duration taskTimeout) {
    this(virtual, taskTimeout, null);
  }

  /**
   * @param virtual virtual threads instead of platform threads
   * @param taskTimeout the longest a task may run, or null
   * @param initializer run once on each worker thread before its first chunk, or null
   */
  public ThreadBackend(boolean virtual, Duration taskTimeout, WorkerInitializer initializer) {
    if (virtual && !VirtualThreads.available()) {
      throw new UnsupportedOperationException(
          "virtualThreads() needs Java 21 or later; this JVM is Java "
              + Runtime.version().feature()
              + ": run on a newer JVM, or use threads()");
    }
    this.virtual = virtual;
    this.timeoutNanos = taskTimeout == null ? 0 : taskTimeout.toNanos();
    this.initializer = initializer;
  }

  @Override
  public Worker newWorker(Scheduler scheduler, int id) {
    return new ThreadWorker(scheduler, id, timeoutNanos, initializer, virtual);
  }

  @Override
  public Thread newThread(Runnable loop, String name) {
    return virtual ? VirtualThreads.newThread(loop, name) : Backend.super.newThread(loop, name);
  }

  @Override
  public long targetChunkNanos() {
    return TARGET_CHUNK_NANOS;
  }

  @Override
  public void started(Scheduler scheduler) {
    if (timeoutNanos > 0) {
      Watchdog w = new Watchdog(scheduler, timeoutNanos);
      watchdog = w;
      w.start();
    }
  }

  @Override
  public void terminated(Scheduler scheduler) {
    Watchdog w = watchdog;
    if (w != null) {
      w.stop();
    }
  }

  @Override
  public String toString() {
    return virtual ? "virtual threads" : "platform threads";
  }
}
