package dev.pool4j;

/**
 * An action run once in each worker process before its first task: Python's {@code
 * Pool(initializer=...)}. Set it with {@link Pool.Builder#initializer(WorkerInitializer)}. Thread
 * and virtual-thread pools take one too (Python's {@code ThreadPool(initializer=...)}): each worker
 * thread runs it on itself before its first task, and fails the same way if it throws; for a value
 * each worker keeps and hands to its tasks, see {@link WorkerStateFactory}.
 *
 * <p>Each worker process is a JVM of its own, so its static fields are per-worker state that every
 * task run by that worker can read: load a model, open a connection or warm a cache once per
 * worker, not once per task.
 *
 * <pre>{@code
 * final class Models {
 *   static Model model;   // one per worker process
 * }
 *
 * try (Pool pool = Pool.builder()
 *     .processes()
 *     .initializer(() -> Models.model = Model.load(Path.of("model.bin")))
 *     .build()) {
 *   List<Label> labels = pool.map(image -> Models.model.classify(image), images);
 * }
 * }</pre>
 *
 * <p>Like a {@link Task} it is {@code Serializable}, so a lambda works if what it captures does. If
 * it throws, the worker is not used: the chunk that waited for it is retried on a fresh worker
 * ({@link Pool.Builder#retries(int)}) and then fails with a {@link WorkerDiedException} whose
 * causes include the initializer's exception.
 */
@FunctionalInterface
public interface WorkerInitializer extends java.io.Serializable {

  /**
   * Prepares the worker process.
   *
   * @throws Exception if the worker cannot be prepared
   */
  void initialize() throws Exception;
}
