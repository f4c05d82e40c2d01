package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.Pool;
import dev.pool4j.RemoteTaskException;
import dev.pool4j.TaskFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deserialization filters hold in the workers as in the parent. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FilterTest extends ProcessPoolTest {

  /** A value of this test's own package. */
  record Point(int x, int y) implements java.io.Serializable {}

  @Test
  void theParentsJvmWideFilterHoldsInItsWorkers() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process parent =
        new ProcessBuilder(
                java,
                "-Djdk.serialFilter=!java.time.*",
                "-cp",
                System.getProperty("java.class.path"),
                FilterMain.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(parent.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    } finally {
      parent.destroyForcibly();
    }
    assertThat(parent.exitValue()).as(out).isZero();
    // the worker read the Duration under the parent's filter, and refused it
    assertThat(out).contains("refused at 1: ").contains("REJECTED").doesNotContain("accepted");
    assertThat(out).contains("then [2, 3]");
  }

  @Test
  void theDocumentedPatternRunsLambdaTasksAndRefusesClassesOutsideIt() {
    // the pattern of Pool.Builder#deserializationFilter, with this package for com.example
    String pattern = "java.base/*;" + FilterTest.class.getPackageName() + ".**;!*";
    pool = Pool.builder().processes().workers(1).retries(0).deserializationFilter(pattern).build();
    int offset = 10; // captured: the lambda's serialized form carries it
    assertThat(pool.map(x -> x + offset, List.of(1, 2, 3))).containsExactly(11, 12, 13);
    assertThat(pool.map(p -> new Point(p.y(), p.x()), List.of(new Point(1, 2))))
        .containsExactly(new Point(2, 1));
    // a class outside the pattern: refused in the worker, at its index
    Object outside = new RemoteTaskException("a.B", "outside the pattern", null);
    assertThatThrownBy(() -> pool.map(x -> String.valueOf(x), List.of(1, outside), 2))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(1);
              assertThat(e.getCause()).hasMessageContaining("REJECTED");
            });
    assertThat(pool.map(x -> x * 2, List.of(4))).containsExactly(8);
  }

  @Test
  void thePatternTheDocsGaveBeforeRefusedEveryLambdaTask() {
    // only a model package: the class a lambda is written in is refused
    String pattern = "java.base/*;" + FilterTest.class.getPackageName() + ".model.*;!*";
    pool = Pool.builder().processes().workers(1).retries(0).deserializationFilter(pattern).build();
    assertThatThrownBy(() -> pool.map(x -> x + 1, List.of(1)))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("could not read the task");
  }
}
