package dev.pool4j.internal.process;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeoutException;

/**
 * One end of the connection between the pool and a worker process: a socket channel (a Unix-domain
 * socket, or loopback TCP where the platform has none; see {@link Listener}) with a direct buffer
 * each way.
 *
 * <p><b>Modes.</b> A blocking wire reads and writes with one system call each (a read that waits is
 * one call that sleeps); it has no timed reads. A non-blocking wire waits on a {@link Selector}
 * (one for the reader, one for the writer) and so can give up at a deadline; a wait costs a read
 * that finds nothing, the wait, and the read again. The pool reads blocking unless a task timeout
 * needs deadlines; the mode is chosen once, as switching it waits for a read or write in progress
 * on another thread (which may be waiting on the very peer that waits on this side).
 *
 * <p><b>Interrupts.</b> An interrupt closes a channel that is blocked in a read or write ({@code
 * ClosedByInterruptException}), which would kill a healthy worker. Every read and write here runs
 * with the calling thread's interrupt flag cleared and sets it again after, so an interrupt that
 * came before (a task that interrupted its own thread and returned, say) is kept for its owner and
 * never reaches the channel. One that comes from another thread while a blocking read or write is
 * in progress still closes the channel (nothing in the JDK prevents it); a non-blocking wire is
 * immune, since a selector's wait only returns early.
 *
 * <p><b>Buffers.</b> Both buffers are direct: bytes go from the kernel into the read buffer and
 * from there into the caller's array, one copy, and from the caller's array into the write buffer
 * and from there to the kernel (a heap array would be copied into the JDK's own temporary direct
 * buffer first, per call, and that buffer would grow to the largest frame). A frame that fits the
 * write buffer leaves in one system call; a larger one in pieces of the buffer's size.
 *
 * <p>One thread reads and one thread writes at a time; {@link #close()} may come from any thread
 * and makes a read or write in progress fail at once.
 */
final class Wire implements Closeable {

  /** Bytes of each direct buffer: what one system call moves at most. */
  static final int BUFFER = 1 << 17;

  private final SocketChannel channel;
  private final boolean blocking;
  private final String name;

  /** Non-blocking only: the reader's and the writer's selector; null when blocking. */
  private final Selector readable;

  private final Selector writable;

  /** Read but not taken yet: {@code in[position..limit)}; the reader's. */
  private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER).flip();

  /** Written but not sent yet: {@code out[0..position)}; the writer's. */
  private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);

  /**
   * Whether a read that must wait for bytes sends what was written first: set by a side whose one
   * thread both reads and writes, and holds back what it wrote while it has more to read ({@code
   * WorkerMain}); its peer must not wait for those bytes before it sends more.
   */
  private boolean flushBeforeWait;

  /** The read side as a stream (untimed reads). */
  final InputStream input = new Input();

  /** The write side as a stream; {@code flush()} sends. */
  final OutputStream output = new Output();

  /**
   * Takes over a connected channel.
   *
   * @param name what messages call the other end
   */
  Wire(SocketChannel channel, boolean blocking, String name) throws IOException {
    this.channel = channel;
    this.blocking = blocking;
    this.name = name;
    Selector r = null;
    Selector w = null;
    try {
      if (channel.getLocalAddress() instanceof InetSocketAddress) {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      channel.configureBlocking(blocking);
      if (!blocking) {
        r = Selector.open();
        channel.register(r, SelectionKey.OP_READ);
        w = Selector.open();
        channel.register(w, SelectionKey.OP_WRITE);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(r);
      closeQuietly(w);
      throw e;
    }
    this.readable = r;
    this.writable = w;
  }

  /**
   * Connects to the pool's {@link Listener#address() address}, blocking.
   *
   * @param address {@code unix:PATH} or {@code tcp:PORT} (loopback)
   */
  static SocketChannel connect(String address) throws IOException {
    if (address.startsWith("tcp:")) {
      int port = Integer.parseInt(address.substring(4));
      return SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }
    if (!address.startsWith("unix:")) {
      throw new IOException("not a pool address: " + address);
    }
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(address.substring(5)));
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  boolean blocking() {
    return blocking;
  }

  /** See {@link #flushBeforeWait}; for a wire whose one thread reads and writes. */
  void flushBeforeWait() {
    this.flushBeforeWait = true;
  }

  /** How many bytes are read and not taken yet: taken without a system call. */
  int buffered() {
    return in.remaining();
  }

  /** The byte {@code at} bytes past the next one to take; {@code at < buffered()}. */
  byte peek(int at) {
    return in.get(in.position() + at);
  }

  /**
   * The int (big-endian) {@code at} bytes past the next byte to take; {@code at + 4 <= buffered()}.
   */
  int peekInt(int at) {
    return in.getInt(in.position() + at);
  }

  // ------------------------------------------------------------------ reading

  /**
   * Reads at least one byte into {@code b[off..off+n)}, {@code n > 0}; returns how many.
   *
   * @param deadline a {@link System#nanoTime()} deadline, or 0 for none (only 0 on a blocking
   *     wire). Bytes that arrived by then are read even when this thread comes late: a frame that
   *     came in time, while this thread was kept from reading it, is no timeout.
   * @throws TimeoutException if nothing arrived by the deadline
   * @throws EOFException at end-of-file
   */
  int read(byte[] b, int off, int n, long deadline) throws IOException, TimeoutException {
    if (!in.hasRemaining()) {
      in.clear();
      try {
        fill(in, deadline);
      } finally {
        in.flip();
      }
    }
    int k = Math.min(n, in.remaining());
    in.get(b, off, k);
    return k;
  }

  /** Reads exactly {@code b[off..off+n)}, untimed. */
  void readFully(byte[] b, int off, int n) throws IOException {
    try {
      while (n > 0) {
        int k = read(b, off, n, 0);
        off += k;
        n -= k;
      }
    } catch (TimeoutException e) {
      throw new AssertionError("an untimed read timed out", e);
    }
  }

  /** Reads at least one byte into {@code dst}, which has room. */
  private void fill(ByteBuffer dst, long deadline) throws IOException, TimeoutException {
    if (flushBeforeWait) {
      flushIfAny();
    }
    boolean interrupted = Thread.interrupted();
    try {
      for (; ; ) {
        int r = channel.read(dst);
        if (r > 0) {
          return;
        }
        if (r < 0) {
          throw new EOFException(name + " closed its connection");
        }
        long millis = 0;
        if (deadline != 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new TimeoutException();
          }
          millis = Math.max(1, (left + 999_999) / 1_000_000);
        }
        await(readable, millis);
        interrupted |= Thread.interrupted();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ------------------------------------------------------------------ writing

  /**
   * Sends what is buffered, and waits until it is all sent. The write side may be used from more
   * than one thread (a worker's flusher sends results held back too long, see WorkerMain): its
   * methods hold this wire's monitor, which a writer that is alone takes uncontended.
   */
  synchronized void flush() throws IOException {
    out.flip();
    try {
      boolean interrupted = Thread.interrupted();
      try {
        while (out.hasRemaining()) {
          if (channel.write(out) == 0) {
            await(writable, 0);
            interrupted |= Thread.interrupted();
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    } finally {
      out.clear();
    }
  }

  /** {@link #flush()}, when anything is buffered. */
  synchronized void flushIfAny() throws IOException {
    if (out.position() > 0) {
      flush();
    }
  }

  synchronized void write(byte[] b, int off, int len) throws IOException {
    while (len > out.remaining()) {
      int k = out.remaining();
      out.put(b, off, k);
      off += k;
      len -= k;
      flush();
    }
    out.put(b, off, len);
  }

  private void await(Selector selector, long millis) throws IOException {
    try {
      selector.select(key -> {}, millis);
    } catch (ClosedSelectorException e) {
      AsynchronousCloseException closed = new AsynchronousCloseException();
      closed.initCause(e);
      throw closed;
    }
  }

  // ------------------------------------------------------------------ the end

  /** The other end reads end-of-file once it has read what was sent. */
  void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  /** Closes the connection; a read or write in progress fails at once. Any thread; idempotent. */
  @Override
  public void close() {
    closeQuietly(channel);
    // a channel registered with a selector is released when the selector lets go of it
    closeQuietly(readable);
    closeQuietly(writable);
  }

  static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // closing is all we wanted
      }
    }
  }

  @Override
  public String toString() {
    return "wire to " + name + (blocking ? "" : " (non-blocking)");
  }

  private final class Input extends InputStream {
    private final byte[] one = new byte[1];

    @Override
    public int read() throws IOException {
      readFully(one, 0, 1);
      return one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      try {
        return Wire.this.read(b, off, len, 0);
      } catch (TimeoutException e) {
        throw new AssertionError("an untimed read timed out", e);
      }
    }
  }

  private final class Output extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      synchronized (Wire.this) {
        if (!out.hasRemaining()) {
          Wire.this.flush();
        }
        out.put((byte) b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Wire.this.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      Wire.this.flush();
    }
  }
}
