package dev.pool4j.progress;

/**
 * What {@link Progress#wrap(Iterable)} returns: the wrapped items, each iteration drawing a bar,
 * and a way to end those bars when a loop is left early.
 *
 * <pre>{@code
 * try (ProgressIterable<Row> rows = Progress.wrap(table)) {
 *   for (Row row : rows) {
 *     if (row.isLast()) {
 *       break;                  // the bar stops at the row it reached,
 *     }                         // and close() draws its final line and ends it
 *     load(row);
 *   }
 * }
 * System.out.println("done");   // on a line of its own, not behind the bar
 * }</pre>
 *
 * <p>A loop that runs to the end, or whose input throws, ends its bar by itself; closing is for the
 * loop left by {@code break}, {@code return} or an exception of its body. A bar left open ends when
 * its iterator is garbage collected, or at the latest when the JVM exits (normally, by {@code
 * System.exit}, or by Ctrl-C): its final line is then drawn and ended with a newline.
 *
 * @param <T> the type of the items
 */
public interface ProgressIterable<T> extends Iterable<T>, AutoCloseable {

  /**
   * Starts an iteration, and its bar.
   *
   * @return an iterator over the items that counts on a bar of its own; closing it ends that bar
   */
  @Override
  ProgressIterator<T> iterator();

  /**
   * Ends the bar of every iteration started so far that is still running: each draws its final
   * line, as it stands, and stops. An iteration started later draws a bar of its own. Idempotent;
   * safe from any thread.
   */
  @Override
  void close();
}
