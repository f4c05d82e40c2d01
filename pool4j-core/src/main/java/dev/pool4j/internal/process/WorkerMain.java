package dev.pool4j.internal.process;

import dev.pool4j.Task;
import dev.pool4j.WorkerInitializer;
import dev.pool4j.internal.wire.Bytes;
import dev.pool4j.internal.wire.Protocol;
import dev.pool4j.internal.wire.Values;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The main class of a worker process: connects back to its pool, then runs the chunks it is sent on
 * its main thread, one at a time, until the pool closes the connection.
 *
 * <p>Arguments: the pool's address ({@code unix:PATH}, a Unix-domain socket in a directory only the
 * pool's account may enter, or {@code tcp:PORT} on loopback where the platform has no such sockets;
 * see {@link Listener}), the parent's pid and the worker's label; the token comes in the
 * environment ({@link Protocol#TOKEN_ENV}), never on the command line, which other accounts can
 * read. The wire format is in {@link Protocol}.
 *
 * <p><b>Interrupts.</b> Tasks run on the thread that reads and writes the connection, so they can
 * interrupt it: a task that interrupts its own thread and returns leaves the flag set, and a thread
 * a task started may interrupt it at any time. Neither may break the connection (an interrupt
 * closes a channel blocked in a read or write). The {@link Wire} reads and writes with the flag
 * cleared and sets it again after, and it is non-blocking here, so that an interrupt during a wait
 * only cuts the selector's wait short; a wait costs two system calls more than a blocking read, a
 * cost that falls when the worker has nothing to do. The flag is cleared after each chunk, as a
 * pool thread's is, so that it does not leak into the next chunk.
 *
 * <p><b>Results in batches.</b> The results of a chunk sent as {@link Protocol#BATCH_HOLD} are held
 * back, not sent, when the next frame, already read, is another such chunk: they go out with that
 * chunk's in one write, or before any read that must wait for the pool ({@link
 * Wire#flushBeforeWait}), or before a streamed chunk runs, or at the latest {@link
 * Flusher#HOLD_NANOS} (1 ms) after they were written, by a thread of their own (a chunk that runs
 * long, or a task that waits for the pool's consumer to see an earlier result, keeps nothing ready
 * from the pool for longer). So a worker that the pool sends several chunks at once answers them
 * with one write, not one each. Should the worker die while it runs the later chunk, the pool
 * cannot tell which of those chunks was running, and counts each of them as lost ({@code
 * ProcessWorker}'s "Exactly once"); the pool sends chunks so only when a lost chunk runs again.
 *
 * <p><b>Never an orphan.</b> The worker exits (with {@link Runtime#halt}, so that nothing can hold
 * it up) as soon as it sees that its parent is gone, by any of three signs: end-of-file on its
 * stdin (the parent holds the other end and never writes; the OS closes it when the parent dies,
 * even by {@code kill -9}), end-of-file on its connection, or the parent's process handle no longer
 * alive (polled every 200 ms; a handle remembers its process's start time, so a reused pid does not
 * fool it). The stdin watch usually fires within milliseconds; the poll bounds the exit at well
 * under 2 seconds should the pipe be held open elsewhere.
 */
public final class WorkerMain {

  /** Exit code when the parent is gone. */
  static final int PARENT_GONE = 86;

  /** Bytes of a CHUNK frame's body before its values: call id, stream flag, count. */
  private static final int CHUNK_HEAD = 8 + 1 + 4;

  private final Wire in;
  private final DataOutputStream out;
  private final ObjectInputFilter filter;
  private final boolean plainValues;
  private final ClassLoader loader;
  private final Map<Long, Object> tasks = new HashMap<>();

  /** The call id of the last chunk, and its task: no boxed look-up for the next chunk of a call. */
  private long lastId = -1;

  private Object lastTask;

  /** The length and type of the frame being read. */
  private final byte[] frameHead = new byte[5];

  /** The longest frame accepted from the pool. */
  private final int maxFrame = Protocol.maxFrameBytes();

  private final Protocol.Head head = new Protocol.Head();
  private final Protocol.Scratch scratch = new Protocol.Scratch();
  private byte[] frame = new byte[1 << 16];

  /** Whether the chunk running now is {@link Protocol#BATCH_HOLD}: its results may wait. */
  private boolean holding;

  /** Sends results held back longer than {@link Flusher#HOLD_NANOS}; made at the first hold. */
  private Flusher flusher;

  /** Where {@link #ints} leaves the results of a chunk it hands over to the general path. */
  private Object[] pastInts;

  private WorkerMain(Wire in, DataOutputStream out, ObjectInputFilter filter) {
    this.in = in;
    this.out = out;
    this.filter = filter;
    this.plainValues = Values.allowed(filter);
    this.loader = Thread.currentThread().getContextClassLoader();
  }

  /**
   * Runs a worker.
   *
   * @param args the pool's address, the parent's pid, the worker's label
   * @throws Exception when the pool cannot be reached
   */
  public static void main(String[] args) throws Exception {
    String address = args[0];
    long parentPid = Long.parseLong(args[1]);
    watchParent(parentPid, address);
    byte[] token = Protocol.unhex(System.getenv(Protocol.TOKEN_ENV));
    ObjectInputFilter filter = Protocol.filter(System.getenv(Protocol.FILTER_ENV));

    // non-blocking: its waits are a selector's, which an interrupt from any thread only cuts
    // short, where a blocking read would close the connection
    Wire wire = new Wire(Wire.connect(address), false, "the pool");
    wire.flushBeforeWait();
    DataOutputStream out = new DataOutputStream(wire.output);
    out.write(token);
    out.flush();
    try {
      new WorkerMain(wire, out, filter).serve();
    } catch (EOFException | SocketException | ClosedChannelException e) {
      // the pool closed the connection: a normal end
    }
    // user threads (a task's executor, say) must not keep a worker alive
    System.exit(0);
  }

  private static void watchParent(long parentPid, String address) {
    // tasks that read stdin get end-of-file instead of competing with the watch
    InputStream stdin = new FileInputStream(FileDescriptor.in);
    System.setIn(new ByteArrayInputStream(new byte[0]));
    Thread pipe =
        new Thread(
            () -> {
              byte[] buffer = new byte[256];
              try {
                while (stdin.read(buffer) >= 0) {
                  // the parent never writes; anything read is ignored
                }
              } catch (IOException e) {
                // the pipe broke: the parent is gone as surely as at end-of-file
              }
              parentGone(address);
            },
            "pool4j-parent-pipe");
    pipe.setDaemon(true);
    pipe.start();

    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    Thread poll =
        new Thread(
            () -> {
              for (; ; ) {
                if (parent.isEmpty() || !parent.get().isAlive()) {
                  parentGone(address);
                }
                try {
                  TimeUnit.MILLISECONDS.sleep(200);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            },
            "pool4j-parent-poll");
    poll.setDaemon(true);
    poll.start();
  }

  /**
   * Exits at once, the parent being gone. A parent that died while this worker started (by {@code
   * kill -9}, say) left its socket and the owner-only directory around it behind; they are deleted
   * here (this account made them). Once the worker has connected the parent has deleted them
   * already.
   */
  private static void parentGone(String address) {
    if (address.startsWith("unix:")) {
      try {
        Path socket = Path.of(address.substring("unix:".length()));
        if (Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .isOther()) {
          Files.deleteIfExists(socket);
        }
        // only when empty: then it is the listener's own
        Files.deleteIfExists(socket.getParent());
      } catch (IOException | RuntimeException e) {
        // gone already, or not ours to delete
      }
    }
    Runtime.getRuntime().halt(PARENT_GONE);
  }

  /**
   * Reads frames and runs them. A frame is read straight from the wire's buffer into {@link #frame}
   * and its fields are read from there in place: frames that came in one read (chunks the pool sent
   * together) cost no system call each.
   */
  private void serve() throws IOException {
    for (; ; ) {
      in.readFully(frameHead, 0, frameHead.length);
      int length = Bytes.getInt(frameHead, 0);
      Protocol.checkFrameLength("the pool", length, maxFrame);
      byte type = frameHead[4];
      int bodyLength = length - 1;
      if (frame.length < bodyLength) {
        frame = new byte[(int) Math.max(bodyLength, Math.min(maxFrame, frame.length * 2L))];
      }
      in.readFully(frame, 0, bodyLength);
      if (type != Protocol.INIT && bodyLength < 8) {
        throw new IOException("a frame of type " + type + " of " + bodyLength + " bytes");
      }
      switch (type) {
        case Protocol.INIT:
          init(bodyLength);
          break;
        case Protocol.TASK:
          {
            long id = Bytes.getLong(frame, 0);
            tasks.put(id, readTask(8, bodyLength - 8));
            if (id == lastId) {
              lastId = -1;
              lastTask = null;
            }
            break;
          }
        case Protocol.FORGET:
          {
            long id = Bytes.getLong(frame, 0);
            tasks.remove(id);
            if (id == lastId) {
              lastId = -1;
              lastTask = null;
            }
            break;
          }
        case Protocol.CHUNK:
          if (bodyLength < CHUNK_HEAD) {
            throw new IOException("a chunk frame of " + bodyLength + " bytes");
          }
          chunk(bodyLength);
          // a task may have interrupted itself; its flag must not leak into the next chunk
          Thread.interrupted();
          break;
        default:
          throw new IOException("unknown frame type " + type);
      }
    }
  }

  /** The task, or the exception that kept it from being read (every chunk then fails with it). */
  private Object readTask(int offset, int length) {
    try (ObjectInputStream objects = Protocol.objectInput(frame, offset, length, loader, filter)) {
      return objects.readObject();
    } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
      return new TaskUnreadable(e);
    }
  }

  /** Stands for a task that could not be deserialized in the worker. */
  private static final class TaskUnreadable {
    final Throwable why;

    TaskUnreadable(Throwable cause) {
      IllegalStateException e =
          new IllegalStateException(
              "the worker process could not read the task: "
                  + cause
                  + "; are the task's classes on the class path the worker was started with?",
              cause);
      this.why = e;
    }
  }

  private void init(int bodyLength) throws IOException {
    Throwable failure = null;
    if (bodyLength > 0) {
      Object initializer = readTask(0, bodyLength);
      try {
        if (initializer instanceof TaskUnreadable) {
          throw ((TaskUnreadable) initializer).why;
        }
        ((WorkerInitializer) initializer).initialize();
      } catch (Throwable t) {
        failure = t;
      }
    }
    head.reset();
    head.data.writeBoolean(failure == null);
    if (failure != null) {
      Protocol.writeFailure(head.data, failure);
    }
    Protocol.writeFrame(out, Protocol.READY, head.buffer(), head.size(), null);
    out.flush();
  }

  @SuppressWarnings("unchecked")
  private void chunk(int bodyLength) throws IOException {
    long id = Bytes.getLong(frame, 0);
    byte mode = frame[8];
    boolean stream = mode == Protocol.STREAM;
    holding = mode == Protocol.BATCH_HOLD;
    if (holding) {
      if (flusher == null) {
        flusher = new Flusher(in);
      }
      flusher.started();
    }
    int count = Bytes.getInt(frame, 9);
    int offset = CHUNK_HEAD;
    if (count < 0) {
      throw new IOException("a chunk of " + count + " items");
    }

    Object task;
    if (id == lastId) {
      task = lastTask;
    } else {
      task = tasks.get(id);
      if (task != null) {
        lastId = id;
        lastTask = task;
      }
    }
    boolean runnable = task != null && !(task instanceof TaskUnreadable);
    Object[] results = null;
    int valid = 0;
    if (runnable
        && !stream
        && plainValues
        && Values.isIntRun(frame, offset + 1, bodyLength, count)
        && scratch.fits(2L + 4L * count)) {
      valid = ints((Task<Object, Object>) task, offset + 1, count);
      if (valid < 0) {
        return; // all sent
      }
      results = pastInts;
      pastInts = null;
    }

    Object[] items = new Object[count];
    Protocol.Decoded decoded =
        Protocol.decode(frame, offset, bodyLength, items, 0, count, loader, filter);
    int readable = decoded.count;
    Throwable failure =
        decoded.error == null
            ? null
            : new IllegalStateException(
                "the worker process could not read the input: " + decoded.error, decoded.error);
    if (task == null) {
      failure = new IllegalStateException("the worker process does not know task " + id);
      readable = 0;
    } else if (task instanceof TaskUnreadable) {
      failure = ((TaskUnreadable) task).why;
      readable = 0;
    }
    Task<Object, Object> run =
        failure != null && readable == 0 ? null : (Task<Object, Object>) task;
    if (stream) {
      // results held back go out before a streamed chunk runs: its items are timed, and a death
      // while it runs is pinned on its item
      out.flush();
    }

    if (results == null) {
      results = new Object[count];
    }
    for (; valid < readable; valid++) {
      Object result;
      try {
        result = run.apply(items[valid]);
      } catch (Throwable t) {
        failure = t;
        break;
      }
      items[valid] = null;
      if (stream) {
        Protocol.Encoded one = Protocol.encode(new Object[] {result}, 1, plainValues, scratch);
        if (one.error != null) {
          failure = Protocol.notSerializable("the task's result", result, one.error);
          break;
        }
        head.reset();
        head.data.writeBoolean(true);
        Protocol.writeFrame(
            out, Protocol.ITEM, head.buffer(), head.size(), one.bytes, one.offset, one.length);
        out.flush();
      } else {
        results[valid] = result;
      }
    }
    if (stream) {
      if (failure != null) {
        head.reset();
        head.data.writeBoolean(false);
        Protocol.writeFailure(head.data, failure);
        Protocol.writeFrame(out, Protocol.ITEM, head.buffer(), head.size(), null);
        out.flush();
      }
      return;
    }
    Protocol.Encoded encoded = Protocol.encode(results, valid, plainValues, scratch);
    if (encoded.error != null) {
      failure =
          Protocol.notSerializable("the task's result", results[encoded.count], encoded.error);
    }
    sendResults(encoded.count, failure, encoded.bytes, encoded.offset, encoded.length);
  }

  /**
   * Runs a chunk whose inputs are a run of Integers ({@code run} points at its tag) in one pass:
   * each input is read, boxed, run and its result written straight to the outgoing run, with no
   * arrays of boxed values in between (and no boxes at all where the JIT inlines the task). This is
   * the common case of numeric tasks; their per-item cost is a few nanoseconds.
   *
   * <p>Returns -1 when the chunk's results are sent: all of them, or those before a task threw.
   * When a result is not an Integer, returns how many items have run, and leaves their results,
   * boxed, in {@link #pastInts} for the general path to go on from.
   */
  private int ints(Task<Object, Object> task, int run, int count) throws IOException {
    byte[] bytes = scratch.atLeast(Values.intRunLength(count));
    Values.startIntRun(Protocol.PLAIN, bytes);
    int i = 0;
    Throwable failure = null;
    for (; i < count; i++) {
      Object result;
      try {
        result = task.apply(Values.intAt(frame, run, i));
      } catch (Throwable t) {
        failure = t;
        break;
      }
      if (!(result instanceof Integer)) {
        Object[] results = new Object[count];
        Values.intsWritten(bytes, i, results);
        results[i] = result;
        pastInts = results;
        return i + 1;
      }
      Values.putIntAt(bytes, i, (Integer) result);
    }
    sendResults(i, failure, bytes, Protocol.Scratch.ROOM, Values.intRunLength(i));
    return -1;
  }

  private void sendResults(int count, Throwable failure, byte[] values, int offset, int length)
      throws IOException {
    head.reset();
    head.data.writeInt(count);
    head.data.writeBoolean(failure != null);
    if (failure != null) {
      Protocol.writeFailure(head.data, failure);
    }
    if (!holding) {
      Protocol.writeFrame(
          out, Protocol.RESULTS, head.buffer(), head.size(), values, offset, length);
      out.flush();
      return;
    }
    // the wire's monitor: the flusher's RUNNING frame comes before these results or not at all
    synchronized (in) {
      boolean said = flusher.ended();
      Protocol.writeFrame(
          out, Protocol.RESULTS, head.buffer(), head.size(), values, offset, length);
      if (!said && nextHolds()) {
        flusher.held();
      } else {
        out.flush();
        flusher.sent();
      }
    }
  }

  /**
   * Whether the next frame, already read, is a chunk whose results may be held back ({@link
   * Protocol#BATCH_HOLD}): then so are those just written, to go out with its own in one write (see
   * "Results in batches"). The wire sends them before any read that must wait ({@link
   * Wire#flushBeforeWait}).
   */
  private boolean nextHolds() {
    return in.buffered() >= 5 + CHUNK_HEAD
        && in.peek(4) == Protocol.CHUNK
        && in.peekInt(0) >= 1 + CHUNK_HEAD
        && in.peek(5 + 8) == Protocol.BATCH_HOLD;
  }

  /**
   * Sends results held back ("Results in batches") once they have waited {@link #HOLD_NANOS}, and
   * says when a chunk whose results might be held back has run that long ({@link
   * Protocol#RUNNING}): a chunk that runs long, or a task that waits for the pool's consumer to see
   * an earlier result, must not keep results that are ready from the pool, and should a chunk that
   * runs long kill its worker, the pool knows which one it was. A daemon thread that checks every
   * {@link #HOLD_NANOS} while such a chunk runs or results are held back, and parks untimed after
   * {@link #IDLE_CHECKS} checks with neither, so an idle worker does not wake up for it.
   *
   * <p>The wire's write side holds the wire's monitor, so the flush and the worker's own writes
   * take turns (a flush between two writes of one frame only sends it in two parts); the RUNNING
   * frame is written holding it, and so is a held chunk's results frame with the check of whether
   * RUNNING was said for it ({@link #ended}): after RUNNING the chunk's results are sent at once,
   * so that the chunk at the head of the pool's queue is the one running until they come.
   */
  static final class Flusher implements Runnable {

    /** How long results may wait in the worker's buffer for the next chunk's. */
    static final long HOLD_NANOS = 1_000_000;

    /** Checks in a row with nothing to do before the thread parks untimed. */
    static final int IDLE_CHECKS = 64;

    private static final byte[] RUNNING_FRAME = {0, 0, 0, 1, Protocol.RUNNING};

    private static final VarHandle HELD;

    static {
      try {
        HELD = MethodHandles.lookup().findVarHandle(Flusher.class, "heldSince", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final Wire wire;
    private final Thread thread;

    /** When the oldest results not sent were written, or 0: set by the worker, cleared here. */
    @SuppressWarnings("UnusedVariable") // through HELD
    private volatile long heldSince;

    /** When the held chunk running now began, or 0; written by the worker. */
    private volatile long runningSince;

    /** The {@link #runningSince} RUNNING was said for; under the wire's monitor. */
    private long said;

    /** The thread is parked untimed: the worker wakes it when there is something to watch. */
    private volatile boolean asleep;

    Flusher(Wire wire) {
      this.wire = wire;
      thread = new Thread(this, "pool4j-results-flusher");
      thread.setDaemon(true);
      thread.start();
    }

    /** A chunk whose results may be held back begins; the worker's thread. */
    void started() {
      runningSince = Math.max(1, System.nanoTime());
      if (asleep) {
        LockSupport.unpark(thread);
      }
    }

    /**
     * The running chunk ended; the worker's thread, holding the wire's monitor. Returns whether
     * RUNNING was said for it: then its results must go out at once.
     */
    boolean ended() {
      long since = runningSince;
      runningSince = 0;
      return since != 0 && said == since;
    }

    /** The worker wrote results and did not send them; the worker's thread. */
    void held() {
      if (heldSince == 0) {
        heldSince = Math.max(1, System.nanoTime());
        if (asleep) {
          LockSupport.unpark(thread);
        }
      }
    }

    /** The worker sent everything it held back; the worker's thread. */
    void sent() {
      heldSince = 0;
    }

    @Override
    public void run() {
      int idle = 0;
      for (; ; ) {
        long held = heldSince;
        long running = runningSince;
        if (held == 0 && (running == 0 || said == running)) {
          // nothing to watch: no results held back, no chunk running that RUNNING was not said of
          if (++idle < IDLE_CHECKS) {
            LockSupport.parkNanos(this, HOLD_NANOS);
            continue;
          }
          asleep = true;
          if (heldSince == 0 && runningSince == running) {
            LockSupport.park(this);
          }
          asleep = false;
          idle = 0;
          continue;
        }
        idle = 0;
        long now = System.nanoTime();
        long wait = HOLD_NANOS;
        if (held != 0) {
          wait = Math.min(wait, held + HOLD_NANOS - now);
        }
        if (running != 0 && said != running) {
          wait = Math.min(wait, running + HOLD_NANOS - now);
        }
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
          continue;
        }
        try {
          synchronized (wire) {
            // cleared first: results written after the flush below set it again, and those
            // written before it go with it
            if (held != 0) {
              HELD.compareAndSet(this, held, 0L);
            }
            long now2 = runningSince;
            if (now2 != 0 && now2 == running && said != running) {
              wire.write(RUNNING_FRAME, 0, RUNNING_FRAME.length);
              said = running;
            }
            wire.flushIfAny();
          }
        } catch (IOException e) {
          // the connection is gone: the worker's own next read or write ends it
          return;
        }
      }
    }
  }
}
