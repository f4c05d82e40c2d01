package dev.pool4j.progress;

import dev.pool4j.internal.progress.ProgressBar;
import java.util.Iterator;

/**
 * An iterator that counts on a bar, the way tqdm counts: an item is counted once the caller asks
 * for the next one (the loop body is done with it), and the bar closes when the input ends or
 * throws.
 *
 * <p>Meant for one thread, like any iterator; the bar itself is thread-safe.
 */
final class CountingIterator<T> implements ProgressIterator<T> {

  private final Iterator<T> delegate;
  private final ProgressBar bar;

  /** An item was handed out and is not counted yet. Owned by the iterating thread. */
  private boolean pending;

  CountingIterator(Iterator<T> delegate, ProgressBar bar) {
    this.delegate = delegate;
    this.bar = bar;
  }

  @Override
  public boolean hasNext() {
    settle();
    boolean more = false;
    try {
      more = delegate.hasNext();
      return more;
    } finally {
      if (!more) {
        bar.close(); // the input ended, or threw
      }
    }
  }

  @Override
  public T next() {
    settle();
    boolean ok = false;
    try {
      T item = delegate.next();
      ok = true;
      pending = true;
      return item;
    } finally {
      if (!ok) {
        bar.close();
      }
    }
  }

  @Override
  public void close() {
    bar.close();
  }

  /** Whether its bar has ended. */
  boolean isClosed() {
    return bar.isClosed();
  }

  @Override
  public void remove() {
    delegate.remove();
  }

  private void settle() {
    if (pending) {
      pending = false;
      bar.add(1);
    }
  }
}
