package dev.pool4j.internal.process;

import dev.pool4j.internal.wire.Protocol;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Where one starting worker process connects back to the pool: a Unix-domain socket in a directory
 * of its own that only this account may enter, or, on a platform without Unix-domain sockets, a
 * loopback TCP port.
 *
 * <p><b>Who can connect.</b> The directory is created owner-only ({@code rwx------}), so no other
 * local account can reach the socket inside it; the socket and the directory are deleted as soon as
 * the worker is connected (or the start failed), so nothing stays behind and nobody can connect
 * later. The worker then proves itself with the random token it got in its environment: the second
 * factor, and the only one on the TCP fallback, where any local account can connect.
 *
 * <p><b>Nobody can delay the worker.</b> Connections are accepted and their tokens read
 * concurrently, on one selector: a connection that sends nothing, or sends it slowly, waits on its
 * own and never holds back the next one. At most {@link #MAX_PENDING} connections wait for their
 * token (the oldest is dropped beyond that), each at most {@link #TOKEN_WAIT_NANOS}; a wrong token
 * or end-of-file drops one at once.
 *
 * <p><b>Waiting without polling.</b> {@link #accept} blocks on the selector until something happens
 * that the starting thread must look at: a connection or its bytes, a {@link #wakeup()} (the worker
 * process exited, which a terminate causes too: {@link Child#start}), an interrupt, the caller's
 * deadline, or the moment the oldest pending connection's {@link #TOKEN_WAIT_NANOS} runs out.
 * Nothing else ends the wait: there is no periodic wake-up.
 *
 * <p>Used by the one thread that starts the worker, but for {@link #wakeup()} (any thread); {@link
 * #close()} releases everything.
 */
final class Listener implements Closeable {

  /** Connections at most that wait for their token. */
  static final int MAX_PENDING = 32;

  /** How long a connection may take to send its token. */
  static final long TOKEN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * The longest socket path: {@code sun_path} holds 108 bytes on Linux (104 on macOS), the last a
   * terminating zero.
   */
  private static final int MAX_PATH_BYTES = 100;

  private static final System.Logger LOG = dev.pool4j.internal.observe.Logs.PROCESS;

  /** Whether this platform has Unix-domain sockets; worked out once. */
  private static volatile Boolean unixSupported;

  private final ServerSocketChannel server;
  private final Selector selector;
  private final String address;

  /** The owner-only directory and the socket in it; null on TCP, or once deleted. */
  private Path directory;

  private Path socket;

  /** Connections still sending their token, oldest first; owned by the starting thread. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /**
   * How many times a wait of {@link #accept} on the selector has ended: written by the starting
   * thread alone, read by tests that check that no wait ends without a reason.
   */
  private volatile int wakeUps;

  private Listener(ServerSocketChannel server, Path directory, Path socket, String address)
      throws IOException {
    this.server = server;
    this.directory = directory;
    this.socket = socket;
    this.address = address;
    Selector s = Selector.open();
    try {
      server.configureBlocking(false);
      server.register(s, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    this.selector = s;
  }

  /**
   * Opens a listener: a Unix-domain socket when {@code unix} and the platform has them, else (with
   * a warning, once) loopback TCP.
   */
  static Listener open(boolean unix) throws IOException {
    if (unix && unixSupported()) {
      return openUnix();
    }
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), MAX_PENDING);
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      return new Listener(server, null, null, "tcp:" + port);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Whether the channel to workers can be a Unix-domain socket here; warns once when not. */
  static boolean unixSupported() {
    Boolean known = unixSupported;
    if (known == null) {
      boolean yes;
      try {
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).close();
        yes = true;
      } catch (UnsupportedOperationException | IOException e) {
        yes = false;
        LOG.log(
            System.Logger.Level.WARNING,
            "pool4j: no Unix-domain sockets here ("
                + e
                + "); worker processes connect over loopback TCP, which any local account can"
                + " reach (a token still proves each worker)");
      }
      unixSupported = known = yes;
    }
    return known;
  }

  private static Listener openUnix() throws IOException {
    Path directory = ownerOnlyDirectory();
    Path socket = directory.resolve("s");
    ServerSocketChannel server = null;
    try {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket), MAX_PENDING);
      return new Listener(server, directory, socket, "unix:" + socket);
    } catch (IOException | RuntimeException e) {
      Wire.closeQuietly(server);
      try {
        Files.deleteIfExists(socket);
        Files.deleteIfExists(directory);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  /**
   * A fresh directory that only this account may enter, under {@code java.io.tmpdir}, or under
   * {@code /tmp} when a socket path there would be too long.
   */
  private static Path ownerOnlyDirectory() throws IOException {
    Path base = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    // the longest name createTempDirectory makes: the prefix and a long's digits, then "/s"
    int longest = pathBytes(base) + 1 + "pool4j-".length() + 20 + 2;
    if (longest > MAX_PATH_BYTES || !Files.isDirectory(base)) {
      Path tmp = Path.of("/tmp");
      if (Files.isDirectory(tmp)) {
        base = tmp;
      }
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Path dir =
          Files.createTempDirectory(
              base,
              "pool4j-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      // the umask can only take permissions away; this makes sure, should it be odd
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      return dir;
    }
    // Windows: the temporary directory is the account's own (under its profile)
    return Files.createTempDirectory(base, "pool4j-");
  }

  private static int pathBytes(Path path) {
    String encoding = System.getProperty("sun.jnu.encoding");
    Charset charset =
        encoding != null && Charset.isSupported(encoding)
            ? Charset.forName(encoding)
            : Charset.defaultCharset();
    return path.toString().getBytes(charset).length;
  }

  /** What the worker connects to: {@code unix:PATH} or {@code tcp:PORT}. */
  String address() {
    return address;
  }

  /** The owner-only directory of the socket, until it is deleted; null on TCP. */
  Path directory() {
    return directory;
  }

  /**
   * Accepts connections and reads their tokens, waiting at most {@code millis} (at least 1) for
   * something to happen; returns the first connection that sent {@code token}, else null: nothing
   * proven yet (a connection or a part of a token came, a wrong token was dropped), a {@link
   * #wakeup()}, an interrupt (the flag stays set, and a wait with it set ends at once) or the time
   * is up. The caller looks at why and calls again. The wait ends early, too, when the oldest
   * pending connection runs out of time to send its token, which is then dropped. The caller owns
   * the channel returned, in blocking mode; the socket and its directory are deleted by then and
   * nothing more is accepted.
   */
  SocketChannel accept(byte[] token, long millis) throws IOException {
    SocketChannel[] proven = new SocketChannel[1];
    IOException[] failed = new IOException[1];
    long wait = Math.max(1, millis);
    Pending oldest = pending.peekFirst();
    if (oldest != null) {
      long stale = oldest.since + TOKEN_WAIT_NANOS - System.nanoTime();
      // rounded up: a wait that ends a little early would only wait again
      wait = Math.max(1, Math.min(wait, TimeUnit.NANOSECONDS.toMillis(stale + 999_999)));
    }
    selector.select(
        key -> {
          if (proven[0] != null) {
            return;
          }
          try {
            if (key.isAcceptable()) {
              acceptAll();
            } else if (key.isReadable()) {
              proven[0] = check((Pending) key.attachment(), token);
            }
          } catch (IOException e) {
            failed[0] = e;
          }
        },
        wait);
    wakeUps++;
    if (failed[0] != null) {
      Wire.closeQuietly(proven[0]);
      throw failed[0];
    }
    if (proven[0] == null) {
      dropStale();
      return null;
    }
    SocketChannel channel = proven[0];
    try {
      close();
      // the selector let go of it (close() closed it): it may block again
      channel.configureBlocking(true);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Ends the {@link #accept} in progress at once, or else the next one; any thread. Does nothing
   * once the listener is closed.
   */
  void wakeup() {
    // a closed selector's wakeup() is a no-op
    selector.wakeup();
  }

  /** How many times a wait of {@link #accept} has ended so far; for tests. */
  int wakeUps() {
    return wakeUps;
  }

  private void acceptAll() throws IOException {
    for (SocketChannel c; (c = server.accept()) != null; ) {
      try {
        c.configureBlocking(false);
        Pending p = new Pending(c);
        c.register(selector, SelectionKey.OP_READ, p);
        pending.addLast(p);
      } catch (IOException | RuntimeException e) {
        c.close();
        throw e;
      }
      if (pending.size() > MAX_PENDING) {
        pending.pollFirst().drop();
      }
    }
  }

  /** Reads what the connection sent; returns it when its token is right, drops it when wrong. */
  private SocketChannel check(Pending p, byte[] token) {
    int r;
    try {
      r = p.channel.read(p.token);
    } catch (IOException e) {
      r = -1;
    }
    if (r < 0) {
      pending.remove(p);
      p.drop();
      return null;
    }
    if (p.token.hasRemaining()) {
      return null;
    }
    pending.remove(p);
    if (MessageDigest.isEqual(p.token.array(), token)) {
      return p.channel;
    }
    p.drop();
    return null;
  }

  private void dropStale() {
    long now = System.nanoTime();
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (now - p.since >= TOKEN_WAIT_NANOS) {
        it.remove();
        p.drop();
      }
    }
  }

  /**
   * Stops listening: closes every connection not handed out, and deletes the socket and its
   * directory. Idempotent.
   */
  @Override
  public void close() throws IOException {
    for (Pending p : pending) {
      p.drop();
    }
    pending.clear();
    Wire.closeQuietly(server);
    Wire.closeQuietly(selector);
    IOException failed = null;
    try {
      if (socket != null) {
        Files.deleteIfExists(socket);
        socket = null;
      }
      if (directory != null) {
        Files.deleteIfExists(directory);
        directory = null;
      }
    } catch (IOException e) {
      failed = e;
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** A connection that has not sent its whole token yet. */
  private static final class Pending {
    final SocketChannel channel;
    final ByteBuffer token = ByteBuffer.allocate(Protocol.TOKEN_BYTES);
    final long since = System.nanoTime();

    Pending(SocketChannel channel) {
      this.channel = channel;
    }

    void drop() {
      Wire.closeQuietly(channel);
    }
  }
}
