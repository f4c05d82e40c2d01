package dev.pool4j.internal.plugged;

import dev.pool4j.Task;
import dev.pool4j.internal.scheduler.Backend;
import dev.pool4j.internal.scheduler.Call;
import dev.pool4j.internal.scheduler.Chunk;
import dev.pool4j.internal.scheduler.Outcome;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.SchedulerConfig;
import dev.pool4j.internal.scheduler.Worker;
import dev.pool4j.internal.wire.Messages;
import dev.pool4j.spi.PoolBackend;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bridges a public {@link PoolBackend} to the scheduler: the scheduler's workers become
 * <i>dispatchers</i> ({@link PluggedWorker}) that read chunks and hand them to the backend, and the
 * backend's reports (a {@link dev.pool4j.spi.ChunkJob}, made by {@link PluggedWorker}) become
 * {@link Outcome}s reported through the run's one-shot {@link Chunk#report}.
 *
 * <h2>Design</h2>
 *
 * <p><b>Dispatchers, not workers.</b> The backend's parallelism is elsewhere (cluster members), and
 * it reports asynchronously, so a dispatcher hands a chunk over and reads the next one at once;
 * {@link PoolBackend#run} blocking for room is what paces it. There is one dispatcher, so chunks
 * are handed over in input order: with two, one could hand a later chunk over while the other waits
 * for room with an earlier one, and the later chunk would run first (work that a failure of the
 * earlier one makes useless, and results an ordered consumer cannot take yet). The pool's {@code
 * workers} (the backend's capacity) still size the window and the adaptive chunks.
 *
 * <p><b>Insights.</b> A chunk's figures go to the place the backend names ({@code
 * [127.0.0.1]:5701}); each name gets a stable id of its own. The dispatchers run no task and are
 * left out.
 *
 * <p><b>Closing.</b> The backend is closed by the last dispatcher to stop, after every chunk it
 * handed over was reported, so {@code join()} returns only once the backend released everything.
 */
public final class PluggedBackend implements Backend {

  /** How many dispatchers; see the class notes. */
  static final int DISPATCHERS = 1;

  final PoolBackend backend;
  private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger();
  private final AtomicInteger liveDispatchers = new AtomicInteger();
  private final long createdNanos = System.nanoTime();
  private final ConcurrentHashMap<String, Long> firstSeen = new ConcurrentHashMap<>();

  /**
   * Wraps a started backend.
   *
   * @param backend the backend, already {@linkplain PoolBackend#start(int) started}
   */
  public PluggedBackend(PoolBackend backend) {
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  @Override
  public Worker newWorker(Scheduler scheduler, int id) {
    liveDispatchers.incrementAndGet();
    return new PluggedWorker(scheduler, id, this);
  }

  @Override
  public Thread newThread(Runnable loop, String name) {
    return Backend.super.newThread(loop, name.replace("-worker-", "-dispatcher-"));
  }

  @Override
  public int workerThreads(SchedulerConfig config) {
    return Math.min(DISPATCHERS, config.workers());
  }

  /** Chunks wait in a queue ahead of the workers, as deep as chunk times say. */
  @Override
  public boolean queuesChunks() {
    return true;
  }

  @Override
  public long targetChunkNanos() {
    return backend.targetChunkNanos();
  }

  /** Serializes the task once per call when the backend sends bytes; refuses one that cannot be. */
  @Override
  public Object prepare(Task<?, ?> task) {
    if (!backend.serializes()) {
      return null;
    }
    ClassLoader loader = task.getClass().getClassLoader();
    return new Prepared(
        Messages.encodeTask(task),
        loader != null ? loader : Thread.currentThread().getContextClassLoader());
  }

  @Override
  public void terminate(Scheduler scheduler) {
    backend.terminate();
  }

  /**
   * The call's task as {@link #prepare} serialized it.
   *
   * @throws IllegalStateException if the backend does not serialize chunks
   */
  Prepared prepared(Call call) {
    Object prepared = call.prepared();
    if (!(prepared instanceof Prepared)) {
      throw new IllegalStateException("the backend " + this + " said it does not serialize chunks");
    }
    return (Prepared) prepared;
  }

  /** The class loader a call's results are read with. */
  ClassLoader loader(Call call) {
    Object prepared = call.prepared();
    return prepared instanceof Prepared
        ? ((Prepared) prepared).loader
        : Thread.currentThread().getContextClassLoader();
  }

  /** A dispatcher stopped; the last one closes the backend (see the class notes). */
  void dispatcherStopped(Scheduler scheduler) {
    if (liveDispatchers.decrementAndGet() == 0 && scheduler.isShutdown()) {
      backend.close();
    }
  }

  /** The stable id and start-up time of a place the backend names. */
  Outcome.Ran ran(String name) {
    String key = name == null ? "?" : name;
    int id = ids.computeIfAbsent(key, k -> nextId.incrementAndGet());
    long seen = firstSeen.computeIfAbsent(key, k -> System.nanoTime() - createdNanos);
    return new Outcome.Ran(id, key, seen);
  }

  @Override
  public String toString() {
    return backend.toString();
  }

  /** A call's task, serialized once, and the loader its results are read with. */
  static final class Prepared {
    final byte[] task;
    final ClassLoader loader;

    Prepared(byte[] task, ClassLoader loader) {
      this.task = task;
      this.loader = loader;
    }
  }
}
