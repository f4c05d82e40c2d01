package dev.pool4j;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The backends every behaviour runs against: one factory per backend, each a builder with the
 * backend already chosen, to which a test adds its own settings.
 *
 * <p><b>Which backends.</b> Three annotations pick them, by what a test needs:
 *
 * <ul>
 *   <li>{@link EveryBackendAndTheSeam}: the contract. Platform threads, virtual threads, worker
 *       processes, a loopback cluster of two member JVMs, and platform threads behind the public
 *       seam ({@link SeamBackend}).
 *   <li>{@link EveryBackend}: the built-in backends (threads, virtual threads, worker processes),
 *       for settings a plugged backend such as the cluster refuses at {@code build()}: a task
 *       timeout, {@code maxTasksPerWorker}.
 *   <li>{@link InThisJvm}: platform and virtual threads, for behaviours that only exist where the
 *       task shares the caller's memory: a task that calls its own pool, a task's thread seen by
 *       the test.
 * </ul>
 *
 * <p><b>Selecting.</b> {@code -Dpool4j.backends=threads,virtual,seam,processes,cluster} keeps only
 * the backends named; by default every one this module can run. A quick local run is {@code mvn -pl
 * pool4j-core test -Dpool4j.backends=threads}; CI runs them all. The cluster lives in module {@code
 * pool4j-hazelcast}, which runs this module's contract tests against it: there {@code
 * -Dpool4j.cluster} names a {@code Supplier<Pool.Builder>} for a client of a cluster it started.
 *
 * <p><b>Virtual threads</b> exist only on Java 21 and later, and the suite also runs on 17 (CI runs
 * it on 17 and on the newest JDK). So virtual threads are in the sets only when {@code
 * Runtime.version().feature() >= 21}. On older JVMs they are not skipped in silence: {@link
 * BackendTest#virtualThreadsNeedJava21} checks there that building such a pool fails with a message
 * saying that Java 21 is needed.
 */
final class PoolFactory {

  /** Whether this JVM has virtual threads. */
  static final boolean VIRTUAL_THREADS = Runtime.version().feature() >= 21;

  /** The system property that selects backends, and the one that names the cluster's factory. */
  static final String SELECT = "pool4j.backends";

  static final String CLUSTER = "pool4j.cluster";

  private static final List<String> KEYS =
      List.of("threads", "virtual", "seam", "processes", "cluster");

  private final String key;
  private final String name;
  private final Supplier<Pool.Builder> builder;

  private PoolFactory(String key, String name, Supplier<Pool.Builder> builder) {
    this.key = key;
    this.name = name;
    this.builder = builder;
  }

  /** Platform threads, the default backend. */
  static PoolFactory platformThreads() {
    return new PoolFactory("threads", "platform threads", () -> Pool.builder().threads());
  }

  /** Virtual threads: only usable on Java 21 and later. */
  static PoolFactory virtualThreads() {
    return new PoolFactory("virtual", "virtual threads", () -> Pool.builder().virtualThreads());
  }

  /** Worker JVMs. */
  static PoolFactory processes() {
    return new PoolFactory("processes", "worker processes", () -> Pool.builder().processes());
  }

  /**
   * Platform threads behind the public backend seam ({@link SeamBackend}): the scheduler's
   * behaviours through {@link Pool.Builder#backend(PoolBackend)}, as any plugged backend gets them.
   */
  static PoolFactory seam() {
    return new PoolFactory(
        "seam", "threads behind the seam", () -> Pool.builder().backend(new SeamBackend()));
  }

  /** A client of a loopback cluster, when {@code -Dpool4j.cluster} names its factory. */
  static PoolFactory cluster() {
    String factory = System.getProperty(CLUSTER);
    if (factory == null || factory.isBlank()) {
      throw new IllegalStateException(
          "-D"
              + SELECT
              + " names the cluster, which only module pool4j-hazelcast can start: run the"
              + " contract there, or leave 'cluster' out");
    }
    Supplier<Pool.Builder> builders;
    try {
      @SuppressWarnings("unchecked")
      Supplier<Pool.Builder> s =
          (Supplier<Pool.Builder>) Class.forName(factory).getDeclaredConstructor().newInstance();
      builders = s;
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "-D" + CLUSTER + "=" + factory + " must name a public Supplier<Pool.Builder>", e);
    }
    return new PoolFactory("cluster", "a cluster of two member JVMs", builders);
  }

  /** The backends {@code -Dpool4j.backends} keeps; every one this module can run by default. */
  static Set<String> selected() {
    String s = System.getProperty(SELECT);
    if (s == null || s.isBlank()) {
      String cluster = System.getProperty(CLUSTER);
      return KEYS.stream()
          .filter(k -> !k.equals("cluster") || (cluster != null && !cluster.isBlank()))
          .collect(Collectors.toSet());
    }
    Set<String> keys =
        Arrays.stream(s.split(","))
            .map(k -> k.trim().toLowerCase(Locale.ROOT))
            .filter(k -> !k.isEmpty())
            .collect(Collectors.toSet());
    for (String k : keys) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException(
            "-D" + SELECT + "=" + s + ": unknown backend '" + k + "'; known: " + KEYS);
      }
    }
    return keys;
  }

  private static Stream<PoolFactory> pick(String set, Supplier<Stream<String>> keys) {
    Set<String> chosen = selected();
    List<String> kept =
        keys.get()
            .filter(chosen::contains)
            .filter(k -> VIRTUAL_THREADS || !k.equals("virtual"))
            .collect(Collectors.toList());
    if (kept.isEmpty()) {
      throw new IllegalStateException(
          "-D"
              + SELECT
              + "="
              + System.getProperty(SELECT)
              + " keeps none of the backends of "
              + set
              + " ("
              + keys.get().collect(Collectors.joining(","))
              + "): add one, for example threads");
    }
    return kept.stream().map(PoolFactory::of);
  }

  private static PoolFactory of(String key) {
    switch (key) {
      case "threads":
        return platformThreads();
      case "virtual":
        return virtualThreads();
      case "seam":
        return seam();
      case "processes":
        return processes();
      case "cluster":
        return cluster();
      default:
        throw new IllegalArgumentException(key);
    }
  }

  /** The built-in backends; the source of {@link EveryBackend}. */
  static Stream<PoolFactory> all() {
    return pick("@EveryBackend", () -> Stream.of("threads", "virtual", "processes"));
  }

  /** Every backend and the seam; the source of {@link EveryBackendAndTheSeam}. */
  static Stream<PoolFactory> allAndTheSeam() {
    return pick(
        "@EveryBackendAndTheSeam",
        () -> Stream.of("threads", "virtual", "processes", "cluster", "seam"));
  }

  /** Platform and virtual threads; the source of {@link InThisJvm}. */
  static Stream<PoolFactory> inThisJvm() {
    return pick("@InThisJvm", () -> Stream.of("threads", "virtual"));
  }

  /** A fresh builder with this backend chosen. */
  Pool.Builder builder() {
    return builder.get();
  }

  /** A pool of this backend with {@code workers} workers and otherwise default settings. */
  Pool create(int workers) {
    return builder().workers(workers).build();
  }

  /** Whether the workers are virtual threads, which {@link Thread#getAllStackTraces()} omits. */
  boolean virtual() {
    return key.equals("virtual");
  }

  /** Whether tasks run in this JVM, sharing its memory (threads, virtual threads, the seam). */
  boolean sharesMemory() {
    return key.equals("threads") || key.equals("virtual") || key.equals("seam");
  }

  /** Whether tasks run on worker JVMs the pool starts. */
  boolean isProcesses() {
    return key.equals("processes");
  }

  /** Whether tasks run on cluster members. */
  boolean isCluster() {
    return key.equals("cluster");
  }

  @Override
  public String toString() {
    return name;
  }
}
