package dev.pool4j;

/**
 * Makes the per-worker state of a pool: a value made once by each worker, the first time that
 * worker runs a task of the pool, and then handed to every task it runs (mpire's {@code
 * worker_state}). Set it with {@link Pool.Builder#workerState(WorkerStateFactory)}; a task reads it
 * with {@link Pool#workerState(Class)}, or takes it as an argument through {@link
 * Pool#withWorkerState(Class, StatefulTask)}.
 *
 * <pre>{@code
 * try (Pool pool = Pool.builder().processes().workerState(() -> Model.load(path)).build()) {
 *   List<Label> labels = pool.map(image -> Pool.workerState(Model.class).classify(image), images);
 * }
 * }</pre>
 *
 * <p>Like a {@link Task} it is {@code Serializable}, so that worker processes and cluster members
 * can make their own state: a lambda works if what it captures does. See {@link
 * Pool.Builder#workerState(WorkerStateFactory)} for what a worker is on each backend and what
 * happens when the factory throws.
 *
 * @param <S> the type of the state
 */
@FunctionalInterface
public interface WorkerStateFactory<S> extends java.io.Serializable {

  /**
   * Makes one worker's state; called on the worker's thread, before the first task of the pool that
   * worker runs.
   *
   * @return the state, not null
   * @throws Exception if the state cannot be made; the task that needed it fails
   */
  S create() throws Exception;
}
