package dev.pool4j.internal.threads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The item a {@link ThreadWorker} runs under a deadline, and the race that settles it: the worker
 * {@link #announce}s the item, runs it, then {@link #finish}es it by compare-and-set; the {@link
 * Watchdog} {@link #claim}s an overdue item by the same compare-and-set. Exactly one of the two
 * wins: a finished item cannot be timed out, and a claimed one is the watchdog's to report (the
 * worker then stops). It stands alone so that the race can be tested by itself (module
 * pool4j-jcstress, {@code ItemClaimRaceTest}); the hand-over after a claim is {@link
 * ThreadWorker.Running#markInterruptSent()} and {@link ThreadWorker.Running#awaitInterruptSent()}.
 */
final class ItemClaim {

  private static final VarHandle RUNNING;

  static {
    try {
      RUNNING =
          MethodHandles.lookup()
              .findVarHandle(ItemClaim.class, "running", ThreadWorker.Running.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The item being run, or null; through {@link #RUNNING}. */
  @SuppressWarnings("unused")
  private volatile ThreadWorker.Running running;

  /** The worker starts an item. */
  void announce(ThreadWorker.Running item) {
    RUNNING.setVolatile(this, item);
  }

  /** The item being run, or null: what the watchdog looks at. */
  ThreadWorker.Running current() {
    return (ThreadWorker.Running) RUNNING.getVolatile(this);
  }

  /**
   * The worker ends the item: true if it finished first; false if the watchdog claimed it (the
   * worker then waits for {@link ThreadWorker.Running#awaitInterruptSent()} and stops).
   */
  boolean finish(ThreadWorker.Running item) {
    return RUNNING.compareAndSet(this, item, null);
  }

  /**
   * The watchdog's claim on an overdue item: true if the worker had not finished it (the watchdog
   * then reports it, and must call {@link ThreadWorker.Running#markInterruptSent()}).
   */
  boolean claim(ThreadWorker.Running item) {
    return RUNNING.compareAndSet(this, item, null);
  }
}
