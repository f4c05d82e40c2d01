package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * with this JVM's {@code java} and class path, on a port found free, in a cluster of a name of its
 * own (so that concurrent builds never meet), with a random secret of its own in an owner-only
 * file. {@link #close()} kills them all, waits, and deletes the secret files.
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

  /** The cluster secret, and the file that holds it (for the members). */
  final String secret = randomSecret();

  final Path secretFile;

  private final List<Path> files = new ArrayList<>();
  private final List<Member> members = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  /** A member JVM. */
  static final class Member {
    final Process process;
    final int port;

    /** Its address, {@code [127.0.0.1]:port}: the same for a member restarted on its port. */
    final String address;

    /** As the insights name it: the address and the instance, from its ready line. */
    volatile String name;

    private final StringBuilder output = new StringBuilder();

    Member(Process process, int port) {
      this.process = process;
      this.port = port;
      this.address = "[127.0.0.1]:" + port;
    }

    /** What the member printed so far. */
    String output() {
      synchronized (output) {
        return output.toString();
      }
    }
  }

  /** Reserves {@code n} free ports for members, before any starts, so every list names them. */
  TestCluster(int n) {
    for (int i = 0; i < n; i++) {
      ports.add(freePort());
    }
    secretFile = secretFile(secret);
  }

  /** A client pool's backend for this cluster, with its secret. */
  HazelcastBackend client() {
    return HazelcastBackend.client().clusterName(name).members(addresses()).secret(secret);
  }

  static String randomSecret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /** An owner-only file that holds {@code secret}, deleted by {@link #close()}. */
  synchronized Path secretFile(String secret) {
    try {
      Path file =
          Files.createTempFile(
              "pool4j-test-secret",
              "",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, secret + "\n");
      files.add(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
    return start(workers, secretFile);
  }

  /** Starts a member with the secret in this file (another cluster's, say). */
  synchronized Member start(int workers, Path secret) {
    return launch(ports.get(taken++), workers, secret, System.getProperty("java.class.path"));
  }

  /**
   * Starts a member again on the port of one that was killed: the same address, another instance.
   */
  synchronized Member restart(Member dead, int workers) throws InterruptedException {
    assertThat(dead.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return launch(dead.port, workers, secretFile, System.getProperty("java.class.path"));
  }

  /**
   * Starts a member on the next reserved port whose class path lacks the test classes: a member
   * without the application's classes (the tests' lambdas and task classes).
   */
  synchronized Member startWithoutTestClasses(int workers) {
    String testClasses;
    try {
      testClasses =
          Paths.get(TestCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    String classPath =
        Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .filter(entry -> !Paths.get(entry).toAbsolutePath().toString().equals(testClasses))
            .collect(Collectors.joining(java.io.File.pathSeparator));
    assertThat(classPath).isNotEqualTo(System.getProperty("java.class.path"));
    return launch(ports.get(taken++), workers, secretFile, classPath);
  }

  private Member launch(int port, int workers, Path secret, String classPath) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(PROPERTIES);
    command.add("-cp");
    command.add(classPath);
    command.add(Worker.class.getName());
    command.addAll(
        List.of(
            "--cluster", name,
            "--members", memberList(),
            "--port", Integer.toString(port),
            "--secret-file", secret.toString(),
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
    StringBuilder output = member.output;
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
    int from = line.indexOf("member ") + "member ".length();
    member.name = line.substring(from, line.indexOf(" of cluster ", from));
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
    for (Path f : files) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
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
