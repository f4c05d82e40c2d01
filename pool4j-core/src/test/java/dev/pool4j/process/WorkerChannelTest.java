package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pool4j.Pool;
import dev.pool4j.internal.process.ProcessBackend;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The channel between a pool and a starting worker process: a Unix-domain socket in a directory
 * only the pool's account may enter, gone once the worker connected; nothing listens on TCP; and a
 * program that holds connections to it open cannot delay the worker.
 *
 * <p>The worker JVMs here start paused ({@code -XX:+PauseAtStartup}) until the test deletes their
 * pause file: while they wait, the pool listens for them, and the test looks at (and attacks) what
 * it listens on, found on the worker's command line as any local program could.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerChannelTest extends ProcessPoolTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** The pool's {@code java.io.tmpdir} during a test: where its socket directories are made. */
  private Path tmp;

  private String savedTmp;
  private Path pause;

  @BeforeEach
  void ownTemporaryDirectory() throws IOException {
    tmp = Files.createDirectory(dir.resolve("tmp"));
    pause = dir.resolve("pause");
    savedTmp = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
  }

  @AfterEach
  void restoreTemporaryDirectory() throws Exception {
    System.setProperty("java.io.tmpdir", savedTmp);
    setTcpForTests(false);
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  private static List<Integer> plusOne(int n) {
    return IntStream.range(0, n).map(x -> x + 1).boxed().collect(Collectors.toList());
  }

  /** A pool of one worker whose JVM pauses at its start until {@link #pause} is deleted. */
  private Pool pausedPool() {
    return Pool.builder()
        .processes()
        .workers(1)
        .retries(0)
        .classDataSharing(false)
        .jvmOptions(
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:+PauseAtStartup",
            "-XX:PauseAtStartupFile=" + pause)
        .build();
  }

  /** Waits until the worker JVM is paused, before it connects; returns where it would connect. */
  private String pausedWorkerAddress() {
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> Files.exists(pause) && Children.workers().size() == 1);
    List<String> args = List.of(Children.workers().get(0).info().arguments().orElseThrow());
    return args.get(args.indexOf(Children.MAIN) + 1);
  }

  /**
   * Connects to what a worker's command line names, as another program of the same account could:
   * {@code unix:PATH}, {@code tcp:PORT}, or a bare port (before the channel was a Unix-domain
   * socket).
   */
  static Closeable connect(String address) throws IOException {
    if (address.startsWith("unix:")) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.connect(UnixDomainSocketAddress.of(address.substring(5)));
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      return channel;
    }
    int port = Integer.parseInt(address.startsWith("tcp:") ? address.substring(4) : address);
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }

  /** Keeps up to {@code n} connections to an address open, sending nothing, until closed. */
  private static final class Attacker implements AutoCloseable {
    final List<Closeable> held = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    Attacker(String address, int n) {
      thread =
          new Thread(
              () -> {
                while (!stop) {
                  if (held.size() < n) {
                    try {
                      held.add(connect(address));
                      continue;
                    } catch (IOException e) {
                      // refused, or the socket is gone: try again
                    }
                  }
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "attacker");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws Exception {
      stop = true;
      thread.join();
      for (Closeable c : held) {
        c.close();
      }
    }
  }

  private static void setTcpForTests(boolean tcp) throws ReflectiveOperationException {
    Field f = ProcessBackend.class.getDeclaredField("tcpForTests");
    f.setAccessible(true);
    f.setBoolean(null, tcp);
  }

  @ParameterizedTest(name = "over TCP: {0}")
  @ValueSource(booleans = {false, true})
  void connectionsThatSendNothingDoNotDelayAStartingWorker(boolean tcp) throws Exception {
    setTcpForTests(tcp);
    pool = pausedPool();
    String address = pausedWorkerAddress();
    try (Attacker attacker = new Attacker(address, 10)) {
      await().atMost(PATIENCE).until(() -> attacker.held.size() >= 10);
      Files.delete(pause);
      // each held connection cost the worker 5 s before the token check was concurrent
      List<Integer> results = pool.mapAsync(x -> x + 1, range(100)).get(30, TimeUnit.SECONDS);
      assertThat(results).isEqualTo(plusOne(100));
      assertThat(Internals.backend(pool).readyNanos()).hasSize(1);
    }
  }

  @Test
  void theChannelIsAUnixSocketInAnOwnerOnlyDirectoryGoneOnceTheWorkerConnected() throws Exception {
    pool = pausedPool();
    String address = pausedWorkerAddress();
    assertThat(address).startsWith("unix:");
    Path socket = Path.of(address.substring("unix:".length()));
    Path directory = socket.getParent();
    assertThat(directory.getParent()).isEqualTo(tmp);
    assertThat(Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    BasicFileAttributes attributes =
        Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    assertThat(attributes.isOther()).as("a socket").isTrue();

    Files.delete(pause);
    assertThat(pool.map(x -> x + 1, range(10))).isEqualTo(plusOne(10));
    assertThat(socket).doesNotExist();
    assertThat(directory).doesNotExist();
    assertThat(tmp).isEmptyDirectory();
    // nobody can connect any more
    assertThatThrownBy(() -> connect(address)).isInstanceOf(IOException.class);
  }

  /** Local addresses of the TCP sockets in LISTEN state among this JVM's open files. */
  static Set<String> tcpListenersOfThisJvm() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue; // closed meanwhile
        }
        if (target.startsWith("socket:[")) {
          inodes.add(target.substring("socket:[".length(), target.length() - 1));
        }
      }
    }
    Set<String> listening = new HashSet<>();
    for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.exists(path)) {
        continue;
      }
      List<String> lines = Files.readAllLines(path);
      for (String line : lines.subList(1, lines.size())) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        String[] f = line.trim().split("\\s+");
        if (f[3].equals("0A") && inodes.contains(f[9])) {
          listening.add(f[1]);
        }
      }
    }
    return listening;
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aStartingWorkerIsListenedForOnTcpOnlyInTheFallback() throws Exception {
    pool = pausedPool();
    assertThat(pausedWorkerAddress()).startsWith("unix:");
    assertThat(tcpListenersOfThisJvm()).isEmpty();
    Files.delete(pause);
    assertThat(pool.map(x -> x + 1, range(10))).isEqualTo(plusOne(10));
    pool.terminate();
    pool.join();

    // the check sees a listening socket when there is one: the fallback's
    setTcpForTests(true);
    Files.deleteIfExists(pause);
    pool = pausedPool();
    String address = pausedWorkerAddress();
    assertThat(address).startsWith("tcp:");
    int port = Integer.parseInt(address.substring(4));
    assertThat(tcpListenersOfThisJvm())
        .anySatisfy(local -> assertThat(local).endsWith(String.format(":%04X", port)));
    Files.delete(pause);
    assertThat(pool.map(x -> x + 1, range(10))).isEqualTo(plusOne(10));
    // and it stops listening once the worker connected
    assertThat(tcpListenersOfThisJvm()).isEmpty();
  }

  @Test
  void aPoolTerminatedWhileItsWorkerStartsLeavesNoSocketBehind() {
    pool = pausedPool();
    String address = pausedWorkerAddress();
    assertThat(Path.of(address.substring("unix:".length()))).exists();
    pool.terminate();
    pool.join();
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void aWorkerThatCannotStartLeavesNoSocketBehind() {
    pool =
        Pool.builder()
            .processes()
            .workers(1)
            .retries(1)
            .classDataSharing(false)
            .jvmOptions("-XX:+NoSuchOptionOfPool4j")
            .build();
    assertThatThrownBy(() -> pool.map(x -> x + 1, range(10)))
        .hasMessageContaining("could not start a worker process");
    assertThat(tmp).isEmptyDirectory();
  }
}
