package dev.pool4j;

import java.io.Serializable;

/**
 * A function of two inputs, for {@link Pool#starmap}: Python's {@code pool.starmap(f, zip(as,
 * bs))}.
 *
 * <p>Like {@link Task}, it may throw checked exceptions and is {@link Serializable}.
 *
 * <pre>{@code
 * BiTask<Integer, Integer, Integer> multiply = (a, b) -> a * b;
 * pool.starmap(multiply, List.of(1, 2), List.of(10, 30));   // [10, 60]
 * }</pre>
 *
 * @param <A> the type of the first input
 * @param <B> the type of the second input
 * @param <R> the result type
 */
@FunctionalInterface
public interface BiTask<A, B, R> extends Serializable {

  /**
   * Computes the result for one pair of inputs.
   *
   * @param first the element of the first input
   * @param second the element of the second input at the same position
   * @return the result (may be {@code null})
   * @throws Exception anything; it fails the call with a {@link TaskFailedException}
   */
  R apply(A first, B second) throws Exception;
}
