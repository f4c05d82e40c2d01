package dev.pool4j.internal.scheduler;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The future of a collected call ({@code mapAsync}, {@code applyAsync}). Cancelling it cancels
 * the call's remaining work; its other methods are plain {@link CompletableFuture}'s.
 *
 * @param <T> the value type
 */
public final class CallFuture<T> extends CompletableFuture<T> implements Call.Sink {

  private final Function<List<Object>, T> finisher;
  private volatile Call call;

  /** @param finisher turns the collected results into the future's value */
  public CallFuture(Function<List<Object>, T> finisher) {
    this.finisher = finisher;
  }

  /** Binds the call this future stands for; set once, right after submit. */
  public void bind(Call call) {
    this.call = call;
    if (isCancelled()) {
      call.cancel(new CancellationException("the future was cancelled"));
    }
  }

  @Override
  public void succeeded(List<Object> results) {
    T value;
    try {
      value = finisher.apply(results);
    } catch (RuntimeException e) {
      completeExceptionally(e);
      return;
    }
    complete(value);
  }

  @Override
  public void failed(RuntimeException failure) {
    completeExceptionally(failure);
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
