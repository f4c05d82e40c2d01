package dev.pool4j;

/**
 * Thrown by a pool call when a task failed: its {@link #getCause() cause} is the task's own
 * exception and {@link #index()} the position of the input it failed on.
 *
 * <p>The cause is the very exception the task threw (same class, message and stack trace) on the
 * thread backends. For a worker process or a cluster member it is rebuilt in this JVM with the
 * remote stack trace. An exception thrown by the <em>input</em> (its iterator) also surfaces as a
 * {@code TaskFailedException}, at the position where the input failed; a task that ran past the
 * pool's {@link Pool.Builder#taskTimeout task timeout} has a {@link
 * java.util.concurrent.TimeoutException} cause.
 *
 * <pre>{@code
 * try {
 *   pool.map(x -> 10 / x, List.of(5, 0, 2));
 * } catch (TaskFailedException e) {
 *   e.index();      // 1
 *   e.getCause();   // java.lang.ArithmeticException: / by zero
 * }
 * }</pre>
 */
public class TaskFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long index;

  /**
   * Creates an exception for the task at {@code index}.
   *
   * @param index the position of the failing input, counted from 0
   * @param cause the task's exception
   */
  public TaskFailedException(long index, Throwable cause) {
    super("task failed at index " + index + ": " + cause, cause);
    this.index = index;
  }

  /**
   * Returns the position of the failing input in the call's input, counted from 0.
   *
   * @return the index of the input whose task failed
   */
  public long index() {
    return index;
  }
}
