package dev.pool4j.progress;

import java.util.Iterator;

/**
 * An iterator that draws a progress bar, from {@link Progress#wrap(Iterator)} or {@link
 * ProgressIterable#iterator()}; closing it ends the bar where the iteration stands.
 *
 * <pre>{@code
 * try (ProgressIterator<Record> records = Progress.wrap(cursor)) {
 *   while (records.hasNext() && !stop) {
 *     store(records.next());
 *   }
 * }
 * }</pre>
 *
 * <p>The bar also ends by itself when the input is exhausted or throws, when the iterator is
 * garbage collected, or when the JVM exits. Like any iterator it is for one thread at a time;
 * {@link #close()} may come from any thread.
 *
 * @param <T> the type of the items
 */
public interface ProgressIterator<T> extends Iterator<T>, AutoCloseable {

  /**
   * Ends the bar: draws its final line, as it stands, and ends it. As in tqdm, the item handed out
   * last is not counted: the loop left it before asking for the next one. Idempotent; iteration may
   * go on, uncounted.
   */
  @Override
  void close();
}
