package dev.pool4j.benchmarks.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Hazelcast cluster of member JVMs on 127.0.0.1, each running pool4j's {@code Worker} command
 * with one worker, on ports found free and under a cluster name of its own. {@link #close()}
 * kills them and waits.
 */
final class LoopbackCluster implements AutoCloseable {

  /** What Hazelcast member and client JVMs get: quiet, quick to notice a member gone. */
  static final List<String> HAZELCAST_FLAGS =
      List.of(
          "-Dhazelcast.logging.type=none",
          "-Dhazelcast.phone.home.enabled=false",
          "-Dhazelcast.wait.seconds.before.join=1",
          "-Dhazelcast.heartbeat.interval.seconds=1",
          "-Dhazelcast.max.no.heartbeat.seconds=5",
          "--add-modules",
          "java.se",
          "--add-exports",
          "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang=ALL-UNNAMED",
          "--add-opens",
          "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens",
          "java.management/sun.management=ALL-UNNAMED",
          "--add-opens",
          "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  final String name = "pool4j-compare-" + UUID.randomUUID();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> members = new ArrayList<>();

  /** Starts {@code n} members of one worker each and waits until every one says it is ready. */
  LoopbackCluster(int n, String java, String classPath) throws IOException, InterruptedException {
    for (int i = 0; i < n; i++) {
      ports.add(freePort());
    }
    List<CompletableFuture<String>> ready = new ArrayList<>();
    for (int port : ports) {
      List<String> command = new ArrayList<>();
      command.add(java);
      command.add("-Xmx512m");
      command.addAll(HAZELCAST_FLAGS);
      command.add("-cp");
      command.add(classPath);
      command.add("dev.pool4j.hazelcast.Worker");
      command.addAll(
          List.of(
              "--cluster", name,
              "--members", members(),
              "--bind", "127.0.0.1",
              "--port", Integer.toString(port),
              "--workers", "1"));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      members.add(p);
      Compare.LIVE.add(p);
      p.onExit().thenRun(() -> Compare.LIVE.remove(p));
      CompletableFuture<String> up = new CompletableFuture<>();
      ready.add(up);
      Thread reader =
          new Thread(
              () -> {
                StringBuilder seen = new StringBuilder();
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("pool4j worker ready")) {
                      up.complete(line);
                    } else if (!up.isDone()) {
                      seen.append(line).append('\n');
                    }
                  }
                } catch (IOException e) {
                  // the member was killed
                }
                up.completeExceptionally(new IllegalStateException("member exited:\n" + seen));
              },
              "member-" + port);
      reader.setDaemon(true);
      reader.start();
    }
    try {
      for (CompletableFuture<String> up : ready) {
        up.get(120, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      close();
      throw new IllegalStateException("the loopback cluster did not start: " + e, e);
    }
  }

  /** The member list, {@code 127.0.0.1:port,...}. */
  String members() {
    return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : members) {
      p.destroyForcibly();
    }
    for (Process p : members) {
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
