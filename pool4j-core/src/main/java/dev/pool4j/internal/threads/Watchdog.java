package dev.pool4j.internal.threads;

import dev.pool4j.internal.observe.Flight;
import dev.pool4j.internal.observe.Logs;
import dev.pool4j.internal.scheduler.Outcome;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.Worker;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces the task timeout of one pool on the thread backends.
 *
 * <p>One daemon thread sleeps until the earliest deadline of the items running now, or one timeout
 * from now (an item that starts later has a later deadline), so it wakes once per timeout at worst.
 * An overdue item is claimed from its worker by CAS (which settles whether the item or the worker's
 * next step came first; see {@link ThreadWorker}); the watchdog then takes the worker out of the
 * pool (a replacement starts at once), interrupts its thread, tells the worker the interrupt is
 * sent (the worker waits for that before it leaves, so that the interrupt never reaches another
 * task), and reports the chunk through its one-shot {@link
 * dev.pool4j.internal.scheduler.Chunk#report}: the results before the item stand, the item fails
 * with a {@link TimeoutException}. A task that ignores the interrupt keeps its thread until it
 * returns; Java cannot kill a thread, which is what worker processes are for.
 */
final class Watchdog implements Runnable {

  private final Scheduler scheduler;
  private final long timeoutNanos;
  private final Thread thread;
  private volatile boolean stopped;

  Watchdog(Scheduler scheduler, long timeoutNanos) {
    this.scheduler = scheduler;
    this.timeoutNanos = timeoutNanos;
    this.thread = new Thread(this, scheduler.name() + "-watchdog");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
  }

  @Override
  public void run() {
    while (!stopped) {
      long now = System.nanoTime();
      long wake = now + timeoutNanos;
      for (Worker w : scheduler.workers()) {
        ThreadWorker worker = (ThreadWorker) w;
        ThreadWorker.Running item = worker.running();
        if (item == null) {
          continue;
        }
        if (now - item.deadline >= 0) {
          expire(worker, item, now);
        } else if (item.deadline - wake < 0) {
          wake = item.deadline;
        }
      }
      LockSupport.parkNanos(this, Math.max(wake - System.nanoTime(), 100_000));
    }
  }

  private void expire(ThreadWorker worker, ThreadWorker.Running item, long now) {
    if (!worker.claim(item)) {
      return; // finished just in time
    }
    try {
      scheduler.abandon(worker);
      worker.thread().interrupt();
    } finally {
      // the worker, which lost the claim, waits for this before it clears its interrupt flag
      // and leaves: the interrupt cannot reach a task it would run next
      item.markInterruptSent();
    }
    long index = item.chunk.start() + item.offset;
    TimeoutException timeout =
        new TimeoutException(
            "the task at index "
                + index
                + " ran longer than the task timeout of "
                + Duration.ofNanos(timeoutNanos)
                + "; its thread was interrupted");
    String action =
        "its thread "
            + worker.thread().getName()
            + " was interrupted and left the pool; a fresh worker replaces "
            + worker;
    Flight.taskTimedOut(
        scheduler.name(), item.chunk.call().id(), index, timeoutNanos, worker.toString(), action);
    Logs.POOL.log(
        Level.WARNING,
        () ->
            scheduler.name()
                + ": the task at index "
                + index
                + " of call #"
                + item.chunk.call().id()
                + " ran past the task timeout of "
                + Duration.ofNanos(timeoutNanos)
                + " on "
                + worker
                + ": it fails with a TimeoutException; "
                + action);
    item.chunk.report(
        Outcome.done(
            item.results,
            item.offset,
            timeout,
            now - item.startNanos,
            worker.ran(),
            now - item.startNanos));
  }
}
