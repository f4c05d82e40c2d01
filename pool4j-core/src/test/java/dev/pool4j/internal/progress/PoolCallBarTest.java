package dev.pool4j.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import dev.pool4j.progress.ProgressOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every pool call can draw its own bar, counting done inputs, with no counting by the caller. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // hang guards only
class PoolCallBarTest {

  private static final List<Integer> INPUTS =
      IntStream.range(0, 10_000).boxed().collect(Collectors.toList());

  private final StringBuffer out = new StringBuffer();
  private Renderer previous;

  @AfterEach
  void restoreTheStandardRenderer() {
    Renderer.useForPools(previous);
  }

  private Renderer install(boolean terminal) {
    Renderer renderer =
        Renderer.builder()
            .output(out)
            .terminal(terminal)
            .columns(80)
            .unicode(true)
            .env(name -> null)
            .redrawInterval(Duration.ofMillis(100))
            .build();
    previous = Renderer.useForPools(renderer);
    return renderer;
  }

  private String lastLine() {
    List<String> lines = Screen.of(out.toString()).lines();
    return lines.get(lines.size() - 1);
  }

  @Test
  void aMapOnEightWorkersEndsWithNOverNAndRedrawsBoundedByTimeNotItems() {
    Renderer renderer = install(true);
    long start = System.nanoTime();
    try (Pool pool = Pool.create(8)) {
      List<Integer> squares = pool.withProgress("squares").map(x -> x * x, INPUTS, 1);
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(squares).hasSize(10_000);
      // drawn before map returned: no wait needed
      assertThat(lastLine()).startsWith("squares: 100%|").contains("| 10000/10000 [");
      // at most one frame per 100 ms, plus the first and the last: 10,000 items, chunk size 1
      assertThat(renderer.frames()).isBetween(1L, elapsedMillis / 100 + 3);
    }
  }

  @Test
  void aStreamThatIsNotATerminalGetsPlainLinesWithoutCarriageReturns() {
    install(false);
    try (Pool pool = Pool.create(8)) {
      pool.withProgress("log").map(x -> x + 1, INPUTS);
    }
    assertThat(out.toString()).doesNotContain("\r").endsWith("\n");
    assertThat(lastLine()).startsWith("log: 100%|").contains("| 10000/10000 [");
  }

  @Test
  void everyKindOfCallCountsItsInputsToTheEnd() throws Exception {
    install(false);
    try (Pool pool = Pool.create(4)) {
      Pool bars = pool.withProgress();
      bars.imap(x -> x, INPUTS).toList();
      assertThat(lastLine()).contains("10000/10000");
      try (Results<Integer> r = bars.imapUnordered(x -> x, INPUTS)) {
        r.toList();
      }
      assertThat(lastLine()).contains("10000/10000");
      bars.starmap((Integer a, Integer b) -> a + b, INPUTS, INPUTS);
      assertThat(lastLine()).contains("10000/10000");
      bars.mapAsync(x -> x, INPUTS).get(30, TimeUnit.SECONDS);
      assertThat(lastLine()).contains("10000/10000");
    }
  }

  @Test
  void anInputOfUnknownSizeCountsWithoutATotal() {
    install(false);
    try (Pool pool = Pool.create(2)) {
      pool.withProgress(ProgressOptions.defaults().desc("lines").unit("line"))
          .map(x -> x, INPUTS.iterator());
    }
    assertThat(lastLine()).startsWith("lines: 10000line [");
  }

  @Test
  void aBarFromTheBuilderIsOnForEveryCallAndAViewWithoutProgressDrawsNothing() {
    install(false);
    try (Pool pool = Pool.builder().workers(2).progress().build()) {
      pool.map(x -> x, INPUTS);
      assertThat(lastLine()).contains("10000/10000");

      out.setLength(0);
      pool.withoutProgress().map(x -> x, INPUTS);
      assertThat(out.toString()).isEmpty();
    }
  }

  @Test
  void aFailedCallStillEndsItsBar() {
    install(false);
    try (Pool pool = Pool.create(2)) {
      try {
        pool.withProgress("failing").map(x -> 10 / (x - 5_000), INPUTS, 100);
      } catch (dev.pool4j.TaskFailedException expected) {
        // map fails fast; the bar ends once the chunks still running have ended
      }
      pool.close();
      pool.join();
    }
    assertThat(out.toString()).endsWith("\n");
    assertThat(lastLine()).startsWith("failing: ").contains("/10000 [");
    assertThat(lastLine()).doesNotContain("10000/10000");
  }
}
