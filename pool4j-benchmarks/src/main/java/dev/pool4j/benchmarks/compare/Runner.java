package dev.pool4j.benchmarks.compare;

import dev.pool4j.Task;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * One Java contender as a child JVM drives it: {@code map} over a list, {@code imap} over an
 * iterator, and the natural lazy form of each for the memory workload. Every result is handed on as
 * a {@code long} so that the caller can build the checksum the harness checks.
 */
abstract class Runner implements AutoCloseable {

  /** Maps {@code task} over {@code inputs} and returns the results, in input order. */
  abstract <T> List<? extends Number> map(Task<T, ? extends Number> task, List<T> inputs)
      throws Exception;

  /**
   * Streams the results of {@code task} over {@code inputs} to {@code sink}, in input order, as
   * this contender's natural form does.
   *
   * @param chunksize a fixed chunk size, or 0 for the contender's default
   */
  abstract <T> void imap(
      Task<T, ? extends Number> task, List<T> inputs, int chunksize, LongConsumer sink)
      throws Exception;

  /**
   * The memory workload: {@code x * x} over {@code 0..n-1} generated lazily, each result handed to
   * {@code sink} (which may be called from several threads at once) and discarded.
   */
  abstract void lazySquares(Iterator<Integer> inputs, long n, LongConsumer sink) throws Exception;

  @Override
  public void close() throws Exception {}

  /** Calls {@code task}, turning a checked exception into an unchecked one. */
  static <T, R> R call(Task<T, R> task, T input) {
    try {
      return task.apply(input);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
