package dev.pool4j.internal.plugged;

import dev.pool4j.Task;
import dev.pool4j.WorkerDiedException;
import dev.pool4j.internal.scheduler.Call;
import dev.pool4j.internal.scheduler.Chunk;
import dev.pool4j.internal.scheduler.Outcome;
import dev.pool4j.internal.scheduler.QueueDepth;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.Worker;
import dev.pool4j.internal.wire.Messages;
import dev.pool4j.spi.ChunkJob;

/**
 * A dispatcher of a plugged backend: a worker like any other, whose {@link #execute} hands the
 * chunk to the {@link dev.pool4j.spi.PoolBackend}, which reports it later, from its own threads,
 * through a {@link Job}.
 *
 * <p>The adapter only translates. Everything a backend's worker owes the scheduler is done by the
 * worker loop and the chunk, the same as for the thread and process backends: the cut at the call's
 * limit before the hand-over ({@link Chunk#runnable()}), the one-shot report ({@link Chunk#report}:
 * a job is one run of a chunk, so a late report of a lost run cannot count for its rerun, and
 * reports after the first return false), the wait for every handed-over chunk's report before the
 * worker stops ({@link Worker#stopped()} closes the backend after that), and the chunk times that
 * set {@link ChunkJob#queueDepth()}. Each {@link ChunkJob} method maps to one call on the {@link
 * Chunk}, its {@link Call} or an {@link Outcome} factory; the byte forms go through the {@link
 * Messages} codec.
 *
 * <p>A chunk the backend never reports would hold its call (and {@code join()}) forever; the
 * backend's contract forbids it, and {@code terminate()} tells the backend to report everything it
 * holds.
 */
final class PluggedWorker extends Worker {

  private final PluggedBackend plugged;

  PluggedWorker(Scheduler scheduler, int id, PluggedBackend plugged) {
    super(scheduler, id);
    this.plugged = plugged;
  }

  @Override
  protected boolean runsTasks() {
    return false;
  }

  @Override
  protected int execute(Chunk chunk) {
    Job job = new Job(chunk);
    try {
      plugged.backend.run(job);
    } catch (InterruptedException e) {
      // terminate(): the call is cancelled; the flag is the loop's to clear
      Thread.currentThread().interrupt();
      job.returned();
    } catch (Throwable t) {
      // PoolBackend.run threw: the chunk fails with it, unless it was reported already
      chunk.report(Outcome.aborted(t, null));
    }
    return chunk.runnable();
  }

  @Override
  protected void stopped() {
    plugged.dispatcherStopped(scheduler);
  }

  /** One run of a chunk in the backend's hands: the public view of a {@link Chunk}. */
  private final class Job implements ChunkJob {
    private final Chunk chunk;
    private final Call call;

    /**
     * The inputs to run, taken at the hand-over: the call drops a chunk's inputs once a run of it
     * is reported, and a backend may still look at a job it gave up on.
     */
    private final Object[] inputs;

    /** Made by the first message() call; its thread only, then read by the reporter. */
    private volatile Messages.Message message;

    Job(Chunk chunk) {
      this.chunk = chunk;
      this.call = chunk.call();
      this.inputs = chunk.runnableItems();
    }

    @Override
    public long start() {
      return chunk.start();
    }

    @Override
    public int size() {
      return chunk.runnable();
    }

    @Override
    public long limit() {
      return call.limit();
    }

    @Override
    public int retries() {
      return chunk.retries();
    }

    @Override
    public Task<Object, Object> task() {
      return call.task();
    }

    @Override
    public Object[] items() {
      return inputs;
    }

    @Override
    public int queueDepth() {
      return QueueDepth.forMember(scheduler.chunkTime().nanos());
    }

    @Override
    public byte[] message() {
      Messages.Message m = message;
      if (m == null) {
        m = Messages.encode(plugged.prepared(call).task, inputs, inputs.length);
        message = m;
      }
      return m.bytes;
    }

    @Override
    public boolean done(Object[] results, int valid, Throwable failure, String worker, long nanos) {
      return chunk.report(Outcome.done(results, valid, failure, nanos, plugged.ran(worker)));
    }

    @Override
    public boolean done(byte[] outcome, String worker, long nanos) {
      if (chunk.isReported()) {
        return false; // not decoded for nothing
      }
      Messages.Outcome o = Messages.decode(outcome, chunk.size(), plugged.loader(call), message);
      return chunk.report(
          Outcome.done(o.results, o.valid, o.failure, nanos, plugged.ran(worker))
              .withWireBytes(outcome.length));
    }

    @Override
    public boolean lost(Throwable cause, String worker) {
      if (chunk.isReported()) {
        return false;
      }
      WorkerDiedException died =
          new WorkerDiedException(
              (worker == null ? "the worker" : worker)
                  + " was lost while it ran "
                  + chunk.describe(chunk.runnable())
                  + ": "
                  + cause,
              -1);
      died.initCause(cause);
      return chunk.report(Outcome.lost(died, plugged.ran(worker)));
    }

    @Override
    public boolean returned() {
      return chunk.report(Outcome.returned());
    }
  }
}
