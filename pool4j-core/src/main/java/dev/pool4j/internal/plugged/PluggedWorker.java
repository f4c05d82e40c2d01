package dev.pool4j.internal.plugged;

import dev.pool4j.spi.ChunkJob;
import dev.pool4j.Task;
import dev.pool4j.WorkerDiedException;
import dev.pool4j.internal.wire.Messages;
import dev.pool4j.internal.scheduler.Call;
import dev.pool4j.internal.scheduler.Chunk;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.Worker;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A dispatcher of a plugged backend: reads chunks like any worker and hands each to the {@link
 * dev.pool4j.spi.PoolBackend}, which reports it later, from its own threads, through a {@link Job}.
 *
 * <p><b>Exactly once.</b> A job reports to its call at most once: every report first wins the
 * job's {@link Job#settled} flag, and a report that loses is dropped. A chunk the backend never
 * reports would hold its call (and {@code join()}) forever; the backend's contract forbids it,
 * and {@code terminate()} tells the backend to report everything it holds.
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
      call.chunkDone(chunk, new Object[n], 0, null, 0, (Call.Ran) null, 0);
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

    /** Won by the one report that counts. */
    final AtomicBoolean settled = new AtomicBoolean();

    /** Made by the first message() call; its thread only, then read by the reporter. */
    private volatile Messages.Message message;

    Job(Chunk chunk, int runnable) {
      this.chunk = chunk;
      this.call = chunk.call();
      this.runnable = runnable;
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
    public boolean done(
        Object[] results, int valid, Throwable failure, String worker, long nanos) {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      report(results, valid, failure, worker, nanos);
      return true;
    }

    @Override
    public boolean done(byte[] outcome, String worker, long nanos) {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      Object prepared = call.prepared();
      ClassLoader loader =
          prepared instanceof PluggedBackend.Prepared
              ? ((PluggedBackend.Prepared) prepared).loader
              : Thread.currentThread().getContextClassLoader();
      Messages.Outcome o = Messages.decode(outcome, chunk.size(), loader);
      chunk.resultBytes(outcome.length);
      Throwable failure = o.failure;
      Messages.Message m = message;
      if (failure == null && m != null && m.inputFailure != null && o.valid == m.count) {
        // the inputs before the one that could not be sent are done: now it fails
        failure = m.inputFailure;
      }
      report(o.results, o.valid, failure, worker, nanos);
      return true;
    }

    private void report(
        Object[] results, int valid, Throwable failure, String worker, long nanos) {
      try {
        int size = chunk.size();
        Object[] all = results.length == size ? results : Arrays.copyOf(results, size);
        int ran = failure == null ? valid : valid + 1;
        call.chunkDone(
            chunk, all, valid, failure, nanos, plugged.ran(worker), nanos / Math.max(1, ran));
      } finally {
        reported();
      }
    }

    @Override
    public boolean lost(Throwable cause, String worker) {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      try {
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
        call.chunkLost(
            chunk, new Object[chunk.size()], 0, died, 0, plugged.ran(worker), 0);
      } finally {
        reported();
      }
      return true;
    }

    @Override
    public boolean returned() {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      try {
        call.chunkReturned(chunk);
      } finally {
        reported();
      }
      return true;
    }

    /** {@link dev.pool4j.spi.PoolBackend#run} threw: the chunk fails with it, unless reported. */
    void fail(Throwable t) {
      if (settled.compareAndSet(false, true)) {
        try {
          call.chunkDone(chunk, new Object[chunk.size()], 0, t, 0, (Call.Ran) null, 0);
        } finally {
          reported();
        }
      }
    }
  }
}
