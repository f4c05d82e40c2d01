package dev.pool4j.internal.scheduler;

/**
 * Where chunks run: platform threads, virtual threads, worker processes. The scheduler does the
 * rest (ordering, chunking, windows, failures, lifecycle); a backend makes workers and threads.
 */
public interface Backend {

  /** Makes a worker; the scheduler gives it a thread from {@link #newThread} and starts it. */
  Worker newWorker(Scheduler scheduler, int id);

  /** Makes the (unstarted) thread that runs a worker's loop. */
  Thread newThread(Runnable loop, String name);

  /** How long an adaptive chunk should take, in nanoseconds. */
  long targetChunkNanos();

  /** Called once, after the initial workers started. */
  default void started(Scheduler scheduler) {}

  /** Called once by terminate(), after every call was cancelled. */
  default void terminate(Scheduler scheduler) {}

  /** Called once, under the scheduler's lock, when the pool reaches TERMINATED. Must not block. */
  default void terminated(Scheduler scheduler) {}
}
