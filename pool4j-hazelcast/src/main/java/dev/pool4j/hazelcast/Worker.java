package dev.pool4j.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.pool4j.Pool;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker command: starts a Hazelcast member that only does pool work, for the pools of its
 * cluster ({@link HazelcastBackend#embedded()} or {@link HazelcastBackend#client()}).
 *
 * <pre>
 * java -cp &lt;your app&gt; dev.pool4j.hazelcast.Worker --cluster NAME --members host1,host2
 *      [--workers N] [--port P] [--bind ADDRESS]
 * </pre>
 *
 * <ul>
 *   <li>{@code --cluster}: the cluster's name (default {@code pool4j});
 *   <li>{@code --members}: the TCP/IP member list to join, {@code host} or {@code host:port}
 *       (default {@code 127.0.0.1}); no multicast;
 *   <li>{@code --workers}: how many chunks it runs at once (default: its processor count);
 *   <li>{@code --port}: its port, taken exactly (default: 5701 or the next free one);
 *   <li>{@code --bind}: the only address to listen on (default: every interface).
 * </ul>
 *
 * <p>The class path must hold the application's classes (the tasks, inputs and results) and
 * pool4j's. It prints one line, {@code pool4j worker ready: member [host]:port of cluster NAME,
 * N workers}, and runs until it is stopped (a signal: Hazelcast's shutdown hook leaves the
 * cluster). Hazelcast logs through {@code java.util.logging} at WARNING unless the {@code
 * hazelcast.logging.type} system property says otherwise. Unless it is set, the command sets the
 * common fork-join pool's parallelism to at least 2 (see {@link HazelcastBackend} on speed).
 */
public final class Worker {

  /**
   * The JDK options Hazelcast wants in a JVM that hosts a member (this command's, or an embedded
   * pool's), so that it reaches the JDK internals it uses without warnings: {@code --add-modules
   * java.se} and the exports and opens its documentation lists.
   */
  public static final List<String> JDK_OPTIONS =
      List.of(
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

  /** The JDK's setting of the common pool's parallelism. */
  static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /** Keeps the logger, and so its level, from being collected. */
  private static Logger hazelcastLogger;

  private Worker() {}

  /**
   * Starts the member and waits until it shuts down.
   *
   * @param args see the class notes
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty(COMMON_PARALLELISM) == null) {
      // before any class touches the common pool: see HazelcastBackend's note on callbacks
      System.setProperty(
          COMMON_PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
    PrintStream out = System.out;
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("pool4j worker: " + e.getMessage());
      System.err.println(
          "usage: java -cp <your app> dev.pool4j.hazelcast.Worker --cluster NAME"
              + " --members host1,host2 [--workers N] [--port P] [--bind ADDRESS]");
      System.exit(2);
      return;
    }
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "jdk");
      hazelcastLogger = Logger.getLogger("com.hazelcast");
      hazelcastLogger.setLevel(Level.WARNING);
    }
    HazelcastInstance member = start(options);
    CountDownLatch down = new CountDownLatch(1);
    member
        .getLifecycleService()
        .addLifecycleListener(
            event -> {
              if (event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                down.countDown();
              }
            });
    out.println(
        "pool4j worker ready: member "
            + member.getCluster().getLocalMember().getAddress()
            + " of cluster "
            + options.cluster
            + ", "
            + options.workers
            + " workers");
    out.flush();
    if (member.getLifecycleService().isRunning()) {
      down.await();
    }
  }

  /** Starts a member that does pool work, as the command does; for tests and embedding. */
  static HazelcastInstance start(Options options) {
    Config config =
        Members.config(
            options.cluster,
            options.members,
            options.bind,
            options.port > 0 ? options.port : Members.DEFAULT_PORT,
            options.port <= 0,
            options.workers);
    return Hazelcast.newHazelcastInstance(config);
  }

  /** The command line. */
  static final class Options {
    String cluster = Members.DEFAULT_CLUSTER;
    List<String> members = List.of("127.0.0.1");
    int workers = Pool.cpuCount();
    int port = -1;
    String bind;

    static Options parse(String[] args) {
      Options o = new Options();
      List<String> rest = new ArrayList<>(Arrays.asList(args));
      while (!rest.isEmpty()) {
        String flag = rest.remove(0);
        if (rest.isEmpty()) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = rest.remove(0);
        switch (flag) {
          case "--cluster":
            o.cluster = value;
            break;
          case "--members":
            o.members = List.of(value.split(","));
            break;
          case "--workers":
            o.workers = number(flag, value, 1);
            break;
          case "--port":
            o.port = number(flag, value, 1);
            break;
          case "--bind":
            o.bind = value;
            break;
          default:
            throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      return o;
    }

    private static int number(String flag, String value, int min) {
      try {
        int n = Integer.parseInt(value);
        if (n >= min) {
          return n;
        }
      } catch (NumberFormatException e) {
        // the message below says what was expected
      }
      throw new IllegalArgumentException(flag + " needs a whole number >= " + min + ", was " + value);
    }
  }
}
