package dev.pool4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.pool4j.Pool;
import dev.pool4j.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link SchedulerBenchmark} measures is right: every backend returns every input, in order,
 * through {@code map} and {@code imap} with chunk size 1, and leaves no thread behind; and the
 * worker JVM options that the profiles pass reach the workers.
 */
@Timeout(120)
class SchedulerBenchmarkTest {

  @ParameterizedTest
  @CsvSource({
    "threads, 1",
    "threads, 3",
    "plugged, 1",
    "plugged, 3",
    "pluggedQueued, 1",
    "pluggedQueued, 3"
  })
  void everyBackendReturnsEveryInputInOrderAndStopsItsThreads(String backend, int workers) {
    SchedulerBenchmark bench = new SchedulerBenchmark();
    bench.backend = backend;
    bench.workers = workers;
    bench.setUp();
    Pool pool = bench.pool();
    try {
      assertThat(bench.map()).isEqualTo(bench.inputs());
      List<Integer> taken = new ArrayList<>();
      for (Integer r : pool.imap(SchedulerBenchmark.IDENTITY, bench.inputs(), 1)) {
        taken.add(r);
      }
      assertThat(taken).isEqualTo(bench.inputs());
    } finally {
      bench.tearDown();
    }
    assertThat(pool.isTerminated()).isTrue();
    assertThat(Thread.getAllStackTraces().keySet())
        .as("member threads of the queued backend")
        .noneMatch(t -> t.getName().startsWith("no-op-member-"));
  }

  @Test
  void badBackendNamesTheChoices() {
    SchedulerBenchmark bench = new SchedulerBenchmark();
    bench.backend = "nope";
    bench.workers = 1;
    assertThatIllegalArgumentException()
        .isThrownBy(bench::setUp)
        .withMessageContaining("threads, plugged or pluggedQueued");
  }

  /** Reads the property that the worker JVM was started with. */
  static final Task<String, String> PROPERTY = System::getProperty;

  @Test
  void workerJvmOptionsReachTheWorkers() {
    String before = System.getProperty(Pools.WORKER_JVM_OPTIONS);
    System.setProperty(
        Pools.WORKER_JVM_OPTIONS, " -Dpool4j.bench.probe=seen   -Dpool4j.bench.other=too ");
    Pool pool;
    try {
      pool = Pools.processes(1);
    } finally {
      if (before == null) {
        System.clearProperty(Pools.WORKER_JVM_OPTIONS);
      } else {
        System.setProperty(Pools.WORKER_JVM_OPTIONS, before);
      }
    }
    try {
      assertThat(pool.map(PROPERTY, List.of("pool4j.bench.probe", "pool4j.bench.other")))
          .containsExactly("seen", "too");
    } finally {
      Pools.shutdown(pool);
    }
  }
}
