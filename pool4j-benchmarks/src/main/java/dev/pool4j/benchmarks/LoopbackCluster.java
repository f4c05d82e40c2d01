package dev.pool4j.benchmarks;

import dev.pool4j.Pool;
import dev.pool4j.hazelcast.HazelcastBackend;
import dev.pool4j.hazelcast.Worker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Hazelcast cluster of member JVMs on 127.0.0.1, each running the {@link Worker} command with
 * this JVM's {@code java} and class path, in a cluster of a fresh name (so that two runs never
 * meet), with a fresh random secret in an owner-only temporary file ({@link #secretFile()}: give it
 * to the pools that use the cluster). {@link #close()} stops them, waits until they are gone, and
 * deletes the file; a shutdown hook kills any left if this JVM exits first (not if it is killed
 * with SIGKILL: then {@code ps} tells).
 */
public final class LoopbackCluster implements AutoCloseable {

  /**
   * What Hazelcast wants from the JDK, and quick membership settings for a loopback cluster: for
   * the members, and for a JVM whose pool joins them as a client.
   */
  public static final List<String> JVM_OPTIONS =
      Stream.concat(
              Stream.of(
                  "-Dhazelcast.logging.type=none",
                  "-Dhazelcast.phone.home.enabled=false",
                  "-Dhazelcast.wait.seconds.before.join=1",
                  "-Dhazelcast.heartbeat.interval.seconds=1",
                  "-Dhazelcast.max.no.heartbeat.seconds=5"),
              Worker.JDK_OPTIONS.stream())
          .collect(Collectors.toUnmodifiableList());

  /** The cluster's name, fresh for each cluster. */
  public final String name = "pool4j-bench-" + UUID.randomUUID();

  /** The file that holds the cluster's secret, owner-only; deleted by {@link #close()}. */
  private final Path secretFile;

  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> members = new ArrayList<>();
  private final Thread killer = new Thread(this::killAll, "loopback-cluster-killer");

  /**
   * Starts {@code n} members of {@code workers} workers each, and returns when every one has said
   * it is ready.
   */
  public LoopbackCluster(int n, int workers) {
    for (int i = 0; i < n; i++) {
      ports.add(freePort());
    }
    secretFile = writeSecret();
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      List<CompletableFuture<String>> ready = new ArrayList<>();
      for (int port : ports) {
        ready.add(start(port, workers));
      }
      for (int i = 0; i < n; i++) {
        ready.get(i).get(120, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      close();
      throw new IllegalStateException("a cluster member did not start", e);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A pool whose chunks run on this cluster's members, reached as a client. */
  public Pool clientPool() {
    return clientPool(0);
  }

  /**
   * A pool whose chunks run on this cluster's members, reached as a client; with {@code workers >
   * 0}, built with {@code workers(workers)}: at most that many chunks on the members at once, none
   * queued ahead.
   */
  public Pool clientPool(int workers) {
    Pool.Builder builder =
        Pool.builder()
            .backend(
                HazelcastBackend.client()
                    .clusterName(name)
                    .members(addresses())
                    .secretFile(secretFile()));
    return (workers > 0 ? builder.workers(workers) : builder).build();
  }

  /**
   * The system property whose value, split at spaces, is added to every member's JVM options (a
   * flight recording, say): {@code -Dpool4j.bench.memberJvmOptions="..."}; {@code {port}} in it
   * becomes the member's port (a recording's file name of its own: JDK 17 expands no {@code %p}).
   */
  public static final String MEMBER_JVM_OPTIONS = "pool4j.bench.memberJvmOptions";

  /** The file that holds the cluster's secret: {@code HazelcastBackend.secretFile(...)}. */
  public Path secretFile() {
    return secretFile;
  }

  private static Path writeSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    try {
      Path file =
          Files.createTempFile(
              "pool4j-bench-secret",
              "",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The members' addresses, {@code 127.0.0.1:port}. */
  public String[] addresses() {
    return ports.stream().map(p -> "127.0.0.1:" + p).toArray(String[]::new);
  }

  /** The member list as the worker command takes it: {@code 127.0.0.1:port,...}. */
  public String members() {
    return String.join(",", addresses());
  }

  private CompletableFuture<String> start(int port, int workers) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(JVM_OPTIONS);
    String extra =
        System.getProperty(MEMBER_JVM_OPTIONS, "").trim().replace("{port}", Integer.toString(port));
    if (!extra.isEmpty()) {
      command.addAll(Arrays.asList(extra.split("\\s+")));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Worker.class.getName());
    command.add("--cluster");
    command.add(name);
    command.add("--members");
    command.add(members());
    command.add("--secret-file");
    command.add(secretFile.toString());
    command.add("--port");
    command.add(Integer.toString(port));
    command.add("--workers");
    command.add(Integer.toString(workers));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (members) {
      members.add(process);
    }
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              // Reads to the end, so that a member never blocks on a full pipe.
              StringBuilder output = new StringBuilder();
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  if (!ready.isDone()) {
                    output.append(line).append('\n');
                  }
                  if (line.startsWith("pool4j worker ready")) {
                    ready.complete(line);
                  }
                }
              } catch (IOException e) {
                // the member was stopped
              }
              ready.completeExceptionally(
                  new IllegalStateException(
                      "member on port " + port + " exited before it was ready:\n" + output));
            },
            "member-" + port + "-output");
    reader.setDaemon(true);
    reader.start();
    return ready;
  }

  /** Stops every member (SIGTERM, then SIGKILL after 20 s) and waits until it is gone. */
  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs killAll again, harmlessly
    }
  }

  private void killAll() {
    List<Process> all;
    synchronized (members) {
      all = new ArrayList<>(members);
    }
    for (Process p : all) {
      p.destroy();
    }
    try {
      Files.deleteIfExists(secretFile);
    } catch (IOException e) {
      // a temporary file; the members have read it
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(20, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
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
