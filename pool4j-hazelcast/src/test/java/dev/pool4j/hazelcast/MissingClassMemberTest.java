package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pool4j.Insights;
import dev.pool4j.Pool;
import dev.pool4j.Results;
import dev.pool4j.Task;
import dev.pool4j.TaskFailedException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member without the application's classes: taken out of the rotation with a warning naming it
 * and the class, its chunks run on the others without spending a retry; a task that no member can
 * run fails naming the class and every member. Two member JVMs: one with the test classes, one
 * whose class path lacks them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MissingClassMemberTest {

  static TestCluster cluster;
  static TestCluster.Member full;
  static TestCluster.Member partial;
  static HazelcastBackend backend;
  static Pool pool;

  static final Logger LOG = Logger.getLogger("dev.pool4j.hazelcast");
  static final List<String> warnings = new CopyOnWriteArrayList<>();
  static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void startCluster() {
    LOG.addHandler(CAPTURE);
    cluster = new TestCluster(2);
    full = cluster.start(1);
    partial = cluster.startWithoutTestClasses(1);
    backend = cluster.client();
    // no retries: a chunk bounced by the member without the classes must not spend one
    pool = Pool.builder().backend(backend).retries(0).build();
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    try {
      if (pool != null) {
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
      }
    } finally {
      LOG.removeHandler(CAPTURE);
      cluster.close();
    }
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void aMemberWithoutTheClassesIsTakenOutWithAWarningAndItsChunksRunElsewhere() {
    assertThat(pool.workers()).isEqualTo(2);
    Results<Integer> results = pool.imap(x -> x * 3, range(300), 1);
    assertThat(results.toList())
        .isEqualTo(range(300).stream().map(x -> x * 3).collect(Collectors.toList()));
    Insights insights = results.insights();
    assertThat(insights.workers())
        .as("%s", insights)
        .filteredOn(w -> w.tasks() > 0)
        .extracting(Insights.WorkerStats::name)
        .containsExactly(full.name);
    assertThat(warnings)
        .as("the member was sent a chunk, and said which class it lacks")
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("member " + partial.name)
                    .contains("class " + MissingClassMemberTest.class.getName())
                    .contains("taken out of"));
    // a later call: the member is tried again (it may have been given the classes), and again
    // leaves the work to the other
    assertThat(pool.map(x -> x + 1, range(100), 1))
        .isEqualTo(range(100).stream().map(x -> x + 1).collect(Collectors.toList()));
  }

  @Test
  void aTaskThatNoMemberCanRunFailsNamingTheClassAndEveryMember(@TempDir Path dir)
      throws Exception {
    Path source = dir.resolve("OnlyHere.java");
    Files.writeString(
        source,
        "public class OnlyHere implements dev.pool4j.Task<Integer, Integer> {\n"
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
    assertThat(javac.waitFor()).as(output).isZero();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      Task<Integer, Integer> onlyHere =
          (Task<Integer, Integer>) loader.loadClass("OnlyHere").getConstructor().newInstance();
      TaskFailedException e =
          catchThrowableOfType(TaskFailedException.class, () -> pool.map(onlyHere, range(20), 2));
      assertThat(e.getCause())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no member of cluster " + cluster.name)
          .hasMessageContaining("class OnlyHere is not on the class path of member " + full.name)
          .hasMessageContaining("is not on the class path of member " + partial.name);
    }
    // the pool goes on: the next call runs where it can
    assertThat(pool.map(x -> x * 2, range(50), 5))
        .isEqualTo(range(50).stream().map(x -> x * 2).collect(Collectors.toList()));
  }
}
