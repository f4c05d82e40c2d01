package dev.pool4j.internal.process;

import dev.pool4j.WorkerDiedException;
import dev.pool4j.internal.wire.Protocol;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One worker process, seen from the pool: the process, its connection, and the two threads that
 * forward its stdout and stderr, line by line, prefixed with the worker's label.
 *
 * <p>Two threads of one {@link ProcessWorker} use it: the worker's own thread alone sends frames
 * ({@link #sendTask}, {@link #writeChunk}, {@link #flush}, and the fields they use), the worker's
 * receiver thread alone reads them ({@link #read}, {@link #frame} and the read buffer). {@link
 * #kill()} may come from any thread (a timeout, a terminate, the JVM's shutdown hook) and makes a
 * blocked read fail at once.
 *
 * <p>The connection is a {@link Wire}: a Unix-domain socket that only this account could reach
 * while the worker connected ({@link Listener}; loopback TCP where the platform has no such
 * sockets), blocking unless a task timeout needs timed reads. Reads go through its buffer, so that
 * frames that arrive together (results of chunks queued one behind the other) cost one system call,
 * not three each. The threads that use it may be interrupted without harm: the wire keeps the
 * interrupt from the channel (see {@link Wire}); a terminate, which interrupts the sender, kills
 * the process anyway.
 */
final class Child {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Tasks a worker keeps cached; the oldest is forgotten beyond this. */
  private static final int KNOWN_TASKS = 32;

  final String label;
  final Process process;
  private final Wire wire;
  private final DataOutputStream out;
  private final OutputStream stdin;
  private final Forwarder stdout;
  private final Forwarder stderr;
  private final Protocol.Head head = new Protocol.Head();
  private final byte[] lengthBytes = new byte[4];

  /** The longest frame accepted from the worker ({@link Protocol#maxFrameBytes}). */
  private final int maxFrame = Protocol.maxFrameBytes();

  /** Received frame: {@code frame[0]} is the type; owned by the receiver thread. */
  byte[] frame = new byte[1 << 16];

  /** Task ids this worker has, oldest first; owned by the worker's thread. */
  private final LinkedHashMap<Long, Boolean> known = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * The task id used last, which is always in {@link #known} and its most recent entry (ids start
   * at 1): the next chunk of the same call needs no boxed look-up in the map. Owned by the worker's
   * thread.
   */
  private long lastKnown = -1;

  private Child(String label, Process process, Wire wire, Forwarder stdout, Forwarder stderr) {
    this.label = label;
    this.process = process;
    this.wire = wire;
    this.out = new DataOutputStream(wire.output);
    this.stdin = process.getOutputStream();
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Thrown while starting when the pool is terminated meanwhile. */
  static final class Aborted extends Exception {
    private static final long serialVersionUID = 1L;

    Aborted() {
      super("the pool was terminated while a worker process started", null, false, false);
    }
  }

  /**
   * Starts a worker process and waits until it has connected and run the initializer.
   *
   * <p>The worker connects to a {@link Listener} of its own, which is gone (socket, directory and
   * all) by the time this returns or throws. Interrupts do not end the wait (a terminate is seen
   * through the backend); the flag is kept.
   *
   * @throws WorkerDiedException if it exits (or its initializer fails) before it is ready
   * @throws Aborted if {@code backend} terminates meanwhile
   */
  static Child start(ProcessBackend backend, String label)
      throws IOException, WorkerDiedException, Aborted {
    return start(backend, label, Listener.open(backend.unixDomainSockets()));
  }

  /**
   * {@link #start(ProcessBackend, String)} with a listener of the caller's (a test's, which then
   * looks at how the wait went); this closes it before it returns or throws.
   *
   * <p><b>The wait for the connection is event-driven.</b> The thread blocks in {@link
   * Listener#accept} until the worker's connection (or another's, or part of a token) comes, the
   * process exits ({@link Process#onExit()} wakes the listener: a worker that dies before it
   * connects is seen at once), or the start-up deadline passes. A terminate is seen through the
   * process too: {@link ProcessBackend#terminate} kills every registered process, and {@link
   * ProcessBackend#register} kills one registered after it, so either way its exit wakes the wait,
   * which then finds the backend terminating. An interrupt ends one wait, not the start.
   */
  static Child start(ProcessBackend backend, String label, Listener listener)
      throws IOException, WorkerDiedException, Aborted {
    byte[] token = new byte[Protocol.TOKEN_BYTES];
    RANDOM.nextBytes(token);
    boolean interrupted = Thread.interrupted();
    try (listener) {
      Process process = backend.start(listener.address(), label, Protocol.hex(token));
      // before anything looks at the process: an exit from now on ends the wait below at once
      // (a wakeup before the wait ends the next wait). The callback holds the listener, closed
      // by then, until the process exits.
      process.onExit().thenRun(listener::wakeup);
      Forwarder out = Forwarder.start(process.getInputStream(), false, label);
      Forwarder err = Forwarder.start(process.getErrorStream(), true, label);
      Child child = null;
      SocketChannel channel = null;
      Wire wire = null;
      try {
        if (!backend.register(process)) {
          throw new Aborted();
        }
        long deadline = System.nanoTime() + backend.startTimeoutNanos();
        while (channel == null) {
          if (backend.isTerminating()) {
            throw new Aborted();
          }
          if (!process.isAlive()) {
            throw died(label, process, err, "exited while starting");
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IOException(
                label
                    + " did not connect within "
                    + TimeUnit.NANOSECONDS.toSeconds(backend.startTimeoutNanos())
                    + " s; its last lines on stderr:"
                    + err.lastLines());
          }
          // a selector's wait ends at once while the flag is set
          interrupted |= Thread.interrupted();
          // until an event, or the deadline (rounded up, so as not to wake just before it)
          channel = listener.accept(token, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
        }
        wire = new Wire(channel, backend.timeoutNanos() == 0, label);
        Child connected = new Child(label, process, wire, out, err);
        // ready only once its initializer ran: a child whose initializer failed must be killed
        connected.init(backend);
        child = connected;
        return child;
      } finally {
        if (child == null) {
          if (wire != null) {
            wire.close();
          } else if (channel != null) {
            channel.close();
          }
          process.destroyForcibly();
          // gone before this thread goes on: a worker that stops, and join() after it, must not
          // find it still exiting
          awaitExit(process, 5_000);
          backend.unregister(process);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void init(ProcessBackend backend) throws IOException, WorkerDiedException, Aborted {
    byte[] initializer = backend.initializer();
    Protocol.writeFrame(out, Protocol.INIT, new byte[0], 0, initializer);
    out.flush();
    int length;
    try {
      // untimed: a terminate kills the process, which ends the read
      length = read(0);
    } catch (TimeoutException e) {
      throw new AssertionError("an untimed read timed out", e);
    } catch (IOException e) {
      if (backend.isTerminating()) {
        throw new Aborted();
      }
      throw death("exited while starting");
    }
    java.io.DataInputStream body =
        new java.io.DataInputStream(new java.io.ByteArrayInputStream(frame, 1, length - 1));
    if (frame[0] != Protocol.READY) {
      throw new IOException(label + " sent frame type " + frame[0] + " instead of READY");
    }
    if (!body.readBoolean()) {
      Throwable why = Protocol.readFailure(body, backend.loader(), backend.filter());
      WorkerDiedException e =
          new WorkerDiedException(label + ": the initializer failed in the worker: " + why, -1);
      e.initCause(why);
      throw e;
    }
  }

  // ------------------------------------------------------------------ frames

  /** Whether the worker has the task; marks it as used. */
  boolean knows(long callId) {
    if (callId == lastKnown) {
      return true;
    }
    boolean has = known.get(callId) != null;
    if (has) {
      lastKnown = callId;
    }
    return has;
  }

  /** Sends a call's task, forgetting the oldest one when the worker holds too many. */
  void sendTask(long callId, byte[] task) throws IOException {
    if (known.size() >= KNOWN_TASKS) {
      Iterator<Long> oldest = known.keySet().iterator();
      long id = oldest.next();
      oldest.remove();
      head.reset();
      head.data.writeLong(id);
      Protocol.writeFrame(out, Protocol.FORGET, head.buffer(), head.size(), null);
    }
    head.reset();
    head.data.writeLong(callId);
    Protocol.writeFrame(out, Protocol.TASK, head.buffer(), head.size(), task);
    known.put(callId, Boolean.TRUE);
    lastKnown = callId;
  }

  /**
   * Writes a chunk's frame; it is sent at the next {@link #flush()}, or before that when the write
   * buffer fills.
   */
  void writeChunk(long callId, byte mode, int count, byte[] items, int offset, int length)
      throws IOException {
    head.reset();
    head.data.writeLong(callId);
    head.data.writeByte(mode);
    head.data.writeInt(count);
    Protocol.writeFrame(out, Protocol.CHUNK, head.buffer(), head.size(), items, offset, length);
  }

  /** Sends the frames written so far. */
  void flush() throws IOException {
    out.flush();
  }

  /**
   * Reads one frame into {@link #frame}; returns its length (type included).
   *
   * @param deadline a {@link System#nanoTime()} deadline for the frame's first byte, or 0 for none
   *     (the only choice without a task timeout: the wire then blocks). Once a frame has begun it
   *     is read to its end: the worker writes each frame at once, and giving up in its middle would
   *     leave the connection out of step.
   * @throws TimeoutException if no frame began by the deadline; the connection is still in step
   * @throws IOException at end-of-file or when the connection breaks
   */
  int read(long deadline) throws IOException, TimeoutException {
    wire.read(lengthBytes, 0, 1, deadline);
    wire.readFully(lengthBytes, 1, 3);
    int length =
        ((lengthBytes[0] & 0xFF) << 24)
            | ((lengthBytes[1] & 0xFF) << 16)
            | ((lengthBytes[2] & 0xFF) << 8)
            | (lengthBytes[3] & 0xFF);
    // before allocating: a worker's say-so must not make this JVM allocate 2 GiB
    Protocol.checkFrameLength(label, length, maxFrame);
    if (frame.length < length) {
      frame = new byte[(int) Math.max(length, Math.min(maxFrame, frame.length * 2L))];
    }
    wire.readFully(frame, 0, length);
    return length;
  }

  // ------------------------------------------------------------------ life and death

  /** Kills the process now (SIGKILL); a blocked read fails at once. Any thread. */
  void kill() {
    process.destroyForcibly();
    wire.close();
  }

  /**
   * Lets the worker exit on its own (it sees end-of-file), waits for it and for its output to be
   * forwarded, and kills it if it takes longer than {@code millis}.
   */
  void stop(long millis) {
    try {
      wire.shutdownOutput();
    } catch (IOException e) {
      // already closed: the worker sees end-of-file all the same
    }
    // not interruptible: terminate() interrupts the worker threads, and join() must still find
    // every process gone; the flag is restored after
    boolean interrupted = Thread.interrupted();
    try {
      if (interrupted || !awaitExit(process, millis)) {
        process.destroyForcibly();
        awaitExit(process, Long.MAX_VALUE);
      }
      // Thread.join(0) would wait forever
      stdout.join(Math.max(millis, 1));
      stderr.join(Math.max(millis, 1));
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      wire.close();
      try {
        stdin.close();
      } catch (IOException e) {
        // the process is gone; nothing to release
      }
      if (!process.isAlive()) {
        ClassDataSharing.exited(process);
      }
    }
  }

  /**
   * Waits up to {@code millis} for the process to exit, through interrupts (the flag is kept).
   *
   * @return whether it exited
   */
  static boolean awaitExit(Process process, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(millis, 1L << 40));
    boolean interrupted = false;
    try {
      for (; ; ) {
        try {
          return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * After the connection broke: waits (briefly) for the process to exit and its stderr to drain,
   * and describes the death.
   */
  WorkerDiedException death(String what) {
    return died(label, process, stderr, what);
  }

  private static WorkerDiedException died(
      String label, Process process, Forwarder stderr, String what) {
    int code = -1;
    if (!awaitExit(process, 2_000)) {
      process.destroyForcibly();
      what += " (it was still running and was killed)";
      awaitExit(process, 2_000);
    }
    code = process.isAlive() ? -1 : process.exitValue();
    try {
      stderr.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String lines = stderr.lastLines();
    return new WorkerDiedException(
        "worker process "
            + label
            + " (pid "
            + process.pid()
            + ") "
            + what
            + ": "
            + exitMeaning(code)
            + (lines.isEmpty()
                ? "; it wrote nothing to stderr"
                : "; its last lines on stderr:" + lines),
        code);
  }

  static String exitMeaning(int code) {
    if (code < 0) {
      return "exit code unknown";
    }
    String meaning = "";
    if (code == 3) {
      meaning = " (3: out of memory with -XX:+ExitOnOutOfMemoryError, or System.exit(3))";
    } else if (code > 128 && code < 128 + 65) {
      int signal = code - 128;
      String name =
          signal == 9 ? "SIGKILL" : signal == 15 ? "SIGTERM" : signal == 11 ? "SIGSEGV" : "";
      meaning = " (killed by signal " + signal + (name.isEmpty() ? "" : ", " + name) + ")";
    }
    return "exit code " + code + meaning;
  }

  @Override
  public String toString() {
    return label + " (pid " + process.pid() + ")";
  }
}
