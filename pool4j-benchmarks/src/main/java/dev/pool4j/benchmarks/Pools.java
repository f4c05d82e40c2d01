package dev.pool4j.benchmarks;

import dev.pool4j.Pool;
import dev.pool4j.Task;
import java.util.ArrayList;
import java.util.List;

/** What the benchmarks share: the task, the inputs, and the pools under test. */
final class Pools {

  /**
   * The tiny task of every figure. A static field, so that worker processes and cluster members
   * deserialize the same lambda and no benchmark captures state.
   */
  static final Task<Integer, Integer> SQUARE = x -> x * x;

  private Pools() {}

  /** Boxed {@code 0 .. n-1}, built once per trial so that boxing is never measured. */
  static List<Integer> inputs(int n) {
    List<Integer> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    return list;
  }

  /**
   * A thread pool of {@link Pool#cpuCount()} workers, the builder's default.
   *
   * @param kind {@code platform} ({@code threads()}) or {@code virtual} ({@code virtualThreads()},
   *     Java 21+: on 17 {@code build()} throws {@link UnsupportedOperationException}, which is why
   *     no benchmark lists it by default)
   */
  static Pool threads(String kind) {
    switch (kind) {
      case "platform":
        return Pool.builder().threads().build();
      case "virtual":
        if (Runtime.version().feature() < 21) {
          throw new UnsupportedOperationException(
              "virtual threads need Java 21+, this is Java "
                  + Runtime.version()
                  + ": run without -p threads=virtual");
        }
        return Pool.builder().virtualThreads().build();
      default:
        throw new IllegalArgumentException("threads must be platform or virtual, was " + kind);
    }
  }

  /**
   * The system property that adds JVM options to every worker JVM of {@link #processes()} (split at
   * whitespace), e.g. to start a flight recording in each: see the README's profiles. When set,
   * class-data sharing is off: the worker JVM that dumps an archive (one for each new set of
   * options) would run without the flight recorder.
   */
  static final String WORKER_JVM_OPTIONS = "pool4j.bench.workerJvmOptions";

  /** A pool of two worker JVMs, the figure the issues quote. */
  static Pool processes() {
    return processes(2);
  }

  /** A pool of {@code workers} worker JVMs, with {@link #WORKER_JVM_OPTIONS} when set. */
  static Pool processes(int workers) {
    Pool.Builder builder = Pool.builder().processes().workers(workers);
    String options = System.getProperty(WORKER_JVM_OPTIONS, "").trim();
    if (!options.isEmpty()) {
      builder.jvmOptions(options.split("\\s+"));
      builder.classDataSharing(false);
    }
    return builder.build();
  }

  /** Closes a pool and waits until its workers (threads, JVMs, a client) are gone. */
  static void shutdown(Pool pool) {
    if (pool != null) {
      pool.close();
      pool.join();
    }
  }
}
