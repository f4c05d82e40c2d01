package dev.pool4j.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.pool4j.Pool;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The worker command: starts a Hazelcast member that only does pool work, for the pools of its
 * cluster ({@link HazelcastBackend#embedded()} or {@link HazelcastBackend#client()}) that share its
 * cluster secret.
 *
 * <pre>
 * export POOL4J_CLUSTER_SECRET=...   # or --secret-file FILE
 * java -cp &lt;your app&gt; dev.pool4j.hazelcast.Worker --cluster NAME --members host1,host2
 *      [--network ADDRESS|CIDR|INTERFACE] [--workers N] [--port P] [--secret-file FILE]
 * </pre>
 *
 * <ul>
 *   <li>{@code --cluster}: the cluster's name (default {@code pool4j});
 *   <li>{@code --members}: the TCP/IP member list to join, {@code host} or {@code host:port}
 *       (default {@code 127.0.0.1}, or the {@code --network} address); no multicast;
 *   <li>{@code --network}: opens the member to a network, as {@link
 *       HazelcastBackend#network(String)}: an address of this machine, a network in CIDR notation
 *       ({@code 10.0.0.0/24}), an interface name ({@code eth0}), or {@code 0.0.0.0} for every
 *       interface. Default: it listens on 127.0.0.1 only, and only this machine reaches it. {@code
 *       --bind ADDRESS} is an older name of it;
 *   <li>{@code --secret-file}: the file that holds the cluster secret, refused unless only its
 *       owner may read or write it (see {@link HazelcastBackend#secretFile}); else the environment
 *       variable {@code POOL4J_CLUSTER_SECRET}. One of them is required: the member opens only
 *       chunks sealed with that secret, and says so (a warning naming these settings) when it
 *       refuses one;
 *   <li>{@code --workers}: how many chunks it runs at once (default: its processor count);
 *   <li>{@code --port}: its port, taken exactly (default: 5701 or the next free one).
 * </ul>
 *
 * <p>The class path must hold the application's classes (the tasks, inputs and results) and
 * pool4j's. It prints one line, {@code pool4j worker ready: member [host]:port/instance of cluster
 * NAME, N workers} (the member as the pools' insights name it: its address and the first 8 hex
 * digits of its instance's UUID), and runs until it is stopped (a signal: Hazelcast's shutdown hook
 * leaves the cluster). Hazelcast logs only warnings and errors, through {@code java.util.logging},
 * unless the {@code hazelcast.logging.type} system property or a {@code com.hazelcast} level in the
 * logging configuration says otherwise. Unless it is set, the command sets the common fork-join
 * pool's parallelism to at least 2 (see {@link HazelcastBackend} on speed).
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

  static final String USAGE =
      "usage: java -cp <your app> dev.pool4j.hazelcast.Worker --cluster NAME --members host1,host2"
          + " [--network ADDRESS|CIDR|INTERFACE] [--workers N] [--port P] [--secret-file FILE]"
          + " (or the environment variable "
          + ClusterSecret.ENV
          + " for the secret)";

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
    String bind;
    try {
      options = Options.parse(args, System::getenv);
      if (options.members != null) {
        options.network.checkMembers(options.members, "--members", "--network");
      }
      bind = options.network.resolve();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("pool4j worker: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Members.quietLogging();
    HazelcastInstance member = start(options, bind);
    Thread warmUp = CipherWarmUp.JVM.start("pool4j-worker-warm-up");
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
            + Members.name(member.getCluster().getLocalMember())
            + " of cluster "
            + options.cluster
            + ", "
            + options.workers
            + " workers");
    out.flush();
    try {
      if (member.getLifecycleService().isRunning()) {
        down.await();
      }
    } finally {
      CipherWarmUp.stop(warmUp);
    }
  }

  /** Starts a member that does pool work, as the command does, listening on {@code bind}. */
  static HazelcastInstance start(Options options, String bind) {
    return Hazelcast.newHazelcastInstance(config(options, bind));
  }

  /**
   * The member's configuration; {@code bind} is the resolved {@code --network}, or null for any.
   */
  static Config config(Options options, String bind) {
    return Members.config(
        options.cluster,
        options.members != null ? options.members : List.of(bind != null ? bind : "127.0.0.1"),
        bind,
        options.port > 0 ? options.port : Members.DEFAULT_PORT,
        options.port <= 0,
        options.workers,
        options.secret.seal());
  }

  /** The command line. */
  static final class Options {
    String cluster = Members.DEFAULT_CLUSTER;

    /** Null: the network's address (127.0.0.1 by default). */
    List<String> members;

    int workers = Pool.cpuCount();
    int port = -1;
    Network network = Network.LOOPBACK;
    private boolean networkSet;
    ClusterSecret secret;

    /**
     * Reads the command line; the secret from {@code --secret-file}, else from the environment.
     *
     * @throws IllegalArgumentException saying what is wrong, and how to give a secret if none is
     */
    static Options parse(String[] args, Function<String, String> env) {
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
          case "--network":
          case "--bind":
            if (o.networkSet) {
              throw new IllegalArgumentException("--network (or --bind) was given twice");
            }
            o.network = Network.parse(value, flag);
            o.networkSet = true;
            break;
          case "--secret-file":
            if (o.secret != null) {
              throw new IllegalArgumentException("--secret-file was given twice");
            }
            o.secret = ClusterSecret.fromFile(Path.of(value), "--secret-file");
            break;
          default:
            throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      if (o.secret == null) {
        o.secret = ClusterSecret.fromEnvironment(env);
      }
      if (o.secret == null) {
        throw new IllegalArgumentException(
            "no cluster secret: give the pools' secret with --secret-file FILE or the environment"
                + " variable "
                + ClusterSecret.ENV
                + " (a member without it could do no work for them)");
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
      throw new IllegalArgumentException(
          flag + " needs a whole number >= " + min + ", was " + value);
    }
  }
}
