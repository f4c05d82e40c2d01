package dev.pool4j.internal.scheduler;

import java.lang.ref.Cleaner;

/**
 * The library's one {@link Cleaner}: a daemon thread that closes pools and cancels calls whose
 * owners were dropped. Its actions never block.
 */
public final class Cleaners {

  private static final Cleaner CLEANER = Cleaner.create();

  private Cleaners() {}

  /** Runs {@code action} once {@code owner} is unreachable, or when the result is cleaned. */
  public static Cleaner.Cleanable register(Object owner, Runnable action) {
    return CLEANER.register(owner, action);
  }
}
