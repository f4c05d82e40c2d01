package dev.pool4j.internal.process;

import dev.pool4j.WorkerDiedException;
import dev.pool4j.internal.scheduler.Call;
import dev.pool4j.internal.scheduler.Chunk;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.Worker;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * A worker of a process pool: a thread of this JVM that owns one worker process at a time, sends it
 * each chunk and reads back the outcome.
 *
 * <p><b>One owner.</b> {@link #child} and the connection are touched only by this worker's thread,
 * so the protocol needs no lock. Other threads only kill processes (terminate, shutdown hook), which
 * this thread then sees as end-of-file.
 *
 * <p><b>A worker that dies</b> (end-of-file or a broken connection while a chunk runs) is described
 * with its exit code and last stderr lines, and the chunk is handed back to the call ({@link
 * Call#chunkLost}) which runs it again, on whichever worker reads next, or fails it once the
 * retries are spent. A chunk that runs again is sent in stream mode, so a second death is pinned on
 * the very item that caused it. This thread then starts a fresh process before it takes more work.
 *
 * <p><b>A task past the timeout</b>: with a timeout every chunk runs in stream mode, and this
 * thread reads with a deadline one timeout after the previous item's report; at the deadline it
 * kills the process at once (SIGKILL), reports the results before the item and a {@link
 * TimeoutException} for it, and starts a fresh process.
 *
 * <p>Cost per chunk: one frame each way (plus the task, once per call and process), one object
 * stream each way.
 */
final class ProcessWorker extends Worker {

  private final ProcessBackend backend;
  /** The worker process, or null before the first start and after a death; this thread only. */
  private Child child;
  /** Counts this worker's processes, for their labels. */
  private int generation;
  /** Set by {@link #decode}; this thread only. */
  private Throwable decodeFailure;

  ProcessWorker(Scheduler scheduler, int id, ProcessBackend backend) {
    super(scheduler, id);
    this.backend = backend;
  }

  @Override
  protected void starting() {
    try {
      ensureChild();
    } catch (Exception e) {
      // the first chunk tries again and fails with the reason if it is lasting
    }
  }

  @Override
  protected void stopping() {
    if (child != null) {
      child.stop(2_000);
      child = null;
    }
  }

  private Child ensureChild() throws Exception {
    if (child != null && !child.process.isAlive()) {
      child.stop(0);
      child = null;
    }
    if (child == null) {
      generation++;
      String label = "worker-" + id() + (generation > 1 ? "." + generation : "");
      child = Child.start(backend, label);
      if (generation == 1) {
        backend.ready();
      }
    }
    return child;
  }

  @Override
  protected int execute(Chunk chunk) {
    Call call = chunk.call();
    long started = System.nanoTime();
    Object[] items = chunk.items();
    int n = items.length;
    Object[] results = new Object[n];
    int runnable = (int) Math.max(0, Math.min(n, call.limit() - chunk.start()));
    if (runnable == 0 || backend.isTerminating()) {
      done(call, chunk, results, 0, null, 0);
      return 0;
    }
    ProcessBackend.PreparedTask task = (ProcessBackend.PreparedTask) call.prepared();

    Protocol.Encoded encoded = Protocol.encode(items, runnable, backend.plainValues());
    Throwable inputFailure =
        encoded.error == null
            ? null
            : Protocol.notSerializable("the input", items[encoded.count], encoded.error);
    int count = encoded.count;
    if (count == 0) {
      done(call, chunk, results, 0, inputFailure, System.nanoTime() - started);
      return 1;
    }

    Child c;
    try {
      c = ensureChild();
    } catch (Child.Aborted e) {
      done(call, chunk, results, 0, null, 0);
      return 0;
    } catch (Exception e) {
      // killed while starting, or a lasting cause (a bad JVM option, a failing initializer): the
      // retries bound the attempts, and the last one's reason fails the chunk
      WorkerDiedException cannot =
          new WorkerDiedException(
              "could not start a worker process for the tasks at indexes "
                  + chunk.start()
                  + ".."
                  + (chunk.start() + count - 1)
                  + " (try "
                  + (chunk.retries() + 1)
                  + " of at most "
                  + (scheduler.config().retries() + 1)
                  + "): "
                  + e.getMessage(),
              e instanceof WorkerDiedException ? ((WorkerDiedException) e).exitCode() : -1);
      cannot.initCause(e);
      lost(call, chunk, results, 0, cannot, System.nanoTime() - started);
      return 0;
    }

    boolean stream = backend.timeoutNanos() > 0 || chunk.retries() > 0;
    int valid = 0;
    Throwable failure = null;
    try {
      if (!c.knows(task.id)) {
        c.sendTask(task.id, task.bytes);
      }
      c.sendChunk(task.id, stream, count, encoded.bytes);
      if (stream) {
        while (valid < count && failure == null) {
          long deadline =
              backend.timeoutNanos() > 0 ? System.nanoTime() + backend.timeoutNanos() : 0;
          int length = c.read(deadline);
          DataInputStream body = body(c, length, Protocol.ITEM);
          if (body.readBoolean()) {
            valid += decode(c, 2, length, results, valid, 1, task, chunk.start());
            failure = decodeFailure;
          } else {
            failure = Protocol.readFailure(body, task.loader, backend.filter());
          }
        }
      } else {
        int length = c.read(0);
        DataInputStream body = body(c, length, Protocol.RESULTS);
        int got = body.readInt();
        boolean failed = body.readBoolean();
        if (failed) {
          failure = Protocol.readFailure(body, task.loader, backend.filter());
        }
        int offset = length - body.available();
        valid = decode(c, offset, length, results, 0, got, task, chunk.start());
        if (decodeFailure != null) {
          failure = decodeFailure;
        }
      }
    } catch (TimeoutException e) {
      c.kill();
      stopChild();
      long index = chunk.start() + valid;
      done(call, 
          chunk,
          results,
          valid,
          new TimeoutException(
              "the task at index "
                  + index
                  + " ran longer than the task timeout of "
                  + Duration.ofNanos(backend.timeoutNanos())
                  + "; its worker process "
                  + c
                  + " was killed and is replaced"),
          System.nanoTime() - started);
      restartSoon();
      return valid + 1;
    } catch (IOException e) {
      child = null;
      if (backend.isTerminating()) {
        c.stop(0);
        done(call, 
            chunk,
            results,
            0,
            new CancellationException("the pool was terminated"),
            System.nanoTime() - started);
        return valid;
      }
      long index = chunk.start() + valid;
      WorkerDiedException died =
          c.death(
              "died while running "
                  + (stream
                      ? "the task at index " + index
                      : "the tasks at indexes " + chunk.start() + ".." + (chunk.start() + count - 1))
                  + " (run "
                  + (chunk.retries() + 1)
                  + " of at most "
                  + (scheduler.config().retries() + 1)
                  + ")");
      c.stop(0);
      lost(call, chunk, results, valid, died, System.nanoTime() - started);
      restartSoon();
      return valid;
    }
    if (failure == null && valid == count && inputFailure != null) {
      failure = inputFailure;
    }
    done(call, chunk, results, valid, failure, System.nanoTime() - started);
    return failure == null ? valid : valid + 1;
  }

  /** Reports a chunk; a child runs a chunk as a whole, so its mean stands for the max task. */
  private void done(
      Call call, Chunk chunk, Object[] results, int valid, Throwable failure, long nanos) {
    call.chunkDone(chunk, results, valid, failure, nanos, this, meanTask(valid, failure, nanos));
  }

  private void lost(
      Call call, Chunk chunk, Object[] results, int valid, Throwable failure, long nanos) {
    call.chunkLost(chunk, results, valid, failure, nanos, this, meanTask(valid, failure, nanos));
  }

  private static long meanTask(int valid, Throwable failure, long nanos) {
    return nanos / Math.max(1, failure == null ? valid : valid + 1);
  }

  private DataInputStream body(Child c, int length, byte expected) throws IOException {
    if (c.frame[0] != expected) {
      throw new IOException(c + " sent frame type " + c.frame[0] + " where " + expected + " was due");
    }
    return new DataInputStream(new ByteArrayInputStream(c.frame, 1, length - 1));
  }

  /**
   * Reads {@code count} results from {@code c.frame[offset..end)} into {@code into[at..]};
   * returns how many were read, and leaves in {@link #decodeFailure} why the next one could not
   * be (or null).
   */
  private int decode(
      Child c,
      int offset,
      int end,
      Object[] into,
      int at,
      int count,
      ProcessBackend.PreparedTask task,
      long chunkStart) {
    Protocol.Decoded decoded =
        Protocol.decode(c.frame, offset, end, into, at, count, task.loader, backend.filter());
    decodeFailure =
        decoded.error == null
            ? null
            : new IllegalStateException(
                "the result of the task at index "
                    + (chunkStart + at + decoded.count)
                    + " came back from its worker process but cannot be read in this JVM: "
                    + decoded.error,
                decoded.error);
    return decoded.count;
  }

  /** After a death or a kill: forget the process; a new one starts before more work is taken. */
  private void stopChild() {
    if (child != null) {
      child.stop(0);
      child = null;
    }
  }

  /** Starts the replacement now, unless the pool is shutting down (then the next chunk does). */
  private void restartSoon() {
    if (!scheduler.isShutdown() && !backend.isTerminating()) {
      try {
        ensureChild();
      } catch (Exception e) {
        // the next chunk tries again and reports the reason
      }
    }
  }
}
