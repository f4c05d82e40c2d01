package dev.pool4j.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison harness in quick mode, tiny sizes, every contender once: the report has a row for
 * each, every chart is a PNG, every answer is right, and no child process outlives it. Tagged
 * {@code long}: a minute or two of worker JVMs, Python and a cluster (on 2 cores at load average 7
 * to 15: 130 s on JDK 25, 18 s of it the first-call, scale and start-up tables; 94 s on JDK 17, 11
 * s of it those), so only CI's long run ({@code mvn -B verify -Plong}) runs it, not the README's
 * test command.
 */
@Tag("long")
class CompareSmokeTest {

  @TempDir Path out;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void quickRunReportsEveryContenderWithRightAnswersAndCharts() throws Exception {
    assertThat(Machine.pythonVersion("python3"))
        .as("python3 must be installed: the comparison runs Python's multiprocessing.Pool")
        .isNotNull();
    Set<Long> childrenBefore = children();

    Compare.Outcome outcome = Compare.run("--quick", "--out", out.toString());

    assertThat(outcome.wrongRows())
        .as("rows whose checksum differs from the sequential one")
        .isEmpty();
    Path report = out.resolve("benchmarks.md");
    assertThat(report).isRegularFile();
    String md = Files.readString(report);
    boolean java21 = Runtime.version().feature() >= 21;
    for (Measure m : outcome.measures) {
      for (Measure.Row row : m.rows.values()) {
        String where = m.id + "/" + row.key + ": " + row.status;
        assertThat(md).as(where).contains("| " + Report.label(row) + " |");
        boolean needs21 =
            row.contender.equals("pool4j-virtual")
                || row.contender.startsWith("parallel-collectors")
                || (m.virtual && row.contender.equals("executor"));
        if (row.contender.equals("pool4j-cluster") && row.status != null) {
          assertThat(row.status).as(where).startsWith("not run");
        } else if (needs21 && !java21) {
          assertThat(row.status).as(where).isEqualTo("needs Java 21");
        } else {
          // every other contender ran, Python included, and gave a right answer
          assertThat(row.ok()).as(where).isTrue();
        }
      }
    }
    assertThat(outcome.measures.stream().map(m -> m.id).collect(Collectors.toList()))
        .containsExactly(
            "tiny-map",
            "tiny-imap",
            "cpu",
            "tutorial-3",
            "tutorial-sleep",
            "tutorial-virtual",
            "streaming",
            "memory",
            "first",
            "scale",
            "startup");
    assertThat(outcome.measures.get(0).rows.get("pool4j-cluster").ok()).isTrue();
    assertThat(outcome.measures.get(0).rows.get("python-map").ok()).isTrue();

    // the tables with a row per worker count: each row ran on its own workers and items, and the
    // target at 1,000 workers is judged; the first-call and start-up rows state their second
    // figure (quick mode starts 4 worker processes at most: no row for the 16-process target)
    Measure scale = measure(outcome, "scale");
    assertThat(scale.rows).hasSize(5 * Compare.QUICK_SCALE_WORKERS.length);
    assertThat(scale.rows.get("pool4j-threads@1000").items)
        .isEqualTo(Compare.scaleTasks(1_000, true));
    assertThat(md)
        .contains("| pool4j, platform threads, 1,000 workers |")
        .containsPattern("[✓✗] (met|missed): [0-9.]+% \\(>= 95% efficiency at 1,000 workers\\)")
        .contains("pool ready after")
        .contains("results of its tasks after");
    assertThat(measure(outcome, "startup").rows.keySet())
        .containsExactly(
            "pool4j-processes@2", "pool4j-processes@4", "python-map@2", "python-map@4");
    assertThat(measure(outcome, "first").rows.get("pool4j-processes").extra).hasSize(1);

    assertThat(outcome.charts).hasSize(outcome.measures.size());
    for (Path chart : outcome.charts) {
      assertThat(chart).isRegularFile();
      byte[] bytes = Files.readAllBytes(chart);
      assertThat(bytes.length).as(chart.toString()).isGreaterThan(1000);
      assertThat(Arrays.copyOf(bytes, 8))
          .as(chart + " starts with the PNG signature")
          .containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    }

    // the harness killed or waited for every child and cluster member it started
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Set<Long> left = children();
    while (!left.equals(childrenBefore) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      left = children();
    }
    left.removeAll(childrenBefore);
    assertThat(left).as("child processes left behind").isEmpty();
  }

  private static Measure measure(Compare.Outcome outcome, String id) {
    return outcome.measures.stream().filter(m -> m.id.equals(id)).findFirst().orElseThrow();
  }

  /** Every process descending from this JVM. */
  private static Set<Long> children() {
    List<Long> pids =
        ProcessHandle.current()
            .descendants()
            .filter(ProcessHandle::isAlive)
            .map(ProcessHandle::pid)
            .collect(Collectors.toList());
    return new HashSet<>(pids);
  }
}
