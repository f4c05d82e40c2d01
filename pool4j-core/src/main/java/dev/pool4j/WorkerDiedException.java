package dev.pool4j;

/**
 * The cause of a {@link TaskFailedException} when the worker process running the task died (killed,
 * {@code System.exit}, out of memory, a crash in native code) on its first run and on every retry
 * ({@link Pool.Builder#retries(int)}). The message says which worker, its exit code, and the last
 * lines it wrote to stderr.
 *
 * <pre>{@code
 * try {
 *   pool.map(task, inputs);
 * } catch (TaskFailedException e) {
 *   if (e.getCause() instanceof WorkerDiedException) {
 *     int code = ((WorkerDiedException) e.getCause()).exitCode();   // 137: killed (signal 9)
 *   }
 * }
 * }</pre>
 */
public class WorkerDiedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * Creates the exception.
   *
   * @param message what died, how, and its last words
   * @param exitCode the worker process's exit code, or -1 if unknown
   */
  public WorkerDiedException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * Returns the exit code of the worker process: on Linux and macOS, 128 + n when killed by signal
   * n (137 for {@code kill -9}); 3 for an out-of-memory exit; -1 if unknown.
   *
   * @return the exit code
   */
  public int exitCode() {
    return exitCode;
  }
}
