package dev.pool4j.internal.process;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pool4j.Task;
import dev.pool4j.WorkerInitializer;
import dev.pool4j.internal.observe.Logs;
import dev.pool4j.internal.scheduler.Backend;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.Worker;
import dev.pool4j.internal.wire.Protocol;
import dev.pool4j.internal.wire.Values;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs chunks in worker processes: each worker is a thread of this JVM that owns one child JVM,
 * sends it chunks and reads back their outcomes ({@link ProcessWorker}). The scheduler above is the
 * same as for threads; this class starts and tracks the child JVMs.
 *
 * <h2>Trust model</h2>
 *
 * <p>The workers are this JVM's own children, running the class path this JVM's application was
 * loaded from ({@link WorkerClassPath}); each connects back over a Unix-domain socket in a
 * directory that only this account may enter, deleted as soon as the worker is connected ({@link
 * Listener}), and proves itself with a random token passed in its environment. No other local
 * account can connect to a worker's channel, read it or delay it; nothing listens on TCP (but on a
 * platform without Unix-domain sockets, where loopback TCP is the fallback and the token the only
 * proof), and nothing but the worker can feed this JVM objects. Both sides deserialize with the
 * filter given to the builder ({@code ObjectInputFilter.Config.createFilter} syntax), or with the
 * JVM-wide filter when none is given (this JVM's JVM-wide filter is passed on to the workers:
 * {@link #jvmWideFilterPattern}); tighten it when tasks or results come from code you do not trust
 * as much as your own. The workers' class-data sharing archive ({@link ClassDataSharing}) is code
 * they run: it is mapped only when this account alone owns and may write it and its directory,
 * checked at every launch. Frames are bounded ({@link Protocol#MAX_FRAME}) and a worker's output is
 * forwarded in bounded lines ({@link Forwarder}), so that no worker can make this JVM run out of
 * memory by its say-so.
 *
 * <h2>Never an orphan</h2>
 *
 * <p>Every child is registered here until it exits; {@code terminate()} and the JVM's shutdown hook
 * kill the registered ones, a worker thread that ends stops its own child before the scheduler
 * counts it out (so {@code join()} returns only when they are gone), and a child whose parent dies
 * exits by itself ({@link WorkerMain}).
 */
public final class ProcessBackend implements Backend {

  /** Chunks of a few milliseconds: a round trip to a worker costs tens of microseconds. */
  static final long TARGET_CHUNK_NANOS = 5_000_000;

  private static final AtomicLong CALL_IDS = new AtomicLong();

  /** Every live child of every pool, for the shutdown hook. */
  private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ProcessBackend::killAll, "pool4j-kill-workers"));
  }

  /**
   * Kills every live child as this JVM exits, but for one that is writing a class-data sharing
   * archive: that one is told its parent is gone (end-of-file on its stdin), and given up to two
   * seconds to write the archive as it exits, so that a program that runs one pool and ends still
   * leaves the archive for its next run.
   */
  private static void killAll() {
    List<Process> writers = new ArrayList<>();
    for (Process p : ALL) {
      if (ClassDataSharing.writes(p)) {
        writers.add(p);
        try {
          p.getOutputStream().close();
        } catch (IOException e) {
          p.destroyForcibly();
        }
      } else {
        p.destroyForcibly();
      }
    }
    for (Process p : writers) {
      if (!Child.awaitExit(p, 2_000)) {
        p.destroyForcibly();
        Child.awaitExit(p, 1_000);
      }
      if (!p.isAlive()) {
        ClassDataSharing.exited(p);
      }
    }
  }

  /** The settings a process pool takes beyond the scheduler's. */
  public static final class Options {
    final List<String> jvmOptions;
    final Map<String, String> environment;
    final String filterPattern;
    final byte[] initializer;
    final Duration taskTimeout;
    final Path cdsDirectory;

    /**
     * @param jvmOptions options for each worker JVM, after the defaults (so they win)
     * @param environment variables added to the inherited environment
     * @param filterPattern an {@link ObjectInputFilter} pattern, or null for the JVM-wide filter
     * @param initializer run once in each worker, or null
     * @param taskTimeout the task timeout, or null
     * @param cdsDirectory where the workers' class-data sharing archive is kept, or null for none
     */
    public Options(
        List<String> jvmOptions,
        Map<String, String> environment,
        String filterPattern,
        WorkerInitializer initializer,
        Duration taskTimeout,
        Path cdsDirectory) {
      this.jvmOptions = List.copyOf(jvmOptions);
      this.environment = Map.copyOf(environment);
      this.filterPattern = filterPattern;
      Protocol.filter(filterPattern); // validates
      this.initializer = initializer == null ? null : serializeInitializer(initializer);
      this.taskTimeout = taskTimeout;
      this.cdsDirectory = cdsDirectory;
    }
  }

  /**
   * The default directory of the workers' class-data sharing archives: {@code
   * $XDG_CACHE_HOME/pool4j}, else {@code ~/.cache/pool4j}.
   */
  public static Path defaultCdsDirectory() {
    return ClassDataSharing.defaultDirectory();
  }

  private final Options options;
  private final ObjectInputFilter filter;
  private final boolean plainValues;
  private final long timeoutNanos;
  private final Set<Process> live = ConcurrentHashMap.newKeySet();

  /**
   * The id and serialized form of each lambda that captures nothing, from its first call; weak
   * keys, and values that hold no class loader, so that the classes can still be unloaded; under
   * itself.
   */
  @GuardedBy("statelessTasks")
  private final Map<Class<?>, Sent> statelessTasks = new WeakHashMap<>();

  private final List<String> baseCommand;
  private final ClassDataSharing cds;

  /** Set by tests (by reflection) before a pool is built, to exercise the TCP fallback. */
  private static volatile boolean tcpForTests;

  /** See {@link #unixDomainSockets()}. */
  private final boolean unixDomainSockets = !tcpForTests && Listener.unixSupported();

  /** Set once by terminate(); read by every worker thread. */
  private volatile boolean terminating;

  /** System.nanoTime() of build(), for the ready moments below; for measurements. */
  private final long createdNanos = System.nanoTime();

  /**
   * How many workers' ready moments {@link #readyNanos()} keeps: the first ones, which tell how
   * long the pool took to start. A pool that replaces its workers ({@code maxTasksPerWorker})
   * starts one more with every replacement, for as long as it lives; beyond this many they are only
   * counted ({@link #readyCount()}), so that the list stays bounded.
   */
  static final int READY_KEPT = 256;

  /** The first {@link #READY_KEPT} ready moments, in order; under itself. */
  @GuardedBy("readyNanos")
  private final List<Long> readyNanos = new ArrayList<>();

  /** How many workers became ready, all of them; under {@link #readyNanos}. */
  @GuardedBy("readyNanos")
  private long readyCount;

  /** Chunks sent as {@link Protocol#BATCH_HOLD} ({@link #chunksSentHolding()}). */
  private final LongAdder sentHolding = new LongAdder();

  /**
   * Creates the backend; the scheduler then starts its workers.
   *
   * @param options the process settings
   */
  public ProcessBackend(Options options) {
    this.options = options;
    this.filter = Protocol.filter(options.filterPattern);
    this.plainValues = Values.allowed(filter);
    this.timeoutNanos = options.taskTimeout == null ? 0 : options.taskTimeout.toNanos();
    String classPath = WorkerClassPath.current();
    this.baseCommand = baseCommand(options.jvmOptions, classPath);
    this.cds =
        options.cdsDirectory == null
            ? ClassDataSharing.off("turned off")
            : ClassDataSharing.of(
                options.cdsDirectory,
                baseCommand,
                classPath,
                System.getProperty("jdk.module.path", ""));
    ClassDataSharing sharing = cds;
    Logs.PROCESS.log(
        Level.DEBUG,
        () ->
            sharing.archive != null
                ? "pool4j: worker processes use the class-data sharing archive " + sharing.archive
                : "pool4j: worker processes run without a class-data sharing archive: "
                    + sharing.why);
  }

  // ------------------------------------------------------------------ Backend

  @Override
  public Worker newWorker(Scheduler scheduler, int id) {
    return new ProcessWorker(scheduler, id, this);
  }

  /** Chunks wait in a queue ahead of the workers, as deep as chunk times say. */
  @Override
  public boolean queuesChunks() {
    return true;
  }

  @Override
  public long targetChunkNanos() {
    return TARGET_CHUNK_NANOS;
  }

  /**
   * Serializes the task once per call; refuses one that cannot be sent, before any work. A lambda
   * that captures nothing is the same task in every call: it keeps its first call's id, so that a
   * worker process that has it already reads it no more (a few hundred microseconds a call).
   */
  @Override
  public Object prepare(Task<?, ?> task) {
    Objects.requireNonNull(task, "task");
    boolean stateless = capturesNothing(task);
    if (stateless) {
      Sent known;
      synchronized (statelessTasks) {
        known = statelessTasks.get(task.getClass());
      }
      if (known != null) {
        return new PreparedTask(known.id, known.bytes, task);
      }
    }
    PreparedTask prepared;
    try {
      prepared = new PreparedTask(CALL_IDS.incrementAndGet(), Protocol.encodeOne(task), task);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          Protocol.notSerializable("the task", task, e).getMessage(), e);
    }
    if (stateless) {
      synchronized (statelessTasks) {
        statelessTasks.putIfAbsent(task.getClass(), new Sent(prepared.id, prepared.bytes));
      }
    }
    return prepared;
  }

  /** A task's id and serialized form, without its class loader (a map value must not hold it). */
  private static final class Sent {
    final long id;
    final byte[] bytes;

    Sent(long id, byte[] bytes) {
      this.id = id;
      this.bytes = bytes;
    }
  }

  /**
   * Whether the task is a lambda or method reference that captures nothing: its serialized form
   * then names only its class and method, the same in every call, and running it leaves no state in
   * the worker's copy that a later call could see.
   */
  static boolean capturesNothing(Task<?, ?> task) {
    return CAPTURES_NOTHING.get(task.getClass());
  }

  /** {@link #capturesNothing}, worked out by reflection once per class. */
  private static final ClassValue<Boolean> CAPTURES_NOTHING =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
          if (!c.isSynthetic() || c.getSuperclass() != Object.class) {
            return false;
          }
          for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
              return false;
            }
          }
          return true;
        }
      };

  @Override
  public void terminate(Scheduler scheduler) {
    terminating = true;
    for (Process p : live) {
      p.destroyForcibly();
    }
  }

  /**
   * Every worker stopped its own process before it was counted out; this kills any process that
   * slipped past them all the same, so that none outlives {@code join()}. Never blocks.
   */
  @Override
  public void terminated(Scheduler scheduler) {
    for (Process p : live) {
      p.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "worker processes";
  }

  /** A call's task, serialized once, with the id the workers cache it under. */
  static final class PreparedTask {
    final long id;
    final byte[] bytes;
    final ClassLoader loader;

    PreparedTask(long id, byte[] bytes, Task<?, ?> task) {
      this.id = id;
      this.bytes = bytes;
      ClassLoader l = task.getClass().getClassLoader();
      this.loader = l != null ? l : Thread.currentThread().getContextClassLoader();
    }
  }

  // ------------------------------------------------------------------ for workers

  boolean isTerminating() {
    return terminating;
  }

  long timeoutNanos() {
    return timeoutNanos;
  }

  /** Whether runs of plain values may skip serialization ({@link Values}). */
  boolean plainValues() {
    return plainValues;
  }

  ObjectInputFilter filter() {
    return filter;
  }

  ClassLoader loader() {
    return Thread.currentThread().getContextClassLoader();
  }

  byte[] initializer() {
    return options.initializer;
  }

  long startTimeoutNanos() {
    return TimeUnit.SECONDS.toNanos(60);
  }

  /** Tracks a started child; false if the pool is terminating (the caller kills it). */
  boolean register(Process process) {
    live.add(process);
    ALL.add(process);
    process.onExit().thenRun(() -> unregister(process));
    if (terminating) {
      process.destroyForcibly();
      return false;
    }
    return true;
  }

  void unregister(Process process) {
    live.remove(process);
    ALL.remove(process);
  }

  /** A worker's first process is ready (once per worker; a replacement worker is a new one). */
  void ready() {
    long nanos = System.nanoTime() - createdNanos;
    synchronized (readyNanos) {
      if (readyNanos.size() < READY_KEPT) {
        readyNanos.add(nanos);
      }
      readyCount++;
    }
  }

  /**
   * Nanoseconds from this backend's creation until each worker's first process was ready, in the
   * order they became ready: the first {@value #READY_KEPT} workers only, replacements included
   * (later ones are only {@linkplain #readyCount() counted}).
   */
  public List<Long> readyNanos() {
    synchronized (readyNanos) {
      return new ArrayList<>(readyNanos);
    }
  }

  /** How many workers' first processes became ready, all of them; see {@link #readyNanos()}. */
  public long readyCount() {
    synchronized (readyNanos) {
      return readyCount;
    }
  }

  /**
   * How many chunks were sent so that their process may hold their results back ({@link
   * Protocol#BATCH_HOLD}: short chunks of a pool with retries, see ProcessWorker's "Exactly once"),
   * for tests and measurements.
   */
  public long chunksSentHolding() {
    return sentHolding.sum();
  }

  /** A chunk was sent as {@link Protocol#BATCH_HOLD}; a sender's. */
  void sentHolding() {
    sentHolding.increment();
  }

  /** The pids of the live worker processes. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    for (Process p : live) {
      if (p.isAlive()) {
        pids.add(p.pid());
      }
    }
    return pids;
  }

  /**
   * The workers' class-data sharing archive: its path when they use one (it may not be written
   * yet), else null.
   */
  public Path cdsArchive() {
    return cds.archive;
  }

  /** Why the workers run without a class-data sharing archive, or null when they use one. */
  public String cdsOffReason() {
    return cds.why;
  }

  /**
   * Whether workers connect over a Unix-domain socket (else loopback TCP): true unless the platform
   * has none, or a test asks for TCP ({@link #tcpForTests}).
   */
  boolean unixDomainSockets() {
    return unixDomainSockets;
  }

  /**
   * Starts a worker process; the caller registers it.
   *
   * @param address where it connects ({@link Listener#address()})
   */
  Process start(String address, String label, String token) throws IOException {
    ProcessBuilder builder = command(address, label);
    builder.environment().put(Protocol.TOKEN_ENV, token);
    ClassDataSharing.Launch launch = cds.launch();
    builder.command().addAll(1, launch.options);
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      launch.failed();
      throw e;
    }
    launch.started(process);
    return process;
  }

  private ProcessBuilder command(String address, String label) {
    List<String> command = new ArrayList<>(baseCommand);
    command.add(address);
    command.add(Long.toString(ProcessHandle.current().pid()));
    command.add(label);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(options.environment);
    if (options.filterPattern != null) {
      builder.environment().put(Protocol.FILTER_ENV, options.filterPattern);
    }
    return builder;
  }

  // ------------------------------------------------------------------ command line

  private static List<String> baseCommand(List<String> userOptions, String classPath) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    // fast start and a small footprint; the user's options come later and win
    boolean gcChosen = false;
    for (String option : userOptions) {
      if (option.startsWith("-XX:+Use") && option.endsWith("GC")) {
        gcChosen = true;
      }
    }
    if (!gcChosen) {
      command.add("-XX:+UseSerialGC");
    }
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-XX:-UsePerfData");
    command.add("-Xshare:auto");
    // this JVM's own limits, where they would be lost otherwise; the user's options still win
    String filter = jvmWideFilterPattern();
    if (filter != null) {
      command.add("-D" + SERIAL_FILTER + "=" + filter);
    }
    String maxFrame = System.getProperty(Protocol.MAX_FRAME_PROPERTY);
    if (maxFrame != null) {
      command.add("-D" + Protocol.MAX_FRAME_PROPERTY + "=" + maxFrame);
    }
    command.addAll(userOptions);
    if (!classPath.isEmpty()) {
      command.add("-cp");
      command.add(classPath);
    }
    String modulePath = System.getProperty("jdk.module.path", "");
    boolean named = WorkerMain.class.getModule().isNamed();
    if (!modulePath.isEmpty()) {
      command.add("--module-path");
      command.add(modulePath);
      command.add("--add-modules");
      command.add("ALL-MODULE-PATH");
    }
    if (named) {
      command.add("--module");
      command.add(WorkerMain.class.getModule().getName() + "/" + WorkerMain.class.getName());
    } else {
      command.add(WorkerMain.class.getName());
    }
    return command;
  }

  /** The system property of the JVM-wide deserialization filter. */
  private static final String SERIAL_FILTER = "jdk.serialFilter";

  /**
   * The pattern of this JVM's JVM-wide deserialization filter, for its workers, or null when there
   * is none or it is not made from a pattern. The filter set now, by {@code -Djdk.serialFilter},
   * the {@code jdk.serialFilter} security property or {@link
   * ObjectInputFilter.Config#setSerialFilter} with a filter of {@link
   * ObjectInputFilter.Config#createFilter}, is the JDK's pattern filter, whose {@code toString()}
   * is its pattern; failing that, the system property. A filter of the user's own class (or a
   * {@code jdk.serialFilterFactory}) cannot be passed on: {@code deserializationFilter(pattern)} is
   * the way to filter in the workers then.
   */
  static String jvmWideFilterPattern() {
    ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
    if (global != null
        && global.getClass().getName().equals("java.io.ObjectInputFilter$Config$Global")) {
      String pattern = global.toString();
      try {
        ObjectInputFilter.Config.createFilter(pattern);
        return pattern;
      } catch (IllegalArgumentException e) {
        // not its pattern after all: the property, below
      }
    }
    String property = System.getProperty(SERIAL_FILTER);
    return property == null || property.isBlank() ? null : property;
  }

  /** The running JVM's own java launcher. */
  static String javaExecutable() {
    Optional<String> command = ProcessHandle.current().info().command();
    if (command.isPresent()) {
      Path path = Path.of(command.get());
      String name = path.getFileName().toString();
      if ((name.equals("java") || name.equals("java.exe")) && Files.isExecutable(path)) {
        return path.toString();
      }
    }
    boolean windows = System.getProperty("os.name", "").startsWith("Windows");
    return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java")
        .toString();
  }

  private static byte[] serializeInitializer(WorkerInitializer initializer) {
    try {
      return Protocol.encodeOne(initializer);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          Protocol.notSerializable("the initializer", initializer, e).getMessage(), e);
    }
  }
}
