package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * A cluster of member JVMs on 127.0.0.1 for one test class: each runs the {@link Worker} command
 * with this JVM's {@code java} and class path, on a port found free, in a cluster of a name of
 * its own (so that concurrent builds never meet). {@link #close()} kills them all and waits.
 */
final class TestCluster implements AutoCloseable {

  /** What the member JVMs get, as the test JVM has (see the module's surefire settings). */
  static final List<String> PROPERTIES =
      Stream.concat(
              Stream.of(
                  "-Dhazelcast.logging.type=none",
                  "-Dhazelcast.phone.home.enabled=false",
                  "-Dhazelcast.wait.seconds.before.join=1",
                  "-Dhazelcast.heartbeat.interval.seconds=1",
                  "-Dhazelcast.max.no.heartbeat.seconds=5",
                  "-XX:+UseSerialGC"),
              Worker.JDK_OPTIONS.stream())
          .collect(Collectors.toUnmodifiableList());

  final String name = "pool4j-test-" + UUID.randomUUID();
  private final List<Member> members = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  /** A member JVM. */
  static final class Member {
    final Process process;
    final int port;
    /** As the insights name it. */
    final String address;

    Member(Process process, int port) {
      this.process = process;
      this.port = port;
      this.address = "[127.0.0.1]:" + port;
    }
  }

  /** Reserves {@code n} free ports for members, before any starts, so every list names them. */
  TestCluster(int n) {
    for (int i = 0; i < n; i++) {
      ports.add(freePort());
    }
  }

  /** The member list: every reserved port on 127.0.0.1. */
  String memberList() {
    return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  String[] addresses() {
    return ports.stream().map(p -> "127.0.0.1:" + p).toArray(String[]::new);
  }

  /** The next reserved port not yet used: the port of an embedded member the test starts. */
  synchronized int takePort() {
    return ports.get(taken++);
  }

  /** Reserved ports used so far, by members or by {@link #takePort()}. */
  private int taken;

  /** Starts the member on the next reserved port and waits until it says it is ready. */
  synchronized Member start(int workers) {
    int port = ports.get(taken++);
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(PROPERTIES);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Worker.class.getName());
    command.addAll(
        List.of(
            "--cluster", name,
            "--members", memberList(),
            "--bind", "127.0.0.1",
            "--port", Integer.toString(port),
            "--workers", Integer.toString(workers)));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Member member = new Member(process, port);
    members.add(member);
    BlockingQueue<String> ready = new ArrayBlockingQueue<>(1);
    StringBuilder output = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  synchronized (output) {
                    output.append(line).append('\n');
                  }
                  if (line.startsWith("pool4j worker ready")) {
                    ready.offer(line);
                  }
                }
              } catch (IOException e) {
                // the process was killed
              }
            },
            "member-" + port + "-output");
    reader.setDaemon(true);
    reader.start();
    String line;
    try {
      line = ready.poll(90, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (line == null) {
      process.destroyForcibly();
      synchronized (output) {
        throw new IllegalStateException("member on port " + port + " did not start:\n" + output);
      }
    }
    assertThat(line).contains(member.address).contains(name);
    return member;
  }

  /** Kills a member at once (SIGKILL, as {@code kill -9}) and waits until it is gone. */
  static void kill(Member member) throws InterruptedException {
    member.process.destroyForcibly();
    member.process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void close() throws InterruptedException {
    for (Member m : members) {
      m.process.destroyForcibly();
    }
    for (Member m : members) {
      assertThat(m.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a port on 127.0.0.1 can be listened on again. */
  static boolean portIsFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The one Awaitility entry point: fast polling, a generous limit. */
  static ConditionFactory await() {
    return Awaitility.await()
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(20))
        .pollDelay(Duration.ZERO)
        .atMost(Duration.ofSeconds(60));
  }
}
