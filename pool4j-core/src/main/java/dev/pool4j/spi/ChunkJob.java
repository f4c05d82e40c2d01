package dev.pool4j.spi;

import dev.pool4j.Task;

/**
 * One chunk handed to a {@link PoolBackend}: consecutive inputs of one call and the call's task,
 * and the one-shot report of their outcome. Implemented by the pool; a backend reads it and calls
 * exactly one of {@link #done(Object[], int, Throwable, String, long) done}, {@link #lost lost} or
 * {@link #returned()}. The first report counts; later ones are ignored and return false.
 *
 * <p>Thread safety: every method may be called from any thread. Actions of the backend before a
 * report happen-before the results are handed to the caller.
 */
public interface ChunkJob {

  /**
   * Returns the position of the first input in the call's input.
   *
   * @return the index
   */
  long start();

  /**
   * Returns how many inputs the backend is to run: the chunk's, less those a failure or a
   * cancellation already cut off when it was handed over ({@link #limit()}).
   *
   * @return the size, at least 1
   */
  int size();

  /**
   * Returns the index from which the call no longer needs results (a failure or a cancellation cut
   * it), or {@link Long#MAX_VALUE}. It only goes down. A backend that runs the inputs one by one in
   * this JVM may stop at it and report the results before it as {@code valid}; one that sends the
   * chunk away runs it whole, which costs only wasted work.
   *
   * @return the limit
   */
  long limit();

  /**
   * Returns how many times this chunk was lost before (its worker died) and handed out again.
   *
   * @return 0 the first time
   */
  int retries();

  /**
   * Returns the call's task, for a backend that runs chunks in this JVM.
   *
   * @return the task
   */
  Task<Object, Object> task();

  /**
   * Returns the inputs, for a backend that runs chunks in this JVM. Do not modify the array.
   *
   * @return the inputs, {@link #size()} of them
   */
  Object[] items();

  /**
   * Returns how many chunks one worker of the backend should hold at once, the running one
   * included, for a backend that sends chunks ahead of their results: {@code 8} while this pool's
   * chunks take under 2 ms where they run (the round trip between two chunks would leave a worker
   * idle most of the time), else {@code 2}, so that long chunks do not wait behind each other while
   * another worker idles. The pool judges by the times reported with {@link #done(byte[], String,
   * long) done} (a running mean); the backend only sends within it.
   *
   * @return the depth, at least 1
   */
  int queueDepth();

  /**
   * Returns the chunk serialized for another JVM: the task (serialized once per call) and the
   * inputs, in the format of the worker processes; run it there with {@link
   * PoolBackend#runMessage(byte[], String)}. Made on the first call, in the calling thread; an
   * input that cannot be serialized ends the message before it, and the chunk then fails at that
   * input's index once the inputs before it are done.
   *
   * @return the bytes to send
   * @throws IllegalStateException if the pool's backend does not {@linkplain
   *     PoolBackend#serializes() serialize}
   */
  byte[] message();

  /**
   * Reports the chunk run: {@code results[0..valid)} are the results of its first inputs; {@code
   * failure}, when not null, is the exception of input {@code valid}.
   *
   * @param results the results, at least {@code valid} of them
   * @param valid how many leading results are valid
   * @param failure the exception of input {@code valid}, or null
   * @param worker where it ran, as the {@linkplain dev.pool4j.Insights insights} should name it
   * @param nanos how long it took there, for the adaptive chunk size, the insights and the {@link
   *     #queueDepth()}
   * @return whether this was the first report
   */
  boolean done(Object[] results, int valid, Throwable failure, String worker, long nanos);

  /**
   * Reports the chunk run elsewhere: {@code outcome} is what {@link PoolBackend#runMessage(byte[],
   * String)} returned for {@link #message()}. Results and exceptions are rebuilt here with the
   * class loader of the call's task; an exception whose class cannot be rebuilt comes back as a
   * {@link dev.pool4j.RemoteTaskException}.
   *
   * @param outcome the outcome bytes
   * @param worker where it ran, as the {@linkplain dev.pool4j.Insights insights} should name it
   * @param nanos how long it took, for the adaptive chunk size, the insights and the {@link
   *     #queueDepth()}
   * @return whether this was the first report
   */
  boolean done(byte[] outcome, String worker, long nanos);

  /**
   * Reports that the worker running the chunk was lost (a member left or died) before its outcome
   * was known. The pool runs the chunk again, from its first input, up to {@link
   * dev.pool4j.Pool.Builder#retries(int)} times; after that the call fails at the chunk's first
   * index with a {@link dev.pool4j.WorkerDiedException} whose cause is {@code cause}.
   *
   * @param cause why the worker was lost
   * @param worker which worker, for the messages
   * @return whether this was the first report
   */
  boolean lost(Throwable cause, String worker);

  /**
   * Hands the chunk back unrun (it never started: the backend was stopping, or gave it up before
   * sending it); it runs again before new input is read, and costs none of its retries.
   *
   * @return whether this was the first report
   */
  boolean returned();
}
