package dev.pool4j.spi;

import dev.pool4j.internal.wire.Messages;

/**
 * Where a pool's chunks run: the seam for backends that live outside pool4j-core, such as a cluster
 * ({@code dev.pool4j.hazelcast.HazelcastBackend}). Plug one in with {@link
 * dev.pool4j.Pool.Builder#backend(PoolBackend)}.
 *
 * <pre>{@code
 * try (Pool pool = Pool.builder().backend(HazelcastBackend.embedded()).build()) {
 *   List<Integer> squares = pool.map(x -> x * x, inputs);
 * }
 * }</pre>
 *
 * <h2>What a backend does, and what it does not</h2>
 *
 * <p>A backend only moves chunks: it is handed a {@link ChunkJob} (a run of consecutive inputs of
 * one call, and the call's task), runs it somewhere, and reports the outcome through the job,
 * exactly once. Everything else stays in the pool, the same for every backend: reading the input
 * lazily, chunk sizes (adaptive or fixed), the window of outstanding chunks (backpressure), result
 * order, fail fast at the lowest failing index, retries of chunks whose worker was lost,
 * cancellation, progress bars and {@link dev.pool4j.Insights}. The built-in thread and process
 * backends sit behind the same scheduler; a plugged backend is bridged to it by one adapter, whose
 * one dispatcher thread reads chunks and calls {@link #run}, in input order.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #start(int)} is called once, by {@link dev.pool4j.Pool.Builder#build()}, before
 *       anything else; it returns the backend's capacity: how many chunks it runs at once (its
 *       workers), which becomes {@link dev.pool4j.Pool#workers()} unless the builder sets {@link
 *       dev.pool4j.Pool.Builder#workers(int)}. The window and the adaptive chunk sizes follow that
 *       number; the backend may run more or fewer chunks at once later (members join or leave).
 *   <li>{@link #run(ChunkJob)} takes one chunk. It may block until the backend has room for it
 *       (that is how a backend pushes back), and must then report it with exactly one of {@link
 *       ChunkJob#done done}, {@link ChunkJob#lost lost} or {@link ChunkJob#returned returned}, from
 *       any thread, at any later time. Reports after the first are ignored, so a backend that
 *       learns an outcome twice (a late reply from a member that was given up) cannot deliver a
 *       result twice. If {@code run} throws, the chunk fails with that exception.
 *   <li>{@link #terminate()} (from {@link dev.pool4j.Pool#terminate()}) must make every chunk the
 *       backend holds get reported soon, and {@code run} return soon; the pool has cancelled the
 *       calls, so how they are reported does not matter.
 *   <li>{@link #close()} is called once, after the last chunk was reported and no {@code run} is in
 *       progress, when the pool's workers exit ({@code close()} and the last call's end, {@code
 *       terminate()}, or a pool dropped unclosed). It releases everything the backend holds
 *       (threads, connections, ports); {@link dev.pool4j.Pool#join()} returns after it has
 *       returned.
 * </ul>
 *
 * <p>Chunks cross to another JVM as bytes: {@link ChunkJob#message()} serializes the task and
 * inputs as the worker processes do; {@link #runMessage(byte[], String)} runs such a message where
 * it arrives, and {@link ChunkJob#done(byte[], String, long)} reads back its outcome. A backend
 * that runs chunks in this JVM uses {@link ChunkJob#items()} and {@link ChunkJob#task()} instead,
 * and says so with {@link #serializes()}.
 *
 * <p><b>Not supported on a plugged backend:</b> {@link
 * dev.pool4j.Pool.Builder#taskTimeout(java.time.Duration)} and {@link
 * dev.pool4j.Pool.Builder#maxTasksPerWorker(int)}, which need to stop or replace the thread or
 * process that runs a task; {@code build()} refuses them.
 *
 * <p>A backend object serves one pool: {@link #start(int)} is called once.
 */
public interface PoolBackend {

  /**
   * Starts the backend (connects, starts members) for the pool being built.
   *
   * @param workers what {@link dev.pool4j.Pool.Builder#workers(int)} set, or 0 when it was not set:
   *     a backend that runs chunks on threads of its own sizes itself by it; a cluster reports what
   *     it has
   * @return how many chunks it can run at once now, at least 1
   * @throws RuntimeException if it cannot start; {@code build()} throws it
   */
  int start(int workers);

  /**
   * Takes one chunk to run, reporting its outcome through {@code job} exactly once, now or later,
   * from any thread. Called from the pool's dispatcher threads, never from a task.
   *
   * @param job the chunk
   * @throws InterruptedException if interrupted while waiting for room; the pool is terminating
   */
  void run(ChunkJob job) throws InterruptedException;

  /** Stops now: every chunk held is reported soon, and every {@link #run} returns soon. */
  void terminate();

  /** Releases everything; called once, after the last chunk was reported. Idempotent. */
  void close();

  /**
   * How long an adaptive chunk should take, in nanoseconds. Default: 20 ms, enough to hide a
   * network round trip of a millisecond; a backend with a cheaper hand-off may aim lower.
   *
   * @return nanoseconds, positive
   */
  default long targetChunkNanos() {
    return 20_000_000L;
  }

  /**
   * Whether chunks travel as bytes ({@link ChunkJob#message()}): tasks that cannot be serialized
   * are then refused when a call is made, with an {@link IllegalArgumentException} naming the class
   * at fault, before any work is sent. Default: true.
   *
   * @return whether tasks must be serializable
   */
  default boolean serializes() {
    return true;
  }

  /**
   * Runs a chunk message ({@link ChunkJob#message()}) where it arrived, in the calling thread, and
   * returns its outcome for {@link ChunkJob#done(byte[], String, long)}. The task runs over the
   * inputs in order and stops at the first that throws. Never throws for what the message holds: a
   * task, input or result that cannot be read or written fails the chunk at its index, and a class
   * missing from this JVM's class path is an error that names the class and {@code where}.
   *
   * <p>Classes are resolved with the thread's context class loader; the JVM-wide deserialization
   * filter ({@code jdk.serialFilter}) applies.
   *
   * <p>The calling thread reads a task once and reuses it: it keeps the last 8 tasks it read (each
   * of at most 1 MiB serialized), keyed by their exact serialized bytes and the context class
   * loader, so a later message of the same call on the same thread runs the same task object
   * without deserializing it again. A task object is never shared between threads; what a task
   * changes in its own fields is seen by the later chunks its thread runs, as on a worker process.
   * Call this only with messages whose origin the backend has checked (the cluster opens its seal
   * first).
   *
   * @param message the bytes {@link ChunkJob#message()} made
   * @param where this JVM as error messages should name it (a member's address)
   * @return the outcome bytes
   */
  static byte[] runMessage(byte[] message, String where) {
    return Messages.run(message, where);
  }
}
