package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A call made from a thread of its own, so that the test can watch it block, interrupt it, and read
 * how it ended (its value or exception, and its interrupt flag afterwards).
 *
 * @param <V> the call's value
 */
final class Caller<V> {

  private final Thread thread;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile V value;
  private volatile Throwable thrown;
  private volatile boolean interruptedAtEnd;

  private Caller(Callable<V> call) {
    this.thread =
        new Thread(
            () -> {
              try {
                value = call.call();
              } catch (Throwable t) {
                thrown = t;
              } finally {
                interruptedAtEnd = Thread.currentThread().isInterrupted();
                ended.countDown();
              }
            },
            "test-caller");
    thread.setDaemon(true);
  }

  /** Starts {@code call} in a new thread. */
  static <V> Caller<V> start(Callable<V> call) {
    Caller<V> caller = new Caller<>(call);
    caller.thread.start();
    return caller;
  }

  /** Waits until the calling thread is parked, waiting for the pool. */
  Caller<V> awaitBlocked() {
    Testing.await()
        .until(
            () ->
                thread.getState() == Thread.State.WAITING
                    || thread.getState() == Thread.State.TIMED_WAITING);
    return this;
  }

  void interrupt() {
    thread.interrupt();
  }

  boolean hasEnded() {
    return ended.getCount() == 0;
  }

  /** Waits for the call to end, failing the test if it takes more than {@link Testing#PATIENCE}. */
  Caller<V> awaitEnd() {
    try {
      assertThat(ended.await(Testing.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
          .as("the call ended within %s", Testing.PATIENCE)
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return this;
  }

  /** The call's value once it ended; rethrows what it threw. */
  V value() {
    awaitEnd();
    if (thrown instanceof RuntimeException) {
      throw (RuntimeException) thrown;
    }
    if (thrown instanceof Error) {
      throw (Error) thrown;
    }
    if (thrown != null) {
      throw new AssertionError("the call threw", thrown);
    }
    return value;
  }

  /** What the call threw once it ended; fails the test if it returned. */
  Throwable failure() {
    awaitEnd();
    assertThat(thrown).as("the call's exception (it returned %s)", value).isNotNull();
    return thrown;
  }

  /** Whether the calling thread's interrupt flag was set when the call ended. */
  boolean interruptedAtEnd() {
    awaitEnd();
    return interruptedAtEnd;
  }
}
