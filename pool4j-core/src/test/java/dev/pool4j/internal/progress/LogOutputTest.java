package dev.pool4j.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Off a terminal (a log, a pipe, CI), bars write plain lines: a few, then a final one. */
class LogOutputTest {

  private final FakeClock clock = new FakeClock();
  private final StringBuffer out = new StringBuffer();
  private final Renderer renderer =
      Renderer.builder()
          .output(out)
          .terminal(false)
          .clock(clock)
          .logInterval(Duration.ofSeconds(5))
          .background(false)
          .env(name -> null)
          .build();

  @Test
  void aRedirectedStreamGetsNoCarriageReturnAndNoEscapeCode() {
    ProgressBar bar = renderer.start("copy", 100, "it", false, null);
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofMillis(250));
      bar.add(1);
      renderer.tick();
    }
    bar.close();

    assertThat(out.toString()).doesNotContain("\r").doesNotContain("\u001b").endsWith("\n");
  }

  @Test
  void aLineComesAtMostOncePerIntervalAndTheFinalLineSaysNOverN() {
    ProgressBar bar = renderer.start("copy", 100, "it", false, null);
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofMillis(250)); // 25 s in all
      bar.add(1);
      renderer.tick();
    }
    bar.close();

    List<String> lines = lines();
    assertThat(lines).hasSize(25 / 5 + 1);
    assertThat(lines.get(0))
        .isEqualTo("copy:  20%|\u2588\u2588        | 20/100 [00:05<00:20,  4.00it/s]");
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "copy: 100%|\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588| 100/100 [00:25<00:00,  4.00it/s]");
  }

  @Test
  void aCallShorterThanTheIntervalWritesOnlyItsFinalLine() {
    ProgressBar bar = renderer.start("", -1, "files", false, null);
    bar.add(7);
    clock.advance(Duration.ofSeconds(2));
    renderer.tick();
    bar.close();

    assertThat(lines()).containsExactly("7files [00:02,  3.50files/s]");
  }

  @Test
  void severalBarsInterleaveWholeLinesThatNameTheirBar() {
    ProgressBar a = renderer.start("a", 10, "it", false, null);
    ProgressBar b = renderer.start("b", 20, "it", false, null);
    clock.advance(Duration.ofSeconds(5));
    a.add(5);
    b.add(5);
    renderer.tick();
    b.close();
    a.add(5);
    a.close();

    assertThat(lines())
        .extracting(line -> line.substring(0, line.indexOf('%') + 1))
        .containsExactly("a:  50%", "b:  25%", "b:  25%", "a: 100%");
  }

  @Test
  void closingTwiceWritesTheFinalLineOnce() {
    ProgressBar bar = renderer.start("", 1, "it", false, null);
    bar.add(1);
    bar.close();
    bar.close();
    assertThat(lines()).hasSize(1);
  }

  private List<String> lines() {
    return Arrays.asList(out.toString().split("\n"));
  }
}
