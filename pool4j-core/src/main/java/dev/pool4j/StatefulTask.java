package dev.pool4j;

/**
 * A task that takes its worker's state as well as its input; turn it into a {@link Task} with
 * {@link Pool#withWorkerState(Class, StatefulTask)} for a pool built with {@link
 * Pool.Builder#workerState(WorkerStateFactory)}.
 *
 * <pre>{@code
 * Task<Image, Label> classify = Pool.withWorkerState(Model.class, (model, image) -> model.classify(image));
 * List<Label> labels = pool.map(classify, images);
 * }</pre>
 *
 * @param <S> the type of the worker state
 * @param <T> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface StatefulTask<S, T, R> extends java.io.Serializable {

  /**
   * Computes the result for one input.
   *
   * @param state the state of the worker that runs this task
   * @param input the input
   * @return the result
   * @throws Exception anything; the call fails with a {@link TaskFailedException} at this index
   */
  R apply(S state, T input) throws Exception;
}
