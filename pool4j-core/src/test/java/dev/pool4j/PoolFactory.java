package dev.pool4j;

import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The backends every behaviour runs against: one factory per backend, each a builder with the
 * backend already chosen, to which a test adds its own settings.
 *
 * <p><b>Virtual threads</b> exist only on Java 21 and later, and the suite also runs on 17 (CI runs
 * it on 17 and on the newest JDK). So {@link #all()} holds virtual threads only when {@code
 * Runtime.version().feature() >= 21}. On older JVMs they are not skipped in silence: {@link
 * BackendTest#virtualThreadsNeedJava21} checks there that building such a pool fails with a
 * message saying that Java 21 is needed.
 */
final class PoolFactory {

  /** Whether this JVM has virtual threads. */
  static final boolean VIRTUAL_THREADS = Runtime.version().feature() >= 21;

  private final String name;
  private final Supplier<Pool.Builder> builder;
  private final boolean virtual;

  private PoolFactory(String name, Supplier<Pool.Builder> builder, boolean virtual) {
    this.name = name;
    this.builder = builder;
    this.virtual = virtual;
  }

  /** Platform threads, the default backend. */
  static PoolFactory platformThreads() {
    return new PoolFactory("platform threads", () -> Pool.builder().threads(), false);
  }

  /** Virtual threads: only usable on Java 21 and later. */
  static PoolFactory virtualThreads() {
    return new PoolFactory("virtual threads", () -> Pool.builder().virtualThreads(), true);
  }

  /**
   * Platform threads behind the public backend seam ({@link SeamBackend}): the scheduler's
   * behaviours through {@link Pool.Builder#backend(PoolBackend)}, as any plugged backend gets them.
   */
  static PoolFactory seam() {
    return new PoolFactory("threads behind the seam", () -> Pool.builder().backend(new SeamBackend()), false);
  }

  /** Every backend this JVM can run; the source of {@link EveryBackend}. */
  static Stream<PoolFactory> all() {
    return VIRTUAL_THREADS
        ? Stream.of(platformThreads(), virtualThreads())
        : Stream.of(platformThreads());
  }

  /** {@link #all()} and {@link #seam()}; the source of {@link EveryBackendAndTheSeam}. */
  static Stream<PoolFactory> allAndTheSeam() {
    return Stream.concat(all(), Stream.of(seam()));
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
    return virtual;
  }

  @Override
  public String toString() {
    return name;
  }
}
