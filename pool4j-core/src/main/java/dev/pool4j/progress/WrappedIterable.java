package dev.pool4j.progress;

import dev.pool4j.internal.progress.ProgressBar;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The iterable {@link Progress#wrap(Iterable)} returns: each {@link #iterator()} starts a bar, and
 * {@link #close()} ends those still running.
 *
 * <p>It remembers the bars of its iterations, not the iterators, so that an iterator dropped
 * mid-loop can still be garbage collected (and its bar closed then); bars that have ended are
 * forgotten at the next iteration's start, so a wrapped iterable looped over many times holds only
 * its running bars.
 */
final class WrappedIterable<T> implements ProgressIterable<T> {

  private final Iterable<T> items;
  private final Supplier<ProgressBar> start;

  /** The bars of iterations started so far and maybe running. Only under {@code this}. */
  private final List<ProgressBar> bars = new ArrayList<>();

  WrappedIterable(Iterable<T> items, Supplier<ProgressBar> start) {
    this.items = items;
    this.start = start;
  }

  @Override
  public ProgressIterator<T> iterator() {
    Iterator<T> iterator = items.iterator();
    ProgressBar bar = start.get();
    synchronized (this) {
      bars.removeIf(ProgressBar::isClosed);
      bars.add(bar);
    }
    CountingIterator<T> counted = new CountingIterator<>(iterator, bar);
    bar.closeWhenUnreachable(counted);
    return counted;
  }

  @Override
  public void close() {
    List<ProgressBar> running;
    synchronized (this) {
      running = new ArrayList<>(bars);
      bars.clear();
    }
    for (ProgressBar bar : running) {
      bar.close();
    }
  }
}
