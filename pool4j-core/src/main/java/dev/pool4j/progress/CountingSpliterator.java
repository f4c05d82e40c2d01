package dev.pool4j.progress;

import dev.pool4j.internal.progress.ProgressBar;
import java.util.Comparator;
import java.util.Spliterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A spliterator that counts each element on a bar after the stream's downstream stages are done
 * with it, for sequential and parallel streams alike.
 *
 * <p>Design note. A parallel stream splits its source into pieces traversed on several threads, so
 * no single piece knows when the whole stream is done. The pieces share {@code open}, the number of
 * pieces not yet exhausted: a split adds one, each piece's exhaustion takes one, and the piece that
 * takes the last closes the bar. A short-circuiting stream ({@code findFirst}, {@code limit}) may
 * leave pieces unexhausted; its bar closes when the stream is closed or becomes garbage, as
 * documented on {@link Progress#wrap(java.util.stream.Stream)}. The bar is closed too when the
 * source or a downstream stage throws.
 */
final class CountingSpliterator<T> implements Spliterator<T> {

  private final Spliterator<T> delegate;
  private final ProgressBar bar;
  private final AtomicInteger open;

  /** This piece has reported its exhaustion. Owned by the thread traversing this piece. */
  private boolean exhausted;

  CountingSpliterator(Spliterator<T> delegate, ProgressBar bar, AtomicInteger open) {
    this.delegate = delegate;
    this.bar = bar;
    this.open = open;
  }

  @Override
  public boolean tryAdvance(Consumer<? super T> action) {
    boolean ok = false;
    try {
      boolean advanced = delegate.tryAdvance(action);
      ok = true;
      if (advanced) {
        bar.add(1);
      } else {
        exhausted();
      }
      return advanced;
    } finally {
      if (!ok) {
        bar.close();
      }
    }
  }

  @Override
  public void forEachRemaining(Consumer<? super T> action) {
    boolean ok = false;
    try {
      delegate.forEachRemaining(
          item -> {
            action.accept(item);
            bar.add(1);
          });
      ok = true;
      exhausted();
    } finally {
      if (!ok) {
        bar.close();
      }
    }
  }

  private void exhausted() {
    if (!exhausted) {
      exhausted = true;
      if (open.decrementAndGet() == 0) {
        bar.close();
      }
    }
  }

  @Override
  public Spliterator<T> trySplit() {
    Spliterator<T> prefix = delegate.trySplit();
    if (prefix == null) {
      return null;
    }
    open.incrementAndGet();
    return new CountingSpliterator<>(prefix, bar, open);
  }

  @Override
  public long estimateSize() {
    return delegate.estimateSize();
  }

  @Override
  public long getExactSizeIfKnown() {
    return delegate.getExactSizeIfKnown();
  }

  @Override
  public int characteristics() {
    return delegate.characteristics();
  }

  @Override
  public Comparator<? super T> getComparator() {
    return delegate.getComparator();
  }
}
