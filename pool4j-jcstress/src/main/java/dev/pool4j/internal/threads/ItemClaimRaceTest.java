package dev.pool4j.internal.threads;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The race of a task timeout on the thread backends: the {@link ThreadWorker} finishes its item
 * ({@link ItemClaim#finish}) as the {@link Watchdog}, which found it overdue ({@link
 * ItemClaim#current}), claims it ({@link ItemClaim#claim}). Exactly one wins; a watchdog that won
 * interrupts the thread (here: a plain write) and then marks the interrupt sent, and the worker
 * that lost waits for that mark ({@link ThreadWorker.Running#awaitInterruptSent}) before it leaves,
 * so it must see the interrupt: it can never land in a task the worker runs next.
 *
 * <p>Results: r1 the worker finished first (1) or lost (0); r2 the watchdog claimed (1) or not (0);
 * r3 the interrupt the losing worker saw before leaving (1), 0 when it saw none or finished; r4 the
 * item is still announced after both (1) or cleared (0).
 */
@JCStressTest
@Description("Worker's finish against the watchdog's claim of one item: exactly one wins")
@Outcome(id = "1, 0, 0, 0", expect = ACCEPTABLE, desc = "the worker finished first; no timeout")
@Outcome(
    id = "0, 1, 1, 0",
    expect = ACCEPTABLE,
    desc = "the watchdog timed the item out; the worker left after the interrupt")
@Outcome(
    id = "0, 1, 0, 0",
    expect = FORBIDDEN,
    desc = "the worker left before the interrupt: it could hit its next task")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both won: the chunk reported by both")
@Outcome(expect = FORBIDDEN, desc = "neither won, or the item was left announced")
@State
public class ItemClaimRaceTest {

  private final ItemClaim slot = new ItemClaim();
  private final ThreadWorker.Running item = new ThreadWorker.Running(null, null, null, 0, 0, 1);

  /** Stands for the interrupt of the worker's thread: written by the watchdog, plainly. */
  private int interrupted;

  public ItemClaimRaceTest() {
    slot.announce(item);
  }

  /** {@link ThreadWorker}'s run loop after the task returned. */
  @Actor
  public void worker(IIII_Result r) {
    if (slot.finish(item)) {
      r.r1 = 1;
    } else {
      item.awaitInterruptSent();
      r.r3 = interrupted;
    }
  }

  /** {@link Watchdog#run} and its expire: look, claim, interrupt, mark it sent. */
  @Actor
  public void watchdog(IIII_Result r) {
    ThreadWorker.Running seen = slot.current();
    if (seen != null && slot.claim(seen)) {
      interrupted = 1;
      seen.markInterruptSent();
      r.r2 = 1;
    }
  }

  @Arbiter
  public void after(IIII_Result r) {
    r.r4 = slot.current() == null ? 0 : 1;
  }
}
