package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Pool.Builder#workerState(WorkerStateFactory)}: one state per worker thread, made once and
 * handed to every task that worker runs, through {@link Pool#workerState(Class)} and {@link
 * Pool#withWorkerState(Class, StatefulTask)}.
 *
 * <p>In this JVM only: the assertions look at the worker threads that own each state. One state per
 * worker JVM is checked by {@code IdiomsOnProcessesTest}, one per cluster member by {@code
 * ClusterIdiomsTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerStateTest {

  /** A state that knows which thread made it and counts the tasks that used it. */
  static final class Counter {
    final Thread owner = Thread.currentThread();
    int tasks; // only ever used by its owner
  }

  @InThisJvm
  void eachWorkerMakesItsStateOnceAndEveryTaskItRunsGetsIt(PoolFactory backend) {
    AtomicInteger made = new AtomicInteger();
    Pool pool =
        backend
            .builder()
            .workers(3)
            .workerState(
                () -> {
                  made.incrementAndGet();
                  return new Counter();
                })
            .build();
    try {
      Set<Thread> workers = Testing.workerThreads(pool, 3);
      Map<Counter, Boolean> seen = new ConcurrentHashMap<>();
      int total = 0;
      for (int call = 0; call < 3; call++) {
        List<Integer> got =
            pool.map(
                x -> {
                  Counter state = Pool.workerState(Counter.class);
                  assertThat(state.owner).isSameAs(Thread.currentThread());
                  seen.put(state, Boolean.TRUE);
                  state.tasks++;
                  return x + 1;
                },
                Testing.range(0, 200),
                3);
        assertThat(got).isEqualTo(Testing.range(1, 201));
        total += 200;
      }
      // the barrier's tasks made every worker's state already; no worker made two
      assertThat(made.get()).isEqualTo(workers.size());
      assertThat(seen.keySet()).allSatisfy(c -> assertThat(workers).contains(c.owner));
      assertThat(seen.keySet().stream().mapToInt(c -> c.tasks).sum()).isEqualTo(total);
    } finally {
      Testing.closeAndJoin(pool);
    }
  }

  @InThisJvm
  void aStatefulTaskTakesTheStateAsAnArgumentInEveryKindOfCall(PoolFactory backend)
      throws Exception {
    Pool pool = backend.builder().workers(2).workerState(StringBuilder::new).build();
    try {
      Task<String, String> reverse =
          Pool.withWorkerState(
              StringBuilder.class,
              (scratch, word) -> {
                scratch.setLength(0);
                return scratch.append(word).reverse().toString();
              });
      List<String> words = List.of("abc", "pool", "", "xy");
      List<String> reversed = List.of("cba", "loop", "", "yx");
      assertThat(pool.map(reverse, words)).isEqualTo(reversed);
      assertThat(pool.imap(reverse, words, 1).toList()).isEqualTo(reversed);
      assertThat(pool.imapUnordered(reverse, words).toList())
          .containsExactlyInAnyOrderElementsOf(reversed);
      assertThat(pool.apply(reverse, "java")).isEqualTo("avaj");
      assertThat(pool.applyAsync(reverse, "ab").get(30, TimeUnit.SECONDS)).isEqualTo("ba");
      assertThat(words.stream().collect(pool.mapping(reverse))).isEqualTo(reversed);
      assertThat(
              pool.starmap(
                  (String a, String b) ->
                      Pool.workerState(StringBuilder.class).getClass().getSimpleName() + a + b,
                  List.of("1"),
                  List.of("2"),
                  1))
          .containsExactly("StringBuilder12");
    } finally {
      Testing.closeAndJoin(pool);
    }
  }

  @InThisJvm
  void aTaskRunningACallOfItsOwnPoolSeesTheSameStateInside(PoolFactory backend) {
    Pool pool = backend.builder().workers(1).workerState(Counter::new).build();
    try {
      List<Boolean> same =
          pool.map(
              x -> {
                Counter outer = Pool.workerState(Counter.class);
                List<Counter> inner = pool.map(y -> Pool.workerState(Counter.class), List.of(1, 2));
                return inner.stream().allMatch(c -> c == outer)
                    && Pool.workerState(Counter.class) == outer;
              },
              List.of(0, 1));
      assertThat(same).containsExactly(true, true);
    } finally {
      Testing.closeAndJoin(pool);
    }
  }

  @InThisJvm
  void aFailingFactoryFailsTheTaskThatNeededItAndTheNextTaskTriesAgain(PoolFactory backend) {
    AtomicInteger attempts = new AtomicInteger();
    Pool pool =
        backend
            .builder()
            .workers(1)
            .workerState(
                () -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new java.io.IOException("model not found");
                  }
                  return "ready";
                })
            .build();
    try {
      assertThatThrownBy(() -> pool.map(x -> Pool.workerState(String.class) + x, List.of(1, 2), 1))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(0);
                assertThat(e.getCause())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("workerState factory failed")
                    .hasCauseInstanceOf(java.io.IOException.class);
              });
      assertThat(pool.map(x -> Pool.workerState(String.class) + x, List.of(1, 2), 1))
          .containsExactly("ready1", "ready2");
      assertThat(attempts.get()).isEqualTo(2);
    } finally {
      Testing.closeAndJoin(pool);
    }
  }

  @InThisJvm
  void aFactoryThatReturnsNullFailsTheTaskSayingSo(PoolFactory backend) {
    try (Pool pool = backend.builder().workers(1).workerState(() -> null).build()) {
      assertThatThrownBy(() -> pool.apply(x -> x, 5))
          .isInstanceOf(TaskFailedException.class)
          .cause()
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("returned null");
    }
  }

  @Test
  void askingForTheStateOutsideAStatefulTaskOrForTheWrongTypeSaysWhatToDo() {
    assertThatThrownBy(() -> Pool.workerState(String.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Pool.builder().workerState(...)");
    try (Pool stateless = Pool.create(1)) {
      assertThatThrownBy(() -> stateless.apply(x -> Pool.workerState(String.class), 0))
          .isInstanceOf(TaskFailedException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class);
    }
    try (Pool pool = Pool.builder().workers(1).workerState(() -> 42).build()) {
      assertThatThrownBy(() -> pool.apply(x -> Pool.workerState(String.class), 0))
          .isInstanceOf(TaskFailedException.class)
          .cause()
          .isInstanceOf(ClassCastException.class)
          .hasMessageContaining("java.lang.Integer, not a java.lang.String");
      Number asNumber = pool.apply(x -> Pool.workerState(Number.class), 0);
      assertThat(asNumber).isEqualTo(42);
    }
    assertThatThrownBy(() -> Pool.workerState(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
    assertThatThrownBy(() -> Pool.builder().workerState(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("workerState");
    assertThatThrownBy(() -> Pool.builder().workerState(() -> 1).workerState(() -> 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("workerState was already set");
    assertThatThrownBy(() -> Pool.withWorkerState(null, (s, x) -> x))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
  }

  @Test
  void twoPoolsOnOneThreadEachSeeTheirOwnState() throws Exception {
    // a cluster member's executor thread runs tasks of several pools; here one thread plays it
    WorkerStates.Binding a = new WorkerStates.Binding(() -> "a");
    WorkerStates.Binding b = new WorkerStates.Binding(() -> "b");
    Task<Object, Object> read = x -> Pool.workerState(String.class);
    List<Object> got = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      got.add(new WorkerStates.StateTask(a, read).apply(null));
      got.add(new WorkerStates.StateTask(b, read).apply(null));
    }
    assertThat(got).containsExactly("a", "b", "a", "b", "a", "b");
    assertThatThrownBy(() -> Pool.workerState(String.class))
        .isInstanceOf(IllegalStateException.class);
  }
}
