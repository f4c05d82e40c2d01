package dev.pool4j.hazelcast;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import dev.pool4j.Pool;
import dev.pool4j.spi.ChunkJob;
import dev.pool4j.spi.PoolBackend;
import java.lang.System.Logger.Level;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Runs a {@link Pool}'s chunks on the members of a Hazelcast cluster: the same pool, with the same
 * calls, ordering, failures and progress, on as many machines as join.
 *
 * <pre>{@code
 * // 1. embedded: this JVM becomes a member, on 127.0.0.1 only, and works; Workers on this
 * //    machine given the same secret join and help
 * try (Pool pool = Pool.builder().backend(HazelcastBackend.embedded()).build()) {
 *   List<Integer> squares = pool.map(x -> x * x, inputs);
 * }
 *
 * // 2. a client of an existing cluster, whose members run the worker command
 * Pool pool = Pool.builder()
 *     .backend(HazelcastBackend.client().clusterName("render").members("10.0.0.7", "10.0.0.8")
 *         .secretFile(Path.of("/etc/pool4j/secret")))
 *     .build();
 *
 * // 3. the worker command, on each machine that should work (same class path as the app):
 * //    java -cp app.jar dev.pool4j.hazelcast.Worker --cluster render --members 10.0.0.7,10.0.0.8
 * //        --network 10.0.0.0/24 --secret-file /etc/pool4j/secret
 * }</pre>
 *
 * <h2>Security</h2>
 *
 * <p>Hazelcast's community edition has no TLS and no member authentication: whoever reaches a
 * member's port can join its cluster. pool4j brings its own protection for its own work:
 *
 * <ul>
 *   <li><b>Loopback unless opened.</b> An embedded member and a {@link Worker} listen on 127.0.0.1
 *       only; {@link #network(String)} (the Worker's {@code --network}) opens one to a network, and
 *       nothing else does.
 *   <li><b>A cluster secret.</b> Every chunk (task and inputs) and every reply (results or
 *       exception) is sealed with AES-256-GCM under a key derived from the secret ({@link
 *       #secret(String)}, {@link #secretFile(Path)}, the environment variable {@code
 *       POOL4J_CLUSTER_SECRET}), bound to its direction and to a fresh id per sending. A member
 *       opens a chunk, and deserializes anything of it, only when its seal verifies; it refuses
 *       others and says why. The pool accepts a result only when its seal verifies; a member whose
 *       reply does not verify, or that refuses, is taken out of this pool's rotation and its chunks
 *       run elsewhere (with a warning through {@link System.Logger} {@code dev.pool4j.hazelcast});
 *       when every member refuses, the call fails saying so. An embedded pool given no secret makes
 *       a random one: then no other JVM can work for it.
 *   <li><b>No Java serialization at Hazelcast's layer.</b> Hazelcast carries only {@link ChunkTask}
 *       and byte arrays; the members and clients pool4j configures refuse every class to
 *       Hazelcast's own Java deserialization (its {@code JavaSerializationFilterConfig}).
 * </ul>
 *
 * <p><b>Not protected:</b> Hazelcast's own data structures and membership. A stranger that reaches
 * an open member can still join the Hazelcast cluster, see the members and their attributes, use
 * Hazelcast's maps and queues, and cause load (it can be sent chunks it cannot read, and send
 * members chunks they refuse); it cannot read pool work or forge its results. Keep the network
 * closed (the default) unless the machines on it are trusted to that extent.
 *
 * <h2>How work is spread</h2>
 *
 * <p>A member does pool work when it carries the attribute {@code pool4j.workers} (its number of
 * local workers, by default its processor count) and the executor service {@code pool4j} sized to
 * them: the embedded member and the {@link Worker} command set both. Each chunk goes through that
 * executor service to one member, the one with the most free workers as this pool counts them (its
 * workers times two, less the chunks this pool has running or queued there: one queued chunk per
 * worker hides the round trip; times eight while chunks take under 2 ms, such as a fixed chunk size
 * of 1, where the round trip is most of a chunk's time: the pool's depth policy, {@link
 * ChunkJob#queueDepth()}). When every member is full, the pool's dispatcher waits, which holds back
 * the reading of the input. Members that join during a call take chunks as soon as the pool sees
 * them.
 *
 * <h2>Members that leave</h2>
 *
 * <p>When a member leaves or dies (even {@code kill -9}), every chunk this pool had on it is handed
 * back to the pool, which runs it again on another member ({@link Pool.Builder#retries(int)},
 * default 1; after that the call fails at the chunk's index with a {@link
 * dev.pool4j.WorkerDiedException}). A chunk's result is delivered once even if the member that was
 * given up answers late. A member whose invocation failed is not given new chunks until it leaves
 * the cluster or ten seconds have passed. When no member that does pool work is left, a chunk waits
 * {@link #memberTimeout} for one, then fails its call with the {@link Worker} command that starts
 * one. The insights ({@link dev.pool4j.Results#insights()}) name a member by its address and its
 * instance ({@code [10.0.0.7]:5701/3f2a1b2c}: the first 8 hex digits of its UUID): a member
 * restarted on the same address is a row of its own.
 *
 * <p>Through {@link System.Logger} {@code dev.pool4j.hazelcast}: a member that joins is logged at
 * INFO, with the workers it gives to pool work; one that did pool work and leaves at WARNING (its
 * chunks run again, as after a worker's death), else at INFO.
 *
 * <h2>Serialization</h2>
 *
 * <p>Tasks, inputs, results and exceptions travel as they do to worker processes: Java
 * serialization (plain values without it), sealed, inside a small {@link ChunkTask}. A task that
 * cannot be serialized is refused when the call is made. Every member needs the application's
 * classes on its class path. A member that lacks a class of a call's task or inputs says which (a
 * sealed reply); it is taken out of the rotation for that call, with a warning through {@link
 * System.Logger} {@code dev.pool4j.hazelcast} naming the member and the class (once per member and
 * class), and the chunk runs on another member without spending a retry. Later calls try it again.
 * The call fails only when no member that does pool work can run it, with an {@link
 * IllegalStateException} naming the class and every member. A class missing on the pool's side (a
 * result's) fails the call as on worker processes.
 *
 * <p>The task travels with every chunk, and a member's executor thread deserializes it only once:
 * it keeps the last 8 tasks it read, by their exact bytes and class loader, after each chunk's seal
 * verified ({@link PoolBackend#runMessage(byte[], String)}). The object is that thread's alone, as
 * a worker process's task is that process's: what the task changes in its own fields stays with the
 * thread's later chunks.
 *
 * <h2>Building</h2>
 *
 * <p>{@link Pool.Builder#build()} waits for a cluster that can work, at most {@link
 * #connectTimeout} (default {@value #DEFAULT_CONNECT_SECONDS} seconds): a client for a connection,
 * and then a member that does pool work. It fails with an {@link IllegalStateException} that names
 * the addresses tried, the cluster and the timeout when no member answers; and, when no member does
 * pool work, the {@link Worker} command that starts one, with this cluster's name, its members and
 * the secret file. {@link Pool#workers()} is the workers of the members that do pool work when the
 * build ends; or, when the builder's {@code workers(n)} is set, {@code n}: the pool then keeps at
 * most {@code n} chunks on the members at once, each running, none queued ahead (as a pool of
 * {@code n} threads would; the cluster's other workers are left to other pools). Without it chunks
 * are queued ahead on the members, a few per worker, to hide the round trip.
 *
 * <h2>Speed</h2>
 *
 * <p>Hazelcast completes each executor-service future through the common fork-join pool, or, when
 * its parallelism is 1 (JVMs with two processors or fewer), on a new thread per completion: a few
 * hundred microseconds per chunk. On such machines start the JVM that runs the pool with {@code
 * -Djava.util.concurrent.ForkJoinPool.common.parallelism=2} (the {@link Worker} command sets it for
 * itself); on a loopback member with chunk size 1 it cut the cost per item from about 300 to 40
 * microseconds. Adaptive chunks (the default) make the cost per chunk small per item anyway.
 *
 * <h2>Lifetime</h2>
 *
 * <p>An embedded member is shut down, and a client disconnected, when the pool's workers exit:
 * after {@code close()} and the last call, or {@code terminate()}; {@code join()} returns after
 * that. {@code terminate()} cancels this pool's chunks on the members: the member interrupts the
 * thread that runs the task, as a thread pool does (a task that ignores interrupts runs on there,
 * its result dropped). A backend object serves one pool.
 *
 * <p><b>Not thread safe</b> while it is configured; {@link Pool.Builder#build()} starts it.
 */
public final class HazelcastBackend implements PoolBackend {

  private enum Mode {
    EMBEDDED,
    CLIENT
  }

  private static final Duration DEFAULT_MEMBER_TIMEOUT = Duration.ofSeconds(60);

  /** How long {@code build()} waits for a cluster that can work, unless told otherwise. */
  static final int DEFAULT_CONNECT_SECONDS = 10;

  private static final long SUSPECT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Mode mode;
  private final Config memberConfig;
  private final ClientConfig clientConfig;
  private String clusterName;
  private List<String> members;
  private Network network;
  private ClusterSecret secret;

  /** Where POOL4J_CLUSTER_SECRET is read: the process environment; a map in tests. */
  Function<String, String> environment = System::getenv;

  private int port = -1;
  private int localWorkers = -1;
  private Duration memberTimeout;

  /** Set by {@link #connectTimeout}; null: the default. */
  private Duration connectTimeout;

  // --- once started ---
  private volatile HazelcastInstance instance;

  /** Seals the chunks and opens the replies; set by start(). */
  private Seal seal;

  /** The cipher's warm-up this backend takes part in: the JVM's; another in tests. */
  CipherWarmUp warmUp = CipherWarmUp.JVM;

  /** This backend's share of the warm-up, started by start() and stopped by close(); or null. */
  private volatile Thread warmUpThread;

  /**
   * The secret {@link #seal} is keyed by, for the messages that print the worker command; set by
   * start().
   */
  private ClusterSecret startedSecret;

  /** The cluster's name, for the messages; set by start(). */
  private String startedCluster;

  private static final System.Logger LOG = System.getLogger("dev.pool4j.hazelcast");

  /**
   * The thread that reads the members' replies and reports them to the pool, off Hazelcast's
   * threads; started by start(), stopped by close() after the instance is down.
   */
  private ExecutorService results;

  private IExecutorService executor;
  private UUID listener;

  private final ReentrantLock lock = new ReentrantLock();

  /**
   * Signalled by every event that changes what {@link #awaitPoolWork} and {@link #reserve} wait
   * for: a chunk ends or is handed back (its place is free), a member joins or leaves, the member
   * list first comes (a client's may come after the listener was added), terminate and close. The
   * waits are timed only by a deadline (the connect or member timeout, the end of a member's
   * suspicion), never by a periodic look.
   */
  private final Condition changed = lock.newCondition();

  /** How many times a wait on {@link #changed} has ended; under lock. For tests. */
  @GuardedBy("lock")
  private long wakeUps;

  /** Per member: this pool's chunks there; under lock. */
  @GuardedBy("lock")
  private final Map<UUID, Slot> slots = new HashMap<>();

  /**
   * What {@link Pool.Builder#workers(int)} set, or 0: then this pool keeps at most that many chunks
   * on the members at once, none queued behind another; under lock.
   */
  @GuardedBy("lock")
  private int maxRunning;

  /** Every chunk sent and not yet settled, and where; under lock. */
  @GuardedBy("lock")
  private final Map<ChunkJob, Slot> running = new IdentityHashMap<>();

  /**
   * The executor's future of each chunk of {@link #running} that has one yet, for {@link
   * #terminate()} to cancel, which interrupts the member's thread; under lock.
   */
  @GuardedBy("lock")
  private final Map<ChunkJob, Future<?>> futures = new IdentityHashMap<>();

  /**
   * Chunks of {@link #running} whose outcome is being reported now ({@link #settle}); under lock.
   */
  @GuardedBy("lock")
  private final Set<ChunkJob> reporting = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Lifecycle, under lock: NEW -> STARTED -> (TERMINATING) -> CLOSED. */
  @GuardedBy("lock")
  private boolean started;

  @GuardedBy("lock")
  private boolean terminating;

  @GuardedBy("lock")
  private boolean closed;

  private HazelcastBackend(Mode mode, Config memberConfig, ClientConfig clientConfig) {
    this.mode = mode;
    this.memberConfig = memberConfig;
    this.clientConfig = clientConfig;
  }

  /**
   * A pool that starts a Hazelcast member in this JVM and runs its chunks there, and on every
   * member that joins it with the same secret. With no setting: cluster {@code pool4j}, listening
   * on 127.0.0.1 only (open it with {@link #network(String)}), TCP/IP join with the member list
   * {@code 127.0.0.1} (other members on this machine), port 5701 or the next free one, {@link
   * Pool#cpuCount()} local workers, the secret of {@code POOL4J_CLUSTER_SECRET} or else a random
   * one. Hazelcast logs only warnings and errors unless its logging was configured ({@code
   * hazelcast.logging.type}, or a {@code com.hazelcast} level for {@code java.util.logging});
   * Hazelcast's other system properties apply.
   *
   * @return a backend to configure further and give to {@link Pool.Builder#backend}
   */
  public static HazelcastBackend embedded() {
    return new HazelcastBackend(Mode.EMBEDDED, null, null);
  }

  /**
   * A pool that starts a member with this configuration (it may come from {@code Config.load()},
   * which reads {@code hazelcast.xml} or {@code hazelcast.yaml}). The executor service and
   * attribute of pool work are added to it ({@link #localWorkers} of them), with the runner that
   * opens chunks with the cluster secret ({@link #secret(String)} applies) and, unless it has one,
   * a Java serialization filter that refuses every class. Its network settings are taken as they
   * are: Hazelcast's default {@code Config} listens on every interface. {@link #clusterName},
   * {@link #members}, {@link #network}, {@link #bindAddress} and {@link #port} may not be used with
   * it.
   *
   * @param config the member's configuration
   * @return a backend to give to {@link Pool.Builder#backend}
   */
  public static HazelcastBackend embedded(Config config) {
    return new HazelcastBackend(Mode.EMBEDDED, Objects.requireNonNull(config, "config"), null);
  }

  /**
   * A pool that joins an existing cluster as a client and runs its chunks on the members that do
   * pool work ({@link Worker}, or other pools' embedded members). The configuration is Hazelcast's
   * usual one ({@code ClientConfig.load()}: the {@code hazelcast.client.config} system property,
   * {@code hazelcast-client.xml} or {@code .yaml} in the working directory or on the class path,
   * else the defaults), and then what is set here; when neither names a cluster, it is {@code
   * pool4j}. A client needs the cluster secret its members were given ({@link #secret(String)},
   * {@link #secretFile(Path)} or {@code POOL4J_CLUSTER_SECRET}): {@code build()} fails without one.
   * A client leaves the cluster when the pool's workers exit.
   *
   * @return a backend to configure further and give to {@link Pool.Builder#backend}
   */
  public static HazelcastBackend client() {
    ClientConfig config = ClientConfig.load();
    if ("dev".equals(config.getClusterName())) {
      // Hazelcast's default name: no file named a cluster
      config.setClusterName(Members.DEFAULT_CLUSTER);
    }
    return new HazelcastBackend(Mode.CLIENT, null, config);
  }

  /**
   * A pool that joins a cluster as a client with this configuration.
   *
   * @param config the client's configuration
   * @return a backend to give to {@link Pool.Builder#backend}
   */
  public static HazelcastBackend client(ClientConfig config) {
    return new HazelcastBackend(Mode.CLIENT, null, Objects.requireNonNull(config, "config"));
  }

  /**
   * Sets the cluster's name. Default: {@code pool4j}.
   *
   * @param name the cluster name
   * @return this backend
   */
  public HazelcastBackend clusterName(String name) {
    Objects.requireNonNull(name, "clusterName");
    checkSettable("clusterName", clusterName);
    clusterName = name;
    return this;
  }

  /**
   * Sets the members to join (embedded: the TCP/IP member list) or to connect to (client), each
   * {@code host} or {@code host:port}. Default: {@code 127.0.0.1} (embedded), Hazelcast's default
   * or the configuration file's (client).
   *
   * @param addresses at least one
   * @return this backend
   */
  public HazelcastBackend members(String... addresses) {
    Objects.requireNonNull(addresses, "members");
    if (addresses.length == 0) {
      throw new IllegalArgumentException("members needs at least one address");
    }
    checkSettable("members", members);
    members = List.copyOf(Arrays.asList(addresses));
    return this;
  }

  /**
   * Opens the embedded member to a network: it listens on this machine's address there, and members
   * and clients of other machines can reach it. Without this call it listens on 127.0.0.1 only, and
   * only this machine can. Takes:
   *
   * <ul>
   *   <li>an IP address of this machine: {@code "10.0.0.7"};
   *   <li>a network in CIDR notation: {@code "10.0.0.0/24"}, this machine's address in it;
   *   <li>an interface's name: {@code "eth0"}, its (IPv4 if any) address;
   *   <li>{@code "0.0.0.0"}: every interface (Hazelcast announces the address it picks).
   * </ul>
   *
   * <p>The address is looked up when the pool is built, which fails if this machine has none there.
   * When {@link #members} is not set, the member list is that address. Whoever can reach the port
   * can join the Hazelcast cluster; the cluster secret ({@link #secret(String)}) keeps them from
   * reading or forging pool work, not from joining (see the README's cluster notes).
   *
   * <pre>{@code
   * HazelcastBackend.embedded().network("10.0.0.0/24").secretFile(Path.of("/etc/pool4j/secret"))
   * }</pre>
   *
   * @param addressOrNetwork an address, a CIDR network, an interface name, or 0.0.0.0
   * @return this backend
   * @throws IllegalArgumentException if it is none of these
   */
  public HazelcastBackend network(String addressOrNetwork) {
    Objects.requireNonNull(addressOrNetwork, "network");
    embeddedOnly("network");
    checkSettable("network", network);
    network = Network.parse(addressOrNetwork, "network");
    return this;
  }

  /**
   * Makes the embedded member listen on this address only (and announce it): the same as {@link
   * #network(String)} with an address, which it is an older name of. Default: 127.0.0.1.
   *
   * @param address an IP address of this machine
   * @return this backend
   */
  public HazelcastBackend bindAddress(String address) {
    Objects.requireNonNull(address, "bindAddress");
    embeddedOnly("bindAddress");
    checkSettable("network", network);
    network = Network.parse(address, "bindAddress");
    return this;
  }

  /**
   * Sets the cluster secret: every pool message (the task and inputs of a chunk, its results or
   * exception) is sealed with AES-256-GCM under a key derived from it, and a member opens a chunk,
   * and the pool a result, only when the seal verifies. Give the pool and every member that should
   * work for it the same secret ({@link Worker}'s {@code --secret-file} or the environment variable
   * {@code POOL4J_CLUSTER_SECRET}). At least 16 bytes; use a random one ({@code openssl rand
   * -base64 32}): the key is derived with HKDF-SHA256, which does not slow down guessing, so a
   * secret is as strong as it is hard to guess. White space around it is dropped.
   *
   * <p>Default: the environment variable {@code POOL4J_CLUSTER_SECRET}; without it, an embedded
   * pool makes a random secret (so no other JVM can work for it: members that join are taken out of
   * its rotation when they refuse its chunks), and a client's {@code build()} fails.
   *
   * @param secret at least 16 bytes of UTF-8
   * @return this backend
   */
  public HazelcastBackend secret(String secret) {
    Objects.requireNonNull(secret, "secret");
    checkSecretSettable();
    this.secret = ClusterSecret.of(secret, "HazelcastBackend.secret");
    return this;
  }

  /**
   * Sets the cluster secret, as bytes; see {@link #secret(String)}. The array is copied.
   *
   * @param secret at least 16 bytes
   * @return this backend
   */
  public HazelcastBackend secret(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    checkSecretSettable();
    this.secret = ClusterSecret.of(secret, "HazelcastBackend.secret");
    return this;
  }

  /**
   * Reads the cluster secret from a file, now; see {@link #secret(String)}. The file is
   * <b>refused</b> unless only its owner may read or write it (POSIX permissions, {@code chmod
   * 600}; file systems without them, such as Windows', are not checked), and when it is not a
   * regular file or is over 4096 bytes. White space around the secret (a trailing newline) is
   * dropped.
   *
   * <pre>
   * openssl rand -base64 32 &gt; ~/.pool4j-secret &amp;&amp; chmod 600 ~/.pool4j-secret
   * </pre>
   *
   * @param file the file that holds the secret
   * @return this backend
   * @throws IllegalArgumentException if the file is refused or cannot be read, saying why
   */
  public HazelcastBackend secretFile(Path file) {
    Objects.requireNonNull(file, "secretFile");
    checkSecretSettable();
    this.secret = ClusterSecret.fromFile(file, "secretFile");
    return this;
  }

  private void checkSecretSettable() {
    if (instance != null || wasStarted()) {
      throw new IllegalStateException("the backend was started: the secret is fixed");
    }
    if (secret != null) {
      throw new IllegalStateException("the secret was already set, from " + secret.source);
    }
  }

  /**
   * Sets the embedded member's port; it is taken exactly (no search for a free one). Default: 5701,
   * or the next free one of the twenty after it.
   *
   * @param port 1 to 65535
   * @return this backend
   */
  public HazelcastBackend port(int port) {
    embeddedOnly("port");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
    checkSettable("port", this.port < 0 ? null : this.port);
    this.port = port;
    return this;
  }

  /**
   * Sets how many chunks the embedded member runs at once (its local workers); 0 makes it a member
   * that does no pool work, so that only the other members work. Default: {@link Pool#cpuCount()}.
   * Also for {@link #embedded(Config)}.
   *
   * @param n at least 0
   * @return this backend
   */
  public HazelcastBackend localWorkers(int n) {
    if (mode != Mode.EMBEDDED) {
      throw new IllegalStateException("localWorkers is a setting of an embedded member");
    }
    if (n < 0) {
      throw new IllegalArgumentException("localWorkers must be >= 0, was " + n);
    }
    if (wasStarted()) {
      throw new IllegalStateException("the backend was started: localWorkers is fixed");
    }
    if (localWorkers >= 0) {
      throw new IllegalStateException("localWorkers was already set to " + localWorkers);
    }
    localWorkers = n;
    return this;
  }

  /**
   * Sets how long a chunk waits for a member that does pool work when there is none (every one that
   * worked left), before it fails its call with an {@link IllegalStateException} that gives the
   * {@link Worker} command that starts one. Default: 60 seconds. How long {@code build()} waits for
   * the first one is {@link #connectTimeout}.
   *
   * @param d a positive duration
   * @return this backend
   */
  public HazelcastBackend memberTimeout(Duration d) {
    Objects.requireNonNull(d, "memberTimeout");
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("memberTimeout must be positive, was " + d);
    }
    if (memberTimeout != null) {
      throw new IllegalStateException("memberTimeout was already set to " + memberTimeout);
    }
    memberTimeout = d;
    return this;
  }

  /**
   * Sets how long {@link Pool.Builder#build()} waits for a cluster that can work: a client for a
   * connection to one of its members, and a client or an embedded member for a member that does
   * pool work. When the time is up, {@code build()} fails with an {@link IllegalStateException}
   * that says what was missing: the addresses tried, the cluster's name and this timeout, or the
   * {@link Worker} command that starts a member that does pool work.
   *
   * <p>Default: {@value #DEFAULT_CONNECT_SECONDS} seconds; for a client whose own configuration
   * sets a cluster connect timeout ({@code connection-retry}'s {@code
   * cluster-connect-timeout-millis}), that timeout for the connection. An embedded member's own
   * join follows Hazelcast's settings ({@code hazelcast.wait.seconds.before.join}).
   *
   * <pre>{@code
   * HazelcastBackend.client().members("10.0.0.7").connectTimeout(Duration.ofMinutes(2))
   * }</pre>
   *
   * @param d a positive duration
   * @return this backend
   * @throws IllegalArgumentException if it is zero or negative
   */
  public HazelcastBackend connectTimeout(Duration d) {
    Objects.requireNonNull(d, "connectTimeout");
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(
          "connectTimeout must be positive, was " + d + ": how long build() waits for the cluster");
    }
    if (wasStarted()) {
      throw new IllegalStateException("the backend was started: connectTimeout is fixed");
    }
    if (connectTimeout != null) {
      throw new IllegalStateException("connectTimeout was already set to " + connectTimeout);
    }
    connectTimeout = d;
    return this;
  }

  /**
   * Whether start() has run: read under the lock, as start() writes it, so that a setting made on
   * another thread than the pool's build() still sees it.
   */
  private boolean wasStarted() {
    lock.lock();
    try {
      return started;
    } finally {
      lock.unlock();
    }
  }

  private void embeddedOnly(String setting) {
    if (mode != Mode.EMBEDDED || memberConfig != null) {
      throw new IllegalStateException(
          setting + " is a setting of an embedded member without a Config of its own");
    }
  }

  private void checkSettable(String setting, Object current) {
    if (instance != null || wasStarted()) {
      throw new IllegalStateException("the backend was started: " + setting + " is fixed");
    }
    if (current != null) {
      throw new IllegalStateException(setting + " was already set to " + current);
    }
    if (memberConfig != null) {
      throw new IllegalStateException(
          setting + " cannot be combined with embedded(Config): set it in the Config");
    }
  }

  /**
   * Returns the Hazelcast instance this pool runs on: its member, or its client.
   *
   * @return the instance, or null before the pool was built
   */
  public HazelcastInstance instance() {
    return instance;
  }

  // ------------------------------------------------------------------ PoolBackend

  /**
   * Starts the member or client. The capacity is the cluster's (the embedded member's own workers
   * are set by {@link #localWorkers}); {@code workers}, when {@link Pool.Builder#workers(int)} set
   * it, caps this pool's share of it: at most that many of its chunks are on the members at once,
   * each running (none queued behind another), as on a pool of that many threads.
   */
  @Override
  public int start(int workers) {
    lock.lock();
    try {
      if (started) {
        throw new IllegalStateException("a HazelcastBackend serves one pool; create another");
      }
      started = true;
      maxRunning = Math.max(0, workers);
    } finally {
      lock.unlock();
    }
    String cluster =
        clusterName != null
            ? clusterName
            : memberConfig != null
                ? memberConfig.getClusterName()
                : mode == Mode.CLIENT ? clientConfig.getClusterName() : Members.DEFAULT_CLUSTER;
    long began = System.nanoTime();
    Duration connectWait =
        connectTimeout != null ? connectTimeout : Duration.ofSeconds(DEFAULT_CONNECT_SECONDS);
    ClusterSecret given = secret != null ? secret : ClusterSecret.fromEnvironment(environment);
    if (given == null) {
      if (mode == Mode.CLIENT) {
        throw new IllegalStateException(
            "no cluster secret for the client of cluster "
                + cluster
                + ": set the secret its members were given, with "
                + ClusterSecret.HOW);
      }
      given = ClusterSecret.random();
    }
    seal = given.seal();
    startedSecret = given;
    startedCluster = cluster;
    String bind = null;
    if (mode == Mode.EMBEDDED && memberConfig == null) {
      Network listen = network != null ? network : Network.LOOPBACK;
      if (members != null) {
        listen.checkMembers(members, "members", "network(...)");
      }
      bind = listen.resolve();
    }
    Members.quietLogging();
    warmUpThread = warmUp.start("pool4j-hazelcast-warm-up");
    results =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "pool4j-hazelcast-results");
              t.setDaemon(true);
              return t;
            });
    HazelcastInstance hz;
    try {
      if (mode == Mode.EMBEDDED) {
        int local = localWorkers >= 0 ? localWorkers : Pool.cpuCount();
        Config config =
            memberConfig != null
                ? Members.forPoolWork(memberConfig, local, seal)
                : Members.config(
                    cluster,
                    members != null ? members : List.of(bind != null ? bind : "127.0.0.1"),
                    bind,
                    port > 0 ? port : Members.DEFAULT_PORT,
                    port <= 0,
                    local,
                    seal);
        hz = Hazelcast.newHazelcastInstance(config);
      } else {
        if (clusterName != null) {
          clientConfig.setClusterName(clusterName);
        }
        if (members != null) {
          clientConfig.getNetworkConfig().setAddresses(new ArrayList<>(members));
        }
        Members.refuseJavaSerialization(clientConfig.getSerializationConfig());
        var retry = clientConfig.getConnectionStrategyConfig().getConnectionRetryConfig();
        String timeoutSetting =
            connectTimeout != null
                ? "connectTimeout"
                : retry.getClusterConnectTimeoutMillis() >= 0
                    ? "the client configuration's cluster-connect-timeout-millis"
                    : "connectTimeout's default";
        if (connectTimeout != null) {
          retry.setClusterConnectTimeoutMillis(Math.max(1, connectTimeout.toMillis()));
        } else if (retry.getClusterConnectTimeoutMillis() < 0) {
          // Hazelcast's default is to try forever: build() should say there is no cluster
          retry.setClusterConnectTimeoutMillis(TimeUnit.SECONDS.toMillis(DEFAULT_CONNECT_SECONDS));
        }
        try {
          hz = HazelcastClient.newHazelcastClient(clientConfig);
        } catch (IllegalStateException e) {
          // Hazelcast says only "Unable to connect to any cluster."
          throw new IllegalStateException(
              "the client could not connect to cluster "
                  + cluster
                  + " at "
                  + String.join(", ", addresses())
                  + " within "
                  + seconds(Duration.ofMillis(retry.getClusterConnectTimeoutMillis()))
                  + " ("
                  + timeoutSetting
                  + ")"
                  + ": is a member of that cluster running there, and reachable from here? Start"
                  + " one with: "
                  + workerCommand(cluster, String.join(",", addresses()), given)
                  + "; or wait longer with connectTimeout(...). Hazelcast said: "
                  + e.getMessage(),
              e);
        }
      }
    } catch (RuntimeException | Error e) {
      results.shutdownNow();
      CipherWarmUp.stop(warmUpThread);
      throw e;
    }
    instance = hz;
    executor = hz.getExecutorService(Members.EXECUTOR);
    listener =
        hz.getCluster()
            .addMembershipListener(
                new InitialMembershipListener() {
                  @Override
                  public void init(InitialMembershipEvent event) {
                    // the member list as it is now, or a client's first one, which may come
                    // after this listener was added (a plain listener hears nothing of it)
                    signal();
                  }

                  @Override
                  public void memberAdded(MembershipEvent event) {
                    memberJoined(event.getMember());
                    signal();
                  }

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    memberLeft(event.getMember());
                  }
                });
    int capacity;
    try {
      capacity = awaitPoolWork(began + connectWait.toNanos());
    } catch (InterruptedException e) {
      // close() outside the lock: Hazelcast's event threads take it while it shuts down
      close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while waiting for a member of cluster " + cluster + " that does pool work",
          e);
    }
    if (capacity == 0) {
      String why = noPoolWork(cluster, connectWait, "connectTimeout");
      close();
      throw new IllegalStateException(why);
    }
    return capacity;
  }

  /**
   * Waits until a member does pool work, or the deadline; returns the cluster's workers then (0:
   * none).
   */
  private int awaitPoolWork(long deadline) throws InterruptedException {
    lock.lock();
    try {
      for (; ; ) {
        int capacity = 0;
        for (Member m : instance.getCluster().getMembers()) {
          capacity += Members.workers(m);
        }
        long left = deadline - System.nanoTime();
        if (capacity > 0 || left <= 0) {
          return capacity;
        }
        // a member that joins signals (memberAdded, or init with a client's first member list);
        // timed only by the connect timeout's deadline
        changed.awaitNanos(left);
        wakeUps++;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Why no chunk can run: no member does pool work; with the command that starts one. */
  private String noPoolWork(String cluster, Duration waited, String setting) {
    List<String> names = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (Member m : instance.getCluster().getMembers()) {
      names.add(Members.name(m));
      addresses.add(m.getAddress().getHost() + ":" + m.getAddress().getPort());
    }
    boolean ownMember = mode == Mode.EMBEDDED && localWorkers == 0;
    return "no member of cluster "
        + cluster
        + " does pool work (no pool4j workers on "
        + String.join(", ", names)
        + ") after waiting "
        + seconds(waited)
        + " ("
        + setting
        + "). Start one on each machine that should work: "
        + workerCommand(cluster, String.join(",", addresses), startedSecret)
        + (ownMember ? "; or give this pool's own member workers with localWorkers(n)" : "")
        + "; or wait longer for one with "
        + setting
        + "(...)";
  }

  /** The {@link Worker} command that starts a member of this cluster for this pool. */
  private static String workerCommand(String cluster, String members, ClusterSecret secret) {
    return "java -cp <the application's class path> "
        + Worker.class.getName()
        + " --cluster "
        + cluster
        + " --members "
        + members
        + " "
        + (secret == null ? "--secret-file FILE" : secret.workerFlag())
        + " [--workers N] [--network ADDRESS|CIDR, for members on other machines]";
  }

  /** The addresses a client tries, as its configuration has them. */
  private List<String> addresses() {
    List<String> list = clientConfig.getNetworkConfig().getAddresses();
    return list.isEmpty() ? List.of("127.0.0.1:5701-5703 (Hazelcast's default)") : list;
  }

  /** A duration in seconds, as the messages print it: {@code 0.5 s}, {@code 10 s}. */
  static String seconds(Duration d) {
    return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString()
        + " s";
  }

  @Override
  public void run(ChunkJob job) throws InterruptedException {
    // a fresh id per sending: a reply sealed for an earlier sending, or for another chunk, is
    // refused
    byte[] id = Seal.newId();
    byte[] sealed = seal.seal(Seal.Direction.REQUEST, id, 0, job.message(), 0);
    Slot slot = reserve(job);
    if (slot == null) {
      return; // reported by reserve
    }
    try {
      // typed Object: a reply that is not a byte[] (a stranger's) must reach the check in open,
      // not fail a cast inside Hazelcast's callback, where the chunk would never be reported
      Future<?> future = executor.submitToMember(new ChunkTask(id, sealed), slot.member);
      boolean cancel = false;
      lock.lock();
      try {
        if (running.get(job) == slot) {
          futures.put(job, future);
        } else {
          cancel = terminating; // terminate() came between reserve and here
        }
      } finally {
        lock.unlock();
      }
      if (cancel) {
        cancelQuietly(future);
      }
      BiConsumer<Object, Throwable> report =
          (reply, failure) -> {
            if (failure != null) {
              settle(job, slot, true, () -> job.lost(failure, "member " + slot.name));
              return;
            }
            ChunkTask.Reply opened;
            try {
              opened = ChunkTask.open(seal, id, reply);
            } catch (Seal.Refused e) {
              refused(job, slot, e.getMessage());
              return;
            }
            if (opened.missingClass() != null) {
              lacks(job, slot, opened.missingClass());
              return;
            }
            settle(job, slot, false, () -> job.done(opened.outcome(), slot.name, opened.nanos()));
          };
      if (future instanceof CompletionStage) {
        // on our own thread: Hazelcast's default for callbacks starts a thread per callback on
        // machines of two cores or fewer (its common-pool fallback), a millisecond per chunk
        @SuppressWarnings("unchecked")
        CompletionStage<Object> stage = (CompletionStage<Object>) future;
        stage.whenCompleteAsync(report, results);
      } else {
        results.execute(() -> awaitReply(future, report));
      }
    } catch (RuntimeException e) {
      // the instance is shutting down, or the member just left
      settle(job, slot, true, () -> job.lost(e, "member " + slot.name));
    }
  }

  /**
   * Waits for a reply that comes as a plain {@link Future}, and reports it or its failure. An
   * interrupt (the results thread is being stopped) ends the wait: the chunk is reported lost and
   * the interrupt flag stays set for the thread's owner.
   */
  static void awaitReply(Future<?> future, BiConsumer<Object, Throwable> report) {
    try {
      report.accept(future.get(), null);
    } catch (ExecutionException e) {
      report.accept(null, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report.accept(null, e);
    } catch (RuntimeException e) {
      report.accept(null, e);
    }
  }

  /**
   * Waits for a member with a free worker and counts the chunk there; null when the chunk was
   * reported instead (terminating, its call cut, or no member for too long).
   */
  private Slot reserve(ChunkJob job) throws InterruptedException {
    Duration timeout = memberTimeout != null ? memberTimeout : DEFAULT_MEMBER_TIMEOUT;
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      for (; ; ) {
        if (terminating || closed) {
          break;
        }
        if (job.start() >= job.limit()) {
          // its call failed or was cancelled while the chunk waited for a worker: not sent
          lock.unlock();
          try {
            job.done(new Object[job.size()], 0, null, null, 0);
          } finally {
            lock.lock();
          }
          return null;
        }
        Object task = job.task();
        Slot best = pickLocked(task, job.queueDepth());
        if (best != null) {
          best.running++;
          running.put(job, best);
          return best;
        }
        boolean anyMember =
            slots.values().stream()
                .anyMatch(s -> s.workers > 0 && s.refusal == null && s.lacking(task) == null);
        if (!anyMember) {
          String excluded = excludedLocked(task);
          if (excluded != null) {
            lock.unlock();
            try {
              job.done(new Object[job.size()], 0, new IllegalStateException(excluded), null, 0);
            } finally {
              lock.lock();
            }
            return null;
          }
        }
        long left = deadline - System.nanoTime();
        if (!anyMember && left <= 0) {
          lock.unlock();
          try {
            job.done(
                new Object[job.size()],
                0,
                new IllegalStateException(noPoolWork(startedCluster, timeout, "memberTimeout")),
                null,
                0);
          } finally {
            lock.lock();
          }
          return null;
        }
        if (anyMember) {
          deadline = System.nanoTime() + timeout.toNanos();
        }
        // Every event that frees a place or brings a member signals (see changed). The wait is
        // timed only by a deadline: with no member, the member timeout; with members that are
        // all suspect or full, the end of the earliest suspicion (nothing signals that). A call
        // cut meanwhile (a failure in it signals; a cancellation does not) is seen at the next
        // signal, still before the chunk is sent: every place is taken, so that signal is a
        // place freed, a member leaving or terminate, and the chunk holds back nothing the taken
        // places do not hold back already.
        long until = anyMember ? suspicionEndsLocked(task) : deadline;
        if (until == 0) {
          changed.await();
        } else {
          changed.awaitNanos(until - System.nanoTime());
        }
        wakeUps++;
      }
    } finally {
      lock.unlock();
    }
    job.returned();
    return null;
  }

  /**
   * The member with the most free workers that may run this call's task, or null when all are full;
   * refreshes the slots. Unless {@code workers(n)} caps the pool's chunks, a member's worker may
   * hold {@code depth} chunks ({@link ChunkJob#queueDepth()}: the pool's policy, by how long chunks
   * take).
   */
  @GuardedBy("lock")
  private Slot pickLocked(Object task, int depth) {
    Slot best = null;
    int bestFree = 0;
    long now = System.nanoTime();
    for (Member m : instance.getCluster().getMembers()) {
      int workers = Members.workers(m);
      if (workers <= 0) {
        continue;
      }
      Slot s = slots.computeIfAbsent(m.getUuid(), id -> new Slot(m));
      s.workers = workers;
      if (s.refusal != null
          || s.suspectUntil != 0 && now - s.suspectUntil < 0
          || s.lacking(task) != null) {
        continue;
      }
      int free = workers * (maxRunning > 0 ? 1 : depth) - s.running;
      if (free > bestFree) {
        best = s;
        bestFree = free;
      }
    }
    if (maxRunning > 0 && running.size() >= maxRunning) {
      return null; // the slots are refreshed all the same
    }
    return best;
  }

  /**
   * The {@link System#nanoTime()} when the earliest suspicion of a member that could run this task
   * ends, or 0 when none of them is suspect.
   */
  @GuardedBy("lock")
  private long suspicionEndsLocked(Object task) {
    long now = System.nanoTime();
    long earliest = 0;
    for (Slot s : slots.values()) {
      if (s.workers > 0
          && s.refusal == null
          && s.suspectUntil != 0
          && now - s.suspectUntil < 0
          && s.lacking(task) == null
          && (earliest == 0 || s.suspectUntil - earliest < 0)) {
        earliest = s.suspectUntil;
      }
    }
    return earliest;
  }

  /** How many times a wait for a member or a free place has ended so far; for tests. */
  long wakeUps() {
    lock.lock();
    try {
      return wakeUps;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends a chunk's stay on a member and reports it with {@code report}, unless it was settled
   * already (member left, terminate). The chunk keeps its place on the member until the report is
   * made: a failure it reports cuts its call before any other chunk can take that place, so no
   * chunk the call no longer needs is sent (a member left or terminate meanwhile leaves it to this
   * report).
   */
  private void settle(ChunkJob job, Slot slot, boolean failed, Runnable report) {
    lock.lock();
    try {
      if (running.get(job) != slot || !reporting.add(job)) {
        futures.remove(job);
        return;
      }
      if (failed) {
        slot.suspectUntil = System.nanoTime() + SUSPECT_NANOS;
      }
    } finally {
      lock.unlock();
    }
    try {
      report.run();
    } finally {
      lock.lock();
      try {
        reporting.remove(job);
        futures.remove(job);
        if (running.remove(job) != null) {
          slot.running--;
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Why no member can run this call's task, when every member doing pool work has refused this
   * pool's chunks (their seal did not verify there, or the reply's here) or lacks a class the task
   * needs; else null.
   */
  @GuardedBy("lock")
  private String excludedLocked(Object task) {
    List<String> refusals = new ArrayList<>();
    List<String> lacking = new ArrayList<>();
    for (Slot s : slots.values()) {
      if (s.workers > 0) {
        String missing = s.lacking(task);
        if (missing != null) {
          lacking.add("class " + missing + " is not on the class path of member " + s.name);
        } else if (s.refusal != null) {
          refusals.add("member " + s.name + ": " + s.refusal);
        } else {
          return null;
        }
      }
    }
    if (!lacking.isEmpty()) {
      return "no member of cluster "
          + startedCluster
          + " that does pool work can run this task: "
          + String.join("; ", lacking)
          + (refusals.isEmpty()
              ? ""
              : "; and these refused this pool's chunks: " + String.join("; ", refusals))
          + ". Start the members with the application's class path (the classes of the task, its"
          + " inputs and its results)";
    }
    if (!refusals.isEmpty()) {
      return "every member of cluster "
          + startedCluster
          + " that does pool work refused this pool's chunks ("
          + String.join("; ", refusals)
          + "): give the pool and the members the same secret: "
          + ClusterSecret.HOW;
    }
    return null;
  }

  /**
   * A member could not read a chunk: a class of the task or of its inputs is missing from its class
   * path. The member is taken out of the rotation for this call (another call's task may need
   * nothing it lacks, and it may be given the classes), with a warning the first time it lacks this
   * class, and the chunk is handed back to run elsewhere without spending a retry.
   */
  private void lacks(ChunkJob job, Slot slot, String className) {
    boolean first;
    lock.lock();
    try {
      futures.remove(job);
      if (running.remove(job) == null) {
        return;
      }
      slot.running--;
      slot.lacks(job.task(), className);
      first = slot.warned.size() < Slot.MAX_REMEMBERED && slot.warned.add(className);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (first) {
      LOG.log(
          Level.WARNING,
          "pool4j: member "
              + slot.name
              + " of cluster "
              + startedCluster
              + " is taken out of this pool's rotation for the calls that need class "
              + className
              + ", which is not on its class path; their chunks run on the other members. Start"
              + " it with the application's class path (the classes of the task, its inputs and"
              + " its results)");
    }
    job.returned();
  }

  /**
   * A member refused a chunk, or its reply did not open: the reply is dropped unread, the member is
   * taken out of this pool's rotation for as long as it stays in the cluster, and the chunk is
   * handed back to run elsewhere. It costs none of the chunk's retries, so a stranger in the
   * cluster cannot make a call fail by burning them; each member can bounce only the chunks it held
   * when it was taken out.
   */
  private void refused(ChunkJob job, Slot slot, String why) {
    boolean first;
    lock.lock();
    try {
      futures.remove(job);
      if (running.remove(job) == null) {
        return;
      }
      slot.running--;
      first = slot.refusal == null;
      if (first) {
        slot.refusal = why;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (first) {
      LOG.log(
          Level.WARNING,
          "pool4j: member "
              + slot.name
              + " of cluster "
              + startedCluster
              + " is taken out of this pool's rotation, and its chunks run elsewhere: "
              + why
              + ". If it should work for this pool, give it the pool's secret: "
              + ClusterSecret.HOW);
    }
    job.returned();
  }

  /**
   * A member joined: logged at INFO (a change of the cluster's capacity a user may want to see, but
   * nothing to act on), with what it gives to pool work.
   */
  private void memberJoined(Member member) {
    if (LOG.isLoggable(Level.INFO)) {
      int workers = Members.workers(member);
      LOG.log(
          Level.INFO,
          "pool4j: member "
              + Members.name(member)
              + " joined cluster "
              + startedCluster
              + (workers > 0
                  ? " with " + workers + " workers for pool work; chunks go to it from now on"
                  : "; it does no pool work"));
    }
  }

  /**
   * A member left: its chunks are lost now, whatever Hazelcast reports for them later. Logged at
   * WARNING when it did pool work (like a worker's death: the pool has fewer workers, and the
   * chunks it ran run again elsewhere, up to the retries; Hazelcast may fail them before this event
   * comes), else at INFO.
   */
  private void memberLeft(Member member) {
    List<ChunkJob> lost = new ArrayList<>();
    Slot gone;
    lock.lock();
    try {
      gone = slots.remove(member.getUuid());
      if (gone != null) {
        // a loop, not removeIf with a lambda: Error Prone then sees that the lock is held
        for (Iterator<Map.Entry<ChunkJob, Slot>> it = running.entrySet().iterator();
            it.hasNext(); ) {
          Map.Entry<ChunkJob, Slot> e = it.next();
          if (e.getValue() == gone && !reporting.contains(e.getKey())) {
            lost.add(e.getKey());
            it.remove();
          }
        }
        for (ChunkJob job : lost) {
          futures.remove(job);
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    int workers = Members.workers(member);
    Level level = workers > 0 ? Level.WARNING : Level.INFO;
    if (LOG.isLoggable(level)) {
      LOG.log(
          level,
          "pool4j: member "
              + (gone == null ? Members.name(member) : gone.name)
              + " left cluster "
              + startedCluster
              + (workers == 0
                  ? "; it did no pool work"
                  : ", and with it "
                      + workers
                      + " workers of pool work; the chunks it was running"
                      + (lost.isEmpty() ? "" : " (" + lost.size() + ")")
                      + " run again on the other members if they have a retry left"));
    }
    for (ChunkJob job : lost) {
      job.lost(new MemberLeftException(member), "member " + (gone == null ? member : gone.name));
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void terminate() {
    List<ChunkJob> held;
    List<Future<?>> toCancel;
    lock.lock();
    try {
      terminating = true;
      held = new ArrayList<>(running.keySet());
      held.removeAll(reporting); // reported by their settle()
      running.clear();
      toCancel = new ArrayList<>(futures.values());
      futures.clear();
      for (Slot s : slots.values()) {
        s.running = 0;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    // the members stop the tasks running there (an interrupt, as threads get), so that their
    // workers are free for other pools at once
    for (Future<?> future : toCancel) {
      cancelQuietly(future);
    }
    for (ChunkJob job : held) {
      job.returned();
    }
  }

  /** Cancels a chunk on its member, interrupting its task; a member gone already is no matter. */
  private static void cancelQuietly(Future<?> future) {
    try {
      future.cancel(true);
    } catch (RuntimeException e) {
      // the member left, or the connection is down: nothing runs there for this pool any more
    }
  }

  @Override
  public void close() {
    HazelcastInstance hz;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      hz = instance;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (hz != null) {
      try {
        hz.getCluster().removeMembershipListener(listener);
      } catch (RuntimeException e) {
        // the instance is already down
      }
      // terminate() interrupts the thread that closes: Hazelcast's graceful shutdown would stop
      // waiting for its services at once and log the interrupt as a warning
      boolean interrupted = Thread.interrupted();
      try {
        hz.shutdown();
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
    CipherWarmUp.stop(warmUpThread);
    ExecutorService r = results;
    if (r != null) {
      r.shutdown();
      boolean interrupted = false;
      for (; ; ) {
        try {
          if (r.awaitTermination(60, TimeUnit.SECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    String cluster =
        clusterName != null
            ? clusterName
            : memberConfig != null
                ? memberConfig.getClusterName()
                : clientConfig != null ? clientConfig.getClusterName() : Members.DEFAULT_CLUSTER;
    return "Hazelcast "
        + (mode == Mode.EMBEDDED ? "embedded member" : "client")
        + " of cluster "
        + cluster;
  }

  /** This pool's view of one member that does pool work; under the backend's lock. */
  private static final class Slot {
    final Member member;

    /** As the insights name it: address and instance ({@link Members#name}). */
    final String name;

    int workers;

    /** This pool's chunks running or queued there. */
    int running;

    /** Not chosen before this nanoTime, after a failure there; 0 when never failed. */
    long suspectUntil;

    /**
     * Why this member is out of rotation for this pool: it refused a chunk, or its reply did not
     * open; null while it is in.
     */
    String refusal;

    /** How many calls' tasks and classes a slot remembers; the oldest go first. */
    static final int MAX_REMEMBERED = 64;

    /**
     * The calls this member cannot run, by their task (held weakly: a call that ended lets it go),
     * and the class it lacks for each; oldest first.
     */
    private final List<Map.Entry<WeakReference<Object>, String>> lacking = new ArrayList<>();

    /** The classes this member was said to lack, in a warning already. */
    final Set<String> warned = new HashSet<>();

    /** The class this member lacks to run the call of this task, or null. */
    String lacking(Object task) {
      String found = null;
      for (Iterator<Map.Entry<WeakReference<Object>, String>> it = lacking.iterator();
          it.hasNext(); ) {
        Map.Entry<WeakReference<Object>, String> e = it.next();
        Object t = e.getKey().get();
        if (t == null) {
          it.remove();
        } else if (t == task) {
          found = e.getValue();
        }
      }
      return found;
    }

    void lacks(Object task, String className) {
      if (lacking(task) != null) {
        return;
      }
      if (lacking.size() >= MAX_REMEMBERED) {
        lacking.remove(0);
      }
      lacking.add(Map.entry(new WeakReference<>(task), className));
    }

    Slot(Member member) {
      this.member = member;
      this.name = Members.name(member);
    }
  }
}
