package dev.pool4j;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A door that tasks wait at until the test opens it: how a test holds a task "running" for as long
 * as it needs, without sleeping. A task that waits longer than {@link Testing#PATIENCE} fails with
 * an {@link AssertionError} rather than hang the suite.
 */
final class Gate {

  private final CountDownLatch open = new CountDownLatch(1);
  private final AtomicInteger interruptsIgnored = new AtomicInteger();

  /** Lets every waiting and future task through. Idempotent. */
  void open() {
    open.countDown();
  }

  boolean isOpen() {
    return open.getCount() == 0;
  }

  /** Waits until the gate is open; an interrupt ends the wait (a well-behaved task). */
  void pass() throws InterruptedException {
    if (!open.await(Testing.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the test never opened the gate");
    }
  }

  /**
   * Waits until the gate is open, ignoring interrupts (a task Java cannot stop), and restores the
   * flag afterwards; {@link #interruptsIgnored()} counts them.
   */
  void passIgnoringInterrupts() {
    boolean interrupted = false;
    long deadline = System.nanoTime() + Testing.PATIENCE.toNanos();
    while (!isOpen()) {
      try {
        if (!open.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          throw new AssertionError("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        interrupted = true;
        interruptsIgnored.incrementAndGet();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  int interruptsIgnored() {
    return interruptsIgnored.get();
  }
}
