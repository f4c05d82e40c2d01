package dev.pool4j.internal.scheduler;

/** How a call hands out its results. */
public enum Mode {
  /** {@code imap}: lazily, in input order; a window slot frees when the consumer takes a chunk. */
  ORDERED,
  /** {@code imapUnordered}: lazily, in completion order. */
  UNORDERED,
  /**
   * {@code map}, {@code mapAsync}, {@code apply}: everything collected into one list; a window slot
   * frees when a chunk completes, and the first failure fails the call at once.
   */
  COLLECT
}
