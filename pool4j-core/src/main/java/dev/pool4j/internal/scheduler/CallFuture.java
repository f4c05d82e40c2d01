package dev.pool4j.internal.scheduler;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The future of a collected call ({@code mapAsync}, {@code applyAsync}). Cancelling it cancels the
 * call's remaining work. A task of the same pool that waits in {@link #get()}, {@link #get(long,
 * TimeUnit)} or {@link #join()} runs the call's chunks on its own thread meanwhile, so that calls
 * made from inside tasks never wait for a worker that may never come; its other methods are plain
 * {@link CompletableFuture}'s.
 *
 * @param <T> the value type
 */
public final class CallFuture<T> extends CompletableFuture<T> implements Call.Sink {

  /** Null: the value is the results list itself. */
  private final Function<List<Object>, T> finisher;

  /** Null: the call's failure as it is. */
  private final Function<RuntimeException, RuntimeException> failure;

  private volatile Call call;

  /**
   * A future whose value is the collected results list itself. It takes no function: each lambda a
   * call's path creates is a class spun on its first use, about a millisecond of a fresh JVM's
   * first call.
   */
  public CallFuture() {
    this(null, null);
  }

  /**
   * @param finisher turns the collected results into the future's value
   */
  public CallFuture(Function<List<Object>, T> finisher) {
    this(finisher, null);
  }

  /**
   * @param finisher turns the collected results into the future's value; null: the list itself
   * @param failure turns the call's failure into the future's exception; null: the failure itself
   */
  public CallFuture(
      Function<List<Object>, T> finisher, Function<RuntimeException, RuntimeException> failure) {
    this.finisher = finisher;
    this.failure = failure;
  }

  /** Binds the call this future stands for; set once, right after submit. */
  public void bind(Call call) {
    this.call = call;
    if (isCancelled()) {
      call.cancel(new CancellationException("the future was cancelled"));
    }
  }

  @Override
  @SuppressWarnings("unchecked") // without a finisher, T is the caller's List<R>
  public void succeeded(List<Object> results) {
    T value;
    try {
      value = finisher == null ? (T) results : finisher.apply(results);
    } catch (RuntimeException e) {
      completeExceptionally(e);
      wakeHelpers();
      return;
    }
    complete(value);
    wakeHelpers();
  }

  @Override
  public void failed(RuntimeException failure) {
    completeExceptionally(this.failure == null ? failure : this.failure.apply(failure));
    wakeHelpers();
  }

  private void wakeHelpers() {
    Call c = call;
    if (c != null) {
      c.wakeHelpers();
    }
  }

  /**
   * Waits for the call's value; a task of the same pool that waits here runs the call's chunks
   * meanwhile (see {@link Call#helpUntilDone}).
   */
  @Override
  public T get() throws InterruptedException, ExecutionException {
    Call c = call;
    if (c != null && !isDone()) {
      c.helpUntilDone(this, false, 0);
    }
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    Call c = call;
    if (c != null && !isDone()) {
      long deadline = System.nanoTime() + unit.toNanos(timeout);
      c.helpUntilDone(this, true, deadline);
      return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    return super.get(timeout, unit);
  }

  @Override
  public T join() {
    Call c = call;
    if (c != null && !isDone()) {
      boolean interrupted = false;
      for (; ; ) {
        try {
          c.helpUntilDone(this, false, 0);
          break;
        } catch (InterruptedException e) {
          // join() is not interruptible: go on helping, and keep the flag
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return super.join();
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    Call c = call;
    if (cancelled && c != null) {
      c.cancel(new CancellationException("the future was cancelled"));
    }
    return cancelled;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
