package dev.pool4j;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The results of a lazy pool call ({@link Pool#imap imap}, {@link Pool#imapUnordered
 * imapUnordered}), handed out while the work goes on.
 *
 * <p>For {@code imap}, result <i>k</i> is available as soon as results 0..<i>k</i> are done; for
 * {@code imapUnordered}, each result as soon as it is done. The call reads its input lazily and
 * keeps a bounded window of chunks outstanding ({@link Pool.Builder#maxInFlight}), counted until
 * their results are taken from here: a consumer that stops taking results stops the work too, and
 * an infinite input never fills memory.
 *
 * <p><b>Failure.</b> When a task fails, {@code imap} first yields every earlier result, then {@link
 * #next()} throws a {@link TaskFailedException} at the failing position; {@code imapUnordered}
 * throws it as soon as it is seen. After that, {@link #hasNext()} is {@code false}. Once the call
 * is cancelled ({@link #close()}, {@link Pool#terminate()}), {@code next()} throws {@link
 * CancellationException}.
 *
 * <p><b>Threads.</b> A {@code Results} is meant for one consuming thread at a time, like any
 * iterator; it is safe to call {@link #close()} from another thread. Actions of a task
 * happen-before its result is returned here.
 *
 * <p><b>Lifetime.</b> Closing it cancels the work not done yet; so does dropping it: a {@code
 * Results} that becomes unreachable before it is consumed has its call cancelled. The model, after
 * {@link java.util.concurrent.ExecutorCompletionService}'s:
 *
 * <pre>{@code
 * try (Results<Page> pages = pool.imapUnordered(this::fetch, urls)) {
 *   for (Page page : pages) {
 *     if (page.hasAnswer()) {
 *       return page;          // close() cancels the fetches still queued
 *     }
 *   }
 * }
 * }</pre>
 *
 * @param <R> the result type
 */
public interface Results<R> extends Iterator<R>, Iterable<R>, AutoCloseable {

  /**
   * Returns whether another result (or the failure at the next position) is to come, waiting until
   * that is known.
   *
   * @return {@code true} if {@link #next()} will return a result or throw the call's {@link
   *     TaskFailedException}
   * @throws CancellationException if the call was cancelled, or the waiting thread was interrupted
   *     (the call is then cancelled and the interrupt flag kept)
   */
  @Override
  boolean hasNext();

  /**
   * Returns the next result, waiting for it as long as it takes.
   *
   * @return the next result
   * @throws TaskFailedException if the task at the next position failed
   * @throws NoSuchElementException if every result has been returned
   * @throws CancellationException if the call was cancelled, or the waiting thread was interrupted
   *     (the call is then cancelled and the interrupt flag kept)
   */
  @Override
  R next();

  /**
   * Returns the next result, waiting at most {@code timeout} for it. Python's {@code
   * it.next(timeout)}. A timeout leaves the call running: the result can be taken later.
   *
   * @param timeout how long to wait at most; zero or negative: do not wait
   * @return the next result
   * @throws TimeoutException if the next result is not ready within {@code timeout}
   * @throws TaskFailedException if the task at the next position failed
   * @throws NoSuchElementException if every result has been returned
   * @throws CancellationException if the call was cancelled or the thread interrupted
   */
  R next(Duration timeout) throws TimeoutException;

  /**
   * Returns this, for a for-each loop. A {@code Results} can be iterated once.
   *
   * @return this
   */
  @Override
  Iterator<R> iterator();

  /**
   * Returns the remaining results as a sequential, ordered, lazy stream. Closing the stream closes
   * this {@code Results}.
   *
   * @return a stream over the results not taken yet
   */
  Stream<R> stream();

  /**
   * Waits for every remaining result and returns them in a list, in the order this {@code Results}
   * hands them out.
   *
   * @return the results not taken yet
   * @throws TaskFailedException if a task failed
   * @throws CancellationException if the call was cancelled or the thread interrupted
   */
  List<R> toList();

  /**
   * Returns where this call's time went so far, per worker: busy and idle time, tasks, mean and max
   * task time, and the call's efficiency. Cheap; may be called while the call runs.
   *
   * <pre>{@code
   * Results<Integer> results = pool.imap(this::work, inputs);
   * results.toList();
   * System.err.println(results.insights());
   * }</pre>
   *
   * @return a snapshot of the call's insights
   */
  Insights insights();

  /**
   * Cancels the work not done yet; results already taken stay valid. Idempotent; after it, {@link
   * #hasNext()} is {@code false}.
   */
  @Override
  void close();
}
