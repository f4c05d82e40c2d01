package dev.pool4j;

/**
 * Stands in for an exception thrown in a worker process whose class cannot be rebuilt in this JVM:
 * its class is not on this JVM's class path, it did not serialize, or the pool's deserialization
 * filter refused it. It carries the remote class name, message and stack trace, and its causes
 * stand in the same way.
 *
 * <pre>{@code
 * try {
 *   pool.map(task, inputs);
 * } catch (TaskFailedException e) {
 *   if (e.getCause() instanceof RemoteTaskException) {
 *     String remoteClass = ((RemoteTaskException) e.getCause()).remoteClassName();
 *   }
 * }
 * }</pre>
 *
 * <p>Its {@code toString()} reads like the original's, prefixed with this class's name; its stack
 * trace is the worker's.
 */
public class RemoteTaskException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String remoteClassName;
  private final String remoteMessage;

  /**
   * Creates a stand-in for a remote exception.
   *
   * @param remoteClassName the class name of the exception in the worker
   * @param remoteMessage its message, or null
   * @param cause the stand-in for its cause, or null
   */
  public RemoteTaskException(String remoteClassName, String remoteMessage, Throwable cause) {
    super(remoteMessage == null ? remoteClassName : remoteClassName + ": " + remoteMessage, cause);
    this.remoteClassName = remoteClassName;
    this.remoteMessage = remoteMessage;
  }

  /**
   * Returns the fully qualified class name of the exception thrown in the worker.
   *
   * @return the remote class name
   */
  public String remoteClassName() {
    return remoteClassName;
  }

  /**
   * Returns the message of the exception thrown in the worker.
   *
   * @return the remote message, or null if it had none
   */
  public String remoteMessage() {
    return remoteMessage;
  }
}
