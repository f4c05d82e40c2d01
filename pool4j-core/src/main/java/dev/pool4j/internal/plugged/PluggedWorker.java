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
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A dispatcher of a plugged backend: reads chunks like any worker and hands each to the {@link
 * dev.pool4j.spi.PoolBackend}, which reports it later, from its own threads, through a {@link Job}.
 *
 * <p><b>Exactly once.</b> A job is one run of a chunk, and each of its reports ({@code done},
 * {@code lost}, {@code returned}, or {@link Job#fail} when {@link dev.pool4j.spi.PoolBackend#run}
 * throws) is that run's {@link Chunk#report}: the first wins, later ones return false and are
 * dropped, as {@link ChunkJob} promises. A run that is lost and runs again is a new chunk run and a
 * new job, so a late report of the old job cannot count for the new one. A chunk the backend never
 * reports would hold its call (and {@code join()}) forever; the backend's contract forbids it, and
 * {@code terminate()} tells the backend to report everything it holds.
 *
 * <p><b>Stopping.</b> The worker's loop ends only after {@link #stopping()} has waited for every
 * job this dispatcher handed over to be reported (the contract of {@link Worker#execute}); the
 * count is guarded by {@link #lock}.
 */
final class PluggedWorker extends Worker {

  private final PluggedBackend plugged;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition allReported = lock.newCondition();

  /** Jobs handed to the backend and not yet reported; under lock. */
  private int outstanding;

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
    Call call = chunk.call();
    int n = chunk.size();
    int runnable = (int) Math.max(0, Math.min(n, call.limit() - chunk.start()));
    if (runnable == 0 || plugged.terminating) {
      chunk.report(Outcome.none(null));
      return 0;
    }
    Job job = new Job(chunk, runnable);
    lock.lock();
    try {
      outstanding++;
    } finally {
      lock.unlock();
    }
    try {
      plugged.backend.run(job);
    } catch (InterruptedException e) {
      // terminate(): the call is cancelled; the flag is the loop's to clear
      Thread.currentThread().interrupt();
      job.returned();
    } catch (Throwable t) {
      job.fail(t);
    }
    return runnable;
  }

  @Override
  protected void stopping() {
    lock.lock();
    try {
      boolean interrupted = false;
      while (outstanding > 0) {
        try {
          allReported.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } finally {
      lock.unlock();
    }
    plugged.dispatcherStopped(scheduler);
  }

  private void reported() {
    lock.lock();
    try {
      if (--outstanding == 0) {
        allReported.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** One chunk in the backend's hands, until its one report. */
  private final class Job implements ChunkJob {
    private final Chunk chunk;
    private final Call call;

    /** The inputs still needed when the chunk was handed over; the backend runs only these. */
    private final int runnable;

    /** The chunk's size, which its results are padded to. */
    private final int size;

    /** Made by the first message() call; its thread only, then read by the reporter. */
    private volatile Messages.Message message;

    Job(Chunk chunk, int runnable) {
      this.chunk = chunk;
      this.call = chunk.call();
      this.runnable = runnable;
      this.size = chunk.size();
    }

    @Override
    public long start() {
      return chunk.start();
    }

    @Override
    public int size() {
      return runnable;
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
      Object[] items = chunk.items();
      return runnable == items.length ? items : Arrays.copyOf(items, runnable);
    }

    @Override
    public int queueDepth() {
      return QueueDepth.forMember(plugged.chunkTime.nanos());
    }

    @Override
    public byte[] message() {
      Messages.Message m = message;
      if (m == null) {
        Object prepared = call.prepared();
        if (!(prepared instanceof PluggedBackend.Prepared)) {
          throw new IllegalStateException(
              "the backend " + plugged + " said it does not serialize chunks");
        }
        m = Messages.encode(((PluggedBackend.Prepared) prepared).task, chunk.items(), runnable);
        message = m;
      }
      return m.bytes;
    }

    @Override
    public boolean done(Object[] results, int valid, Throwable failure, String worker, long nanos) {
      ranFor(worker, nanos);
      return report(results, valid, failure, worker, nanos);
    }

    @Override
    public boolean done(byte[] outcome, String worker, long nanos) {
      ranFor(worker, nanos);
      if (chunk.isReported()) {
        return false; // not decoded for nothing
      }
      Object prepared = call.prepared();
      ClassLoader loader =
          prepared instanceof PluggedBackend.Prepared
              ? ((PluggedBackend.Prepared) prepared).loader
              : Thread.currentThread().getContextClassLoader();
      Messages.Outcome o = Messages.decode(outcome, size, loader);
      Throwable failure = o.failure;
      Messages.Message m = message;
      if (failure == null && m != null && m.inputFailure != null && o.valid == m.count) {
        // the inputs before the one that could not be sent are done: now it fails
        failure = m.inputFailure;
      }
      return report(
          Outcome.done(padded(o.results), o.valid, failure, nanos, plugged.ran(worker))
              .withWireBytes(outcome.length));
    }

    private boolean report(
        Object[] results, int valid, Throwable failure, String worker, long nanos) {
      return report(Outcome.done(padded(results), valid, failure, nanos, plugged.ran(worker)));
    }

    /**
     * Records the time of a chunk that ran somewhere (one the backend reports without running it
     * names no worker), for the {@link #queueDepth()}; a report that loses still tells how long
     * chunks take.
     */
    private void ranFor(String worker, long nanos) {
      if (worker != null) {
        plugged.chunkTime.record(nanos);
      }
    }

    /** The results in an array the chunk's size, as the call keeps them. */
    private Object[] padded(Object[] results) {
      return results.length == size ? results : Arrays.copyOf(results, size);
    }

    /**
     * Reports this job's run; counts the job out of the dispatcher's when the report wins (a report
     * that throws won too: see {@link Chunk#report}).
     */
    private boolean report(Outcome outcome) {
      boolean won;
      try {
        won = chunk.report(outcome);
      } catch (RuntimeException | Error e) {
        reported();
        throw e;
      }
      if (won) {
        reported();
      }
      return won;
    }

    @Override
    public boolean lost(Throwable cause, String worker) {
      if (chunk.isReported()) {
        return false;
      }
      WorkerDiedException died =
          new WorkerDiedException(
              (worker == null ? "the worker" : worker)
                  + " was lost while it ran the tasks at indexes "
                  + chunk.start()
                  + ".."
                  + (chunk.start() + runnable - 1)
                  + " (try "
                  + (chunk.retries() + 1)
                  + " of at most "
                  + (scheduler.config().retries() + 1)
                  + "): "
                  + cause,
              -1);
      died.initCause(cause);
      return report(Outcome.lost(died, plugged.ran(worker)));
    }

    @Override
    public boolean returned() {
      return report(Outcome.returned());
    }

    /** {@link dev.pool4j.spi.PoolBackend#run} threw: the chunk fails with it, unless reported. */
    void fail(Throwable t) {
      report(Outcome.aborted(t, null));
    }
  }
}
