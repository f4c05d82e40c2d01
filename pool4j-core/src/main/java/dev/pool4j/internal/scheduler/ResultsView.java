package dev.pool4j.internal.scheduler;

import dev.pool4j.Results;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The {@link Results} of a lazy call: a thin view over its {@link Call}.
 *
 * <p>The call never points back here, so when the user drops this view unconsumed, the shared
 * {@link Cleaner} cancels the call and the workers stop reading its input.
 *
 * <p>Every method that may wait keeps the view reachable until it returns ({@link
 * Reference#reachabilityFence}): once such a method is compiled, the JIT keeps no reference to
 * {@code this} after reading {@link #call}, and a collection while a thread waits inside would
 * otherwise let the cleaner cancel the call that thread is waiting for.
 */
public final class ResultsView<R> implements Results<R> {

  private final Call call;
  private final Cleaner.Cleanable cleanable;
  private boolean iterated;

  /** Wraps a lazy call. */
  public ResultsView(Call call) {
    this.call = call;
    this.cleanable = Cleaners.register(this, call.abandonAction());
  }

  Call call() {
    return call;
  }

  @Override
  public boolean hasNext() {
    try {
      return call.hasNext();
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public R next() {
    try {
      return (R) call.next(null);
    } catch (TimeoutException e) {
      throw new AssertionError("an untimed wait timed out", e);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public R next(Duration timeout) throws TimeoutException {
    Objects.requireNonNull(timeout, "timeout");
    try {
      return (R) call.next(timeout);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override
  public synchronized Iterator<R> iterator() {
    if (iterated) {
      throw new IllegalStateException(
          "a Results can be iterated once; keep the values (toList()) to go over them again");
    }
    iterated = true;
    return this;
  }

  @Override
  public Stream<R> stream() {
    Spliterator<R> spliterator = Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED);
    return StreamSupport.stream(spliterator, false).onClose(this::close);
  }

  @Override
  public List<R> toList() {
    List<R> list = new ArrayList<>();
    try {
      while (hasNext()) {
        list.add(next());
      }
    } catch (NoSuchElementException e) {
      // closed by another thread meanwhile: what was taken is the answer
    } finally {
      Reference.reachabilityFence(this);
    }
    return list;
  }

  @Override
  public dev.pool4j.Insights insights() {
    return call.insights();
  }

  @Override
  public void close() {
    call.closeByConsumer();
    cleanable.clean();
  }

  @Override
  public String toString() {
    return "Results[" + call + "]";
  }
}
