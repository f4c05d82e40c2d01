package dev.pool4j;

import java.io.Serializable;

/**
 * A function of one input that a {@link Pool} runs in parallel: the {@code f} of Python's {@code
 * pool.map(f, xs)}.
 *
 * <p>Unlike {@link java.util.function.Function}, a task may throw any exception, checked ones
 * included, so {@code x -> { Thread.sleep(x); return x; }} needs no wrapper. A task that throws
 * fails its call with a {@link TaskFailedException} whose cause is the task's own exception.
 *
 * <p>A task is {@link Serializable} so that a lambda can travel to a worker process or a cluster
 * member unchanged; on the thread backends it is never serialized, and it may capture anything.
 *
 * <pre>{@code
 * Task<Integer, Integer> square = x -> x * x;
 * List<Integer> squares = pool.map(square, List.of(1, 2, 3));   // [1, 4, 9]
 * }</pre>
 *
 * @param <T> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task<T, R> extends Serializable {

  /**
   * Computes the result for one input.
   *
   * @param input one element of the call's input
   * @return the result (may be {@code null})
   * @throws Exception anything; it fails the call with a {@link TaskFailedException}
   */
  R apply(T input) throws Exception;
}
