package dev.pool4j.internal.wiring;

import dev.pool4j.WorkerInitializer;
import dev.pool4j.internal.plugged.PluggedBackend;
import dev.pool4j.internal.process.ProcessBackend;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.scheduler.SchedulerConfig;
import dev.pool4j.internal.threads.ThreadBackend;
import dev.pool4j.spi.PoolBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Turns what a pool's builder collected into a started scheduler on its backend: the one place
 * where the settings are checked against the backend and against each other, and where the
 * scheduler's configuration is made. {@code Pool.Builder} checks each setting on its own as it is
 * given (a negative count, a null); what depends on the backend chosen is checked here, once for
 * every backend.
 */
public final class PoolWiring {

  private PoolWiring() {}

  /** Which backend the builder chose. */
  public enum Kind {
    THREADS,
    VIRTUAL_THREADS,
    PROCESSES,
    PLUGGED
  }

  /**
   * A builder's settings; null, 0 or -1 (retries) for "not set".
   *
   * @param kind the backend, or null for the default (platform threads)
   * @param plugged the backend of {@link Kind#PLUGGED}, or null
   * @param classDataSharing null for the default (on, in the default directory)
   */
  public record Settings(
      Kind kind,
      PoolBackend plugged,
      int workers,
      int chunksize,
      int maxInFlight,
      Duration taskTimeout,
      int maxTasksPerWorker,
      int retries,
      List<String> jvmOptions,
      Map<String, String> environment,
      String deserializationFilter,
      WorkerInitializer initializer,
      Boolean classDataSharing,
      Path cdsDirectory) {

    Kind kindOrDefault() {
      return kind == null ? Kind.THREADS : kind;
    }

    /** Whether any setting that only worker processes have was given. */
    boolean processSettings() {
      return jvmOptions != null
          || environment != null
          || deserializationFilter != null
          || classDataSharing != null;
    }
  }

  /**
   * A started scheduler.
   *
   * @param scheduler the scheduler, its workers starting
   * @param inThisJvm whether tasks run in this JVM and share its memory (threads, or a plugged
   *     backend that does not serialize)
   */
  public record Wired(Scheduler scheduler, boolean inThisJvm) {}

  /**
   * Checks the settings against the backend and starts it with a scheduler.
   *
   * @throws IllegalStateException naming the settings that the backend does not have, and what to
   *     do
   */
  public static Wired wire(Settings s) {
    Kind kind = s.kindOrDefault();
    check(kind, s);
    switch (kind) {
      case PLUGGED:
        return plugged(s);
      case PROCESSES:
        return new Wired(
            new Scheduler(
                config(s, workers(s), s.taskTimeout(), s.maxTasksPerWorker()), processes(s)),
            false);
      default:
        return new Wired(
            new Scheduler(
                config(s, workers(s), s.taskTimeout(), s.maxTasksPerWorker()),
                new ThreadBackend(kind == Kind.VIRTUAL_THREADS, s.taskTimeout(), s.initializer())),
            true);
    }
  }

  /** What the backend chosen cannot do; one message per kind of mistake. */
  private static void check(Kind kind, Settings s) {
    if (kind == Kind.PLUGGED) {
      if (s.taskTimeout() != null || s.maxTasksPerWorker() > 0) {
        throw new IllegalStateException(
            "taskTimeout and maxTasksPerWorker stop or replace the thread or process that runs a"
                + " task, which a plugged backend ("
                + s.plugged()
                + ") does not expose: drop them");
      }
      if (s.processSettings() || s.initializer() != null) {
        throw new IllegalStateException(
            "jvmOptions, environment, deserializationFilter, initializer and classDataSharing are"
                + " settings of the built-in workers: drop them for a plugged backend"
                + " (workerState(...) gives each of its workers a state of its own)");
      }
    } else if (kind != Kind.PROCESSES && s.processSettings()) {
      throw new IllegalStateException(
          "jvmOptions, environment, deserializationFilter and classDataSharing are settings of"
              + " worker processes: add processes(), or drop them");
    }
  }

  private static int workers(Settings s) {
    return s.workers() > 0 ? s.workers() : Runtime.getRuntime().availableProcessors();
  }

  private static SchedulerConfig config(
      Settings s, int workers, Duration taskTimeout, int maxTasksPerWorker) {
    return new SchedulerConfig(
        workers,
        s.chunksize(),
        s.maxInFlight() > 0 ? s.maxInFlight() : SchedulerConfig.defaultMaxInFlight(workers),
        s.maxInFlight() > 0 ? 0 : SchedulerConfig.DEFAULT_MIN_ITEMS_IN_FLIGHT,
        taskTimeout,
        maxTasksPerWorker,
        s.retries() >= 0 ? s.retries() : SchedulerConfig.DEFAULT_RETRIES);
  }

  private static ProcessBackend processes(Settings s) {
    return new ProcessBackend(
        new ProcessBackend.Options(
            s.jvmOptions() == null ? List.of() : s.jvmOptions(),
            s.environment() == null ? Map.of() : s.environment(),
            s.deserializationFilter(),
            s.initializer(),
            s.taskTimeout(),
            Boolean.FALSE.equals(s.classDataSharing())
                ? null
                : s.cdsDirectory() != null
                    ? s.cdsDirectory()
                    : ProcessBackend.defaultCdsDirectory()));
  }

  /**
   * A plugged backend is started first: its capacity is the default number of workers. It is closed
   * again if the pool cannot be made.
   */
  private static Wired plugged(Settings s) {
    PoolBackend backend = s.plugged();
    int capacity = backend.start(s.workers());
    if (capacity < 1) {
      backend.close();
      throw new IllegalStateException(
          "the backend " + backend + " started with a capacity of " + capacity + "; must be >= 1");
    }
    int n = s.workers() > 0 ? s.workers() : capacity;
    try {
      return new Wired(
          new Scheduler(config(s, n, null, 0), new PluggedBackend(backend)), !backend.serializes());
    } catch (RuntimeException | Error e) {
      backend.close();
      throw e;
    }
  }
}
