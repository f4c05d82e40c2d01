package dev.pool4j.internal.scheduler;

import dev.pool4j.Task;

/**
 * Where chunks run: platform threads, virtual threads, worker processes. The scheduler does the
 * rest (ordering, chunking, windows, failures, lifecycle); a backend makes workers and threads.
 */
public interface Backend {

  /** Makes a worker; the scheduler gives it a thread from {@link #newThread} and starts it. */
  Worker newWorker(Scheduler scheduler, int id);

  /**
   * Makes the (unstarted) thread that runs a worker's loop: by default a daemon platform thread, so
   * that a pool nobody closed never keeps the JVM alive.
   */
  default Thread newThread(Runnable loop, String name) {
    Thread thread = new Thread(loop, name);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Prepares a call's task before the call starts, in the caller's thread; the result is kept by
   * the call ({@link Call#prepared()}). A backend that cannot run the task throws here, so that the
   * call fails before any work is sent. The thread backends need nothing.
   */
  default Object prepare(Task<?, ?> task) {
    return null;
  }

  /**
   * How many workers (threads running the worker loop) the scheduler starts for {@code
   * config.workers()}: as many, for backends whose workers run tasks; fewer for one whose workers
   * only hand chunks on, and whose parallelism is elsewhere (a plugged backend).
   */
  default int workerThreads(SchedulerConfig config) {
    return config.workers();
  }

  /**
   * Whether the backend queues chunks ahead of its workers: {@link Worker#execute} may return
   * before the chunk's report, which then comes from another thread, and the depth of the queue
   * follows how long chunks take. Only then does the worker loop count the chunks it handed over
   * until their reports (it waits for them before the worker exits), and {@link Chunk#report}
   * record chunk times ({@link Call#chunkTime()}, {@link Scheduler#chunkTime()}). A backend that
   * runs each chunk on the worker's own thread, and reports it there (or has its watchdog report
   * it), needs neither, and each would cost every report an atomic write: the shared means one that
   * the workers' cores pass between them.
   */
  default boolean queuesChunks() {
    return false;
  }

  /** How long an adaptive chunk should take, in nanoseconds. */
  long targetChunkNanos();

  /** Called once, after the initial workers started. */
  default void started(Scheduler scheduler) {}

  /** Called once by terminate(), after every call was cancelled. */
  default void terminate(Scheduler scheduler) {}

  /** Called once, under the scheduler's lock, when the pool reaches TERMINATED. Must not block. */
  default void terminated(Scheduler scheduler) {}
}
