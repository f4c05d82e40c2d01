package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The thread backends: platform threads by default, virtual threads on Java 21 and later, found at
 * run time; one worker per processor unless told otherwise.
 */
class BackendTest {

  /** {@code Thread.isVirtual()}, which a Java 17 build cannot call directly. */
  static boolean isVirtual(Thread thread) {
    try {
      Method isVirtual = Thread.class.getMethod("isVirtual");
      return (boolean) isVirtual.invoke(thread);
    } catch (NoSuchMethodException e) {
      return false; // before Java 21 every thread is a platform thread
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Never skipped: on Java 17 to 20 it checks the refusal, on 21 and later that the workers are
   * virtual threads. The backend matrix of the other tests holds virtual threads only on 21+.
   */
  @Test
  void virtualThreadsNeedJava21() {
    Pool.Builder builder = Pool.builder().virtualThreads().workers(2);
    if (!PoolFactory.VIRTUAL_THREADS) {
      assertThatThrownBy(builder::build)
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("Java 21");
      return;
    }
    Pool pool = builder.build();
    Set<Thread> workers = Testing.workerThreads(pool, 2);
    assertThat(workers).allMatch(BackendTest::isVirtual, "virtual");
    assertThat(workers)
        .extracting(Thread::getName)
        .allMatch(name -> name.matches("pool4j-\\d+-worker-\\d+"));
    Testing.closeAndJoin(pool);
  }

  @Test
  void theDefaultBackendIsDaemonPlatformThreadsNamedAfterTheirPool() {
    for (Pool pool : new Pool[] {Pool.create(2), Pool.builder().threads().workers(2).build()}) {
      Set<Thread> workers = Testing.workerThreads(pool, 2);
      assertThat(workers).noneMatch(BackendTest::isVirtual);
      assertThat(workers).allMatch(Thread::isDaemon, "daemon");
      assertThat(workers)
          .extracting(Thread::getName)
          .allMatch(name -> name.matches("pool4j-\\d+-worker-\\d+"));
      Testing.closeAndJoin(pool);
    }
  }

  @Test
  void aPoolHasOneWorkerPerProcessorUnlessToldOtherwise() {
    assertThat(Pool.cpuCount()).isPositive().isEqualTo(Runtime.getRuntime().availableProcessors());
    try (Pool byDefault = Pool.create();
        Pool built = Pool.builder().build();
        Pool five = Pool.create(5);
        Pool seven = Pool.builder().workers(7).build()) {
      assertThat(byDefault.workers()).isEqualTo(Pool.cpuCount());
      assertThat(built.workers()).isEqualTo(Pool.cpuCount());
      assertThat(five.workers()).isEqualTo(5);
      assertThat(seven.workers()).isEqualTo(7);
    }
  }

  @EveryBackendAndTheSeam
  void aPoolRunsAsManyTasksAtOnceAsItHasWorkers(PoolFactory backend) {
    try (Pool pool = backend.create(6)) {
      assertThat(Testing.parallelWorkers(pool, 6)).hasSize(6);
    }
  }

  @EveryBackend
  void aWorkerIsReplacedAfterMaxTasksPerWorkerTasks(PoolFactory backend) {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    Marks pids = new Marks();
    boolean here = backend.sharesMemory();
    Pool pool = backend.builder().workers(1).maxTasksPerWorker(2).chunksize(1).build();
    assertThat(
            pool.map(
                x -> {
                  if (here) {
                    threads.add(Thread.currentThread());
                  } else {
                    pids.add(ProcessHandle.current().pid());
                  }
                  return x * 2;
                },
                Testing.range(0, 10)))
        .isEqualTo(Testing.range(0, 10).stream().map(x -> x * 2).toList());
    if (here) {
      assertThat(threads).as("one thread per two tasks").hasSizeGreaterThanOrEqualTo(5);
    } else {
      assertThat(pids.names()).as("one worker JVM per two tasks").hasSizeGreaterThanOrEqualTo(5);
    }
    Testing.closeAndJoin(pool);
    Testing.await().until(() -> threads.stream().noneMatch(Thread::isAlive));
    Testing.await()
        .until(
            () ->
                Testing.noneAlive(
                    pids.names().stream().map(Long::valueOf).collect(Collectors.toSet())));
  }
}
