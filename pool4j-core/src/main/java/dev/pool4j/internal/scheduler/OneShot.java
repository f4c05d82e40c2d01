package dev.pool4j.internal.scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A one-shot claim: the first {@link #claim()} returns true, every later one, from any thread,
 * false. The exactly-once of {@link Chunk#report} is this claim (a {@code Chunk} is a {@code
 * OneShot}, so the flag costs no object of its own); it stands alone so that the race can be tested
 * by itself (module pool4j-jcstress, {@code OneShotClaimTest}).
 */
class OneShot {

  private static final VarHandle TAKEN;

  static {
    try {
      TAKEN = MethodHandles.lookup().findVarHandle(OneShot.class, "taken", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Won by the first claim; through {@link #TAKEN}. */
  @SuppressWarnings("unused")
  private volatile boolean taken;

  OneShot() {}

  /** True for the first call only, whichever thread makes it; false for every later one. */
  final boolean claim() {
    return TAKEN.compareAndSet(this, false, true);
  }

  /** Whether {@link #claim()} has returned true. */
  final boolean isTaken() {
    return taken;
  }
}
