package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pool4j.Insights;
import dev.pool4j.Pool;
import dev.pool4j.Results;
import dev.pool4j.Task;
import dev.pool4j.TaskFailedException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's behaviours on a cluster of two member JVMs on 127.0.0.1, through a pool that
 * joins it as a client: every result, order and failure index equals the thread backend's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterContractTest {

  static TestCluster cluster;
  static TestCluster.Member first;
  static TestCluster.Member second;
  static HazelcastBackend backend;
  static Pool pool;
  static Pool threads;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster(2);
    first = cluster.start(2);
    second = cluster.start(2);
    backend = cluster.client();
    pool = Pool.builder().backend(backend).build();
    threads = Pool.create(4);
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    try {
      if (pool != null) {
        pool.close();
        assertThat(pool.join(java.time.Duration.ofSeconds(60))).isTrue();
        assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
      }
      if (threads != null) {
        threads.terminate();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  /** Runs the same call on both pools and returns the two outcomes, results or failure. */
  static <R> List<Object> both(Function<Pool, R> call) {
    List<Object> outcomes = new ArrayList<>();
    for (Pool p : List.of(threads, pool)) {
      try {
        outcomes.add(call.apply(p));
      } catch (TaskFailedException e) {
        outcomes.add(
            "failed at "
                + e.index()
                + ": "
                + e.getCause().getClass().getName()
                + ": "
                + e.getCause().getMessage());
      }
    }
    return outcomes;
  }

  @Test
  void theClusterReportsTheWorkersOfBothMembers() {
    assertThat(pool.workers()).isEqualTo(4);
  }

  @Test
  void mapGivesTheThreadBackendsResultsInOrder() {
    List<Object> outcomes = both(p -> p.map(x -> x * x + 1, range(5_000)));
    assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    assertThat((List<?>) outcomes.get(1)).hasSize(5_000);
  }

  @Test
  void mapOfStringsAndObjectsTravelsBothWays() {
    List<Object> outcomes =
        both(p -> p.map(x -> List.of("item-" + x, x), range(300), 7));
    assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
  }

  @Test
  void imapYieldsInInputOrder() {
    List<Object> outcomes = both(p -> p.imap(x -> x * 3, range(2_000), 3).toList());
    assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
  }

  @Test
  void imapUnorderedYieldsEveryResultOnce() {
    List<Integer> results = pool.<Integer, Integer>imapUnordered(x -> x + 1, range(1_000), 4).toList();
    assertThat(results).containsExactlyInAnyOrderElementsOf(threads.map(x -> x + 1, range(1_000)));
  }

  @Test
  void starmapZipsTwoInputs() {
    List<Object> outcomes =
        both(p -> p.starmap((a, b) -> a + ":" + b, range(500), List.of("x", "y").stream()
            .flatMap(s -> IntStream.range(0, 250).mapToObj(i -> s + i)).collect(Collectors.toList())));
    assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
  }

  @Test
  void applyAndTheAsyncFormsGiveTheSameResults() throws Exception {
    Integer doubled = pool.<Integer, Integer>apply(x -> x * 2, 21);
    assertThat(doubled).isEqualTo(42);
    String v = pool.<Integer, String>applyAsync(x -> "v" + x, 5).get(60, TimeUnit.SECONDS);
    assertThat(v).isEqualTo("v5");
    assertThat(pool.<Integer, Integer>mapAsync(x -> x - 1, range(100)).get(60, TimeUnit.SECONDS))
        .isEqualTo(threads.map(x -> x - 1, range(100)));
  }

  @Test
  void anEmptyInputGivesAnEmptyResult() {
    assertThat(pool.map(x -> x, List.<Integer>of())).isEmpty();
    assertThat(pool.imap(x -> x, List.<Integer>of()).hasNext()).isFalse();
  }

  static Integer failAt737(Integer x) {
    if (x == 737) {
      throw new IllegalArgumentException("no " + x);
    }
    return x * 2;
  }

  @Test
  void aFailingTaskFailsMapAtTheSameIndexWithTheSameCause() {
    List<Object> outcomes = both(p -> p.map(ClusterContractTest::failAt737, range(3_000)));
    assertThat(outcomes.get(0)).isEqualTo("failed at 737: java.lang.IllegalArgumentException: no 737");
    assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
  }

  @Test
  void theCauseCarriesTheMembersStackTrace() {
    TaskFailedException e =
        catchThrowableOfType(
            TaskFailedException.class, () -> pool.map(ClusterContractTest::failAt737, range(800), 10));
    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
    assertThat(e.getCause().getStackTrace())
        .anySatisfy(frame -> assertThat(frame.getMethodName()).isEqualTo("failAt737"));
  }

  @Test
  void imapYieldsEveryEarlierResultThenFailsAtTheIndex() {
    Results<Integer> results = pool.imap(ClusterContractTest::failAt737, range(2_000), 5);
    List<Integer> seen = new ArrayList<>();
    TaskFailedException e =
        catchThrowableOfType(
            TaskFailedException.class,
            () -> {
              while (results.hasNext()) {
                seen.add(results.next());
              }
            });
    assertThat(e.index()).isEqualTo(737);
    assertThat(seen).isEqualTo(threads.map(x -> x * 2, range(737)));
  }

  @Test
  void anInputThatThrowsFailsAtItsPosition() {
    List<Object> outcomes = both(p -> p.map(x -> x, failingInput(50)));
    assertThat(outcomes.get(0)).asString().startsWith("failed at 50: java.lang.IllegalStateException");
    assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
  }

  static Iterable<Integer> failingInput(int at) {
    return () ->
        new Iterator<>() {
          int next;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Integer next() {
            if (next == at) {
              throw new IllegalStateException("input broke at " + at);
            }
            if (next > at) {
              throw new NoSuchElementException();
            }
            return next++;
          }
        };
  }

  @Test
  void thePoolStaysUsableAfterAFailure() {
    assertThatThrownBy(() -> pool.map(ClusterContractTest::failAt737, range(1_000)))
        .isInstanceOf(TaskFailedException.class);
    assertThat(pool.map(x -> x + 1, range(10))).isEqualTo(threads.map(x -> x + 1, range(10)));
  }

  @Test
  void aTaskThatCannotBeSerializedIsRefusedWhenTheCallIsMade() {
    Object notSerializable = new Object();
    Task<Integer, Integer> task = x -> notSerializable.hashCode() + x;
    assertThatThrownBy(() -> pool.map(task, range(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void aClassMissingOnTheMembersIsAnErrorNamingTheClassAndTheMember(@TempDir Path dir)
      throws Exception {
    Path source = dir.resolve("HiddenTask.java");
    Files.writeString(
        source,
        "public class HiddenTask implements dev.pool4j.Task<Integer, Integer> {\n"
            + "  public Integer apply(Integer x) { return x + 1; }\n"
            + "}\n");
    Process javac =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "javac").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-d",
                dir.toString(),
                source.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = javac.waitFor();
    assertThat(output).isEmpty();
    assertThat(rc).isZero();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      Task<Integer, Integer> hidden =
          (Task<Integer, Integer>) loader.loadClass("HiddenTask").getConstructor().newInstance();
      assertThat(threads.map(hidden, range(3))).containsExactly(1, 2, 3);
      TaskFailedException e =
          catchThrowableOfType(
              TaskFailedException.class, () -> pool.imap(hidden, range(20)).toList());
      assertThat(e.index()).isZero();
      assertThat(e.getCause())
          .hasMessageContaining("class HiddenTask is not on the class path of member [127.0.0.1]:")
          .hasMessageContaining(cluster.name);
      assertThat(e.getCause().getMessage()).containsAnyOf(first.address, second.address);
    }
  }

  @Test
  void insightsCountTheTasksOfEachMember() {
    Results<Integer> results =
        pool.imap(
            x -> {
              Thread.sleep(2);
              return x;
            },
            range(400),
            4);
    assertThat(results.toList()).isEqualTo(range(400));
    Insights insights = results.insights();
    Map<String, Long> perMember =
        insights.workers().stream()
            .collect(Collectors.toMap(Insights.WorkerStats::name, Insights.WorkerStats::tasks));
    assertThat(perMember.keySet()).containsExactlyInAnyOrder(first.name, second.name);
    assertThat(perMember.values()).allSatisfy(tasks -> assertThat(tasks).isPositive());
    assertThat(insights.tasks()).isEqualTo(400);
  }
}
