package dev.pool4j.internal.process;

import dev.pool4j.WorkerDiedException;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
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
 * ({@link #sendTask}, {@link #sendChunk}, and the fields they use), the worker's receiver thread
 * alone reads them ({@link #read}, {@link #frame} and the read buffer). {@link #kill()} may come
 * from any thread (a timeout, a terminate, the JVM's shutdown hook) and makes a blocked read fail
 * at once.
 *
 * <p>Reads go through a buffer of its own, so that frames that arrive together (results of
 * chunks queued one behind the other) cost one system call, not three each.
 */
final class Child {

  private static final SecureRandom RANDOM = new SecureRandom();
  /** Tasks a worker keeps cached; the oldest is forgotten beyond this. */
  private static final int KNOWN_TASKS = 32;

  final String label;
  final Process process;
  private final Socket socket;
  private final InputStream in;
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

  /** Bytes read from the connection, not yet taken: {@code buffer[position..limit)}; receiver only. */
  private final byte[] buffer = new byte[1 << 16];

  private int position;
  private int limit;

  /** Task ids this worker has, oldest first; owned by the worker's thread. */
  private final LinkedHashMap<Long, Boolean> known = new LinkedHashMap<>(16, 0.75f, true);
  /** The socket's read timeout as last set; receiver only. */
  private int currentTimeout = -1;

  private Child(
      String label, Process process, Socket socket, Forwarder stdout, Forwarder stderr)
      throws IOException {
    this.label = label;
    this.process = process;
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out =
        new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
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
   * @throws WorkerDiedException if it exits (or its initializer fails) before it is ready
   * @throws Aborted if {@code backend} terminates meanwhile
   */
  static Child start(ProcessBackend backend, String label)
      throws IOException, WorkerDiedException, Aborted {
    byte[] token = new byte[Protocol.TOKEN_BYTES];
    RANDOM.nextBytes(token);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(50);
      Process process = backend.start(server.getLocalPort(), label, Protocol.hex(token));
      Forwarder out = Forwarder.start(process.getInputStream(), false, label);
      Forwarder err = Forwarder.start(process.getErrorStream(), true, label);
      Child child = null;
      Socket socket = null;
      try {
        if (!backend.register(process)) {
          throw new Aborted();
        }
        long deadline = System.nanoTime() + backend.startTimeoutNanos();
        while (socket == null) {
          if (backend.isTerminating()) {
            throw new Aborted();
          }
          if (!process.isAlive()) {
            throw died(label, process, err, "exited while starting");
          }
          if (System.nanoTime() - deadline > 0) {
            throw new IOException(
                label
                    + " did not connect within "
                    + TimeUnit.NANOSECONDS.toSeconds(backend.startTimeoutNanos())
                    + " s; its last lines on stderr:"
                    + err.lastLines());
          }
          try {
            socket = authenticate(server.accept(), token);
          } catch (SocketTimeoutException e) {
            // poll the process and the pool again
          }
        }
        socket.setTcpNoDelay(true);
        Child connected = new Child(label, process, socket, out, err);
        // ready only once its initializer ran: a child whose initializer failed must be killed
        connected.init(backend);
        child = connected;
        return child;
      } finally {
        if (child == null) {
          if (socket != null) {
            socket.close();
          }
          process.destroyForcibly();
          // gone before this thread goes on: a worker that stops, and join() after it, must not
          // find it still exiting
          awaitExit(process, 5_000);
          backend.unregister(process);
        }
      }
    }
  }

  /**
   * The connection if it proves to come from our child, else null (and closed).
   *
   * <p>Waits for the token by polling {@link InputStream#available()}, not with a read timeout:
   * the JDK's socket turns non-blocking for good at its first timed read, and every later read
   * that waits then costs three system calls instead of one (a fifth of the cost of a chunk of
   * one fast task). A connection stays blocking unless a task timeout needs timed reads.
   */
  private static Socket authenticate(Socket socket, byte[] token) throws IOException {
    try {
      InputStream in = socket.getInputStream();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      // our child sends its token as soon as it connects
      while (in.available() < token.length && System.nanoTime() - deadline < 0) {
        Thread.sleep(1);
      }
      if (in.available() >= token.length) {
        byte[] got = new byte[token.length];
        new java.io.DataInputStream(in).readFully(got);
        if (MessageDigest.isEqual(got, token)) {
          return socket;
        }
      }
    } catch (IOException e) {
      // not our child: refuse it, keep waiting for ours
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    socket.close();
    return null;
  }

  private void init(ProcessBackend backend) throws IOException, WorkerDiedException, Aborted {
    byte[] initializer = backend.initializer();
    Protocol.writeFrame(out, Protocol.INIT, new byte[0], 0, initializer);
    out.flush();
    int length;
    try {
      // untimed (see authenticate): a terminate kills the process, which ends the read
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
    return known.get(callId) != null;
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
  }

  void sendChunk(long callId, boolean stream, int count, byte[] items, int offset, int length)
      throws IOException {
    head.reset();
    head.data.writeLong(callId);
    head.data.writeBoolean(stream);
    head.data.writeInt(count);
    Protocol.writeFrame(out, Protocol.CHUNK, head.buffer(), head.size(), items, offset, length);
    out.flush();
  }

  /**
   * Reads one frame into {@link #frame}; returns its length (type included).
   *
   * @param deadline a {@link System#nanoTime()} deadline for the frame's first byte, or 0 for
   *     none. Once a frame has begun it is read to its end: the worker writes each frame at once,
   *     and giving up in its middle would leave the connection out of step.
   * @throws TimeoutException if no frame began by the deadline; the connection is still in step
   * @throws IOException at end-of-file or when the connection breaks
   */
  int read(long deadline) throws IOException, TimeoutException {
    readFully(lengthBytes, 0, 1, deadline);
    readFully(lengthBytes, 1, 4, 0);
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
    readFully(frame, 0, length, 0);
    return length;
  }

  /** Reads {@code b[off..n)}, from the buffer first. */
  private void readFully(byte[] b, int off, int n, long deadline)
      throws IOException, TimeoutException {
    int buffered = Math.min(limit - position, n - off);
    if (buffered > 0) {
      System.arraycopy(buffer, position, b, off, buffered);
      position += buffered;
      off += buffered;
    }
    while (off < n) {
      int want = n - off;
      if (want >= buffer.length) {
        // a large frame: straight into it, no copy
        off += readSome(b, off, want, deadline);
      } else {
        // the buffer is empty here; keep it so should the read throw
        position = 0;
        limit = 0;
        limit = readSome(buffer, 0, buffer.length, deadline);
        int take = Math.min(limit, want);
        System.arraycopy(buffer, 0, b, off, take);
        position = take;
        off += take;
      }
    }
  }

  /** Reads at least one byte into {@code b[off..off+n)}; returns how many. */
  private int readSome(byte[] b, int off, int n, long deadline)
      throws IOException, TimeoutException {
    for (; ; ) {
      int timeout = 0;
      if (deadline != 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          // a frame that came in time, while this thread was kept from reading it, is no timeout
          if (in.available() <= 0) {
            throw new TimeoutException();
          }
          left = 1;
        }
        timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
      }
      if (timeout != currentTimeout) {
        socket.setSoTimeout(timeout);
        currentTimeout = timeout;
      }
      int r;
      try {
        r = in.read(b, off, n);
      } catch (SocketTimeoutException e) {
        continue;
      }
      if (r < 0) {
        throw new EOFException(label + " closed its connection");
      }
      if (r > 0) {
        return r;
      }
    }
  }

  // ------------------------------------------------------------------ life and death

  /** Kills the process now (SIGKILL); a blocked read fails at once. Any thread. */
  void kill() {
    process.destroyForcibly();
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }

  /**
   * Lets the worker exit on its own (it sees end-of-file), waits for it and for its output to be
   * forwarded, and kills it if it takes longer than {@code millis}.
   */
  void stop(long millis) {
    try {
      socket.shutdownOutput();
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
      try {
        socket.close();
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
            + (lines.isEmpty() ? "; it wrote nothing to stderr" : "; its last lines on stderr:" + lines),
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
