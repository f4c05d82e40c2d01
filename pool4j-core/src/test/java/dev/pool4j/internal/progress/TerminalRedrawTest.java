package dev.pool4j.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** On a terminal, bars redraw in place and each live bar keeps a line of its own. */
class TerminalRedrawTest {

  private final FakeClock clock = new FakeClock();
  private final StringBuffer out = new StringBuffer();
  private final Renderer renderer =
      Renderer.builder()
          .output(out)
          .terminal(true)
          .columns(60)
          .unicode(true)
          .clock(clock)
          .background(false)
          .env(name -> null)
          .build();

  private void frame() {
    clock.advance(Duration.ofMillis(100));
    renderer.tick();
  }

  @Test
  void aSingleBarRedrawsWithCarriageReturnsOnlyLikeTqdm() {
    ProgressBar bar = renderer.start("", 4, "it", false, null);
    for (int i = 0; i < 4; i++) {
      bar.add(1);
      frame();
    }
    bar.close();

    String output = out.toString();
    assertThat(output).startsWith("\r").endsWith("\n").doesNotContain("\u001b");
    assertThat(output.split("\r", -1)).hasSize(1 + 4 + 1); // four frames and the final line
    assertThat(Screen.of(output).lines())
        .containsExactly("100%|" + "\u2588".repeat(24) + "| 4/4 [00:00<00:00, 10.00it/s]");
  }

  @Test
  void linesAreCutToOneColumnLessThanTheTerminalSoTheyNeverWrap() {
    ProgressBar bar =
        renderer.start(
            "a description far too long for a sixty column terminal", 10, "it", false, null);
    frame();
    bar.close();
    assertThat(Screen.of(out.toString()).lines()).allSatisfy(line -> assertThat(line).hasSize(59));
  }

  @Test
  void aShorterLineIsPaddedOverTheLongerOneBeforeIt() {
    ProgressBar bar = renderer.start("", -1, "it", false, null);
    bar.add(100_000);
    frame(); // 100000it [00:00, 1000000.00it/s]
    clock.advance(Duration.ofSeconds(10));
    frame(); // 100000it [00:10, 9803.92it/s], two columns shorter
    bar.close();
    assertThat(Screen.of(out.toString()).lines()).containsExactly("100000it [00:10, 9803.92it/s]");
  }

  @Test
  void twoBarsEachKeepTheirOwnLineInTheOrderTheyStarted() {
    ProgressBar first = renderer.start("first", 10, "it", false, null);
    ProgressBar second = renderer.start("second", 10, "it", false, null);
    frame();
    first.add(3);
    second.add(7);
    frame();

    Screen screen = Screen.of(out.toString());
    assertThat(screen.lines()).hasSize(2);
    assertThat(screen.lines().get(0)).startsWith("first:  30%|");
    assertThat(screen.lines().get(1)).startsWith("second:  70%|");
    assertThat(screen.cursorRow()).isEqualTo(1);
  }

  @Test
  void aBarThatEndsIsWrittenForGoodAboveTheBarsStillRunning() {
    ProgressBar first = renderer.start("first", 10, "it", false, null);
    ProgressBar second = renderer.start("second", 10, "it", false, null);
    frame();
    second.add(10);
    second.close(); // the second ends first
    first.add(5);
    frame();

    Screen screen = Screen.of(out.toString());
    assertThat(screen.lines()).hasSize(2);
    assertThat(screen.lines().get(0)).startsWith("second: 100%|").contains("10/10");
    assertThat(screen.lines().get(1)).startsWith("first:  50%|");

    first.add(5);
    first.close();
    screen = Screen.of(out.toString());
    assertThat(screen.lines()).hasSize(2);
    assertThat(screen.lines().get(0)).startsWith("second: 100%|");
    assertThat(screen.lines().get(1)).startsWith("first: 100%|").contains("10/10");
    assertThat(screen.cursorRow()).isEqualTo(2); // on a fresh line below the bars
    assertThat(screen.cursorColumn()).isZero();
  }

  @Test
  void aNestedBarComesAndGoesBelowItsParentWithoutDisturbingIt() {
    ProgressBar outer = renderer.start("outer", 3, "it", false, null);
    for (int i = 0; i < 3; i++) {
      ProgressBar inner = renderer.start("inner " + i, 2, "it", false, null);
      frame();
      inner.add(2);
      frame();
      inner.close();
      outer.add(1);
      frame();
    }
    outer.close();

    assertThat(Screen.of(out.toString()).lines())
        .extracting(line -> line.substring(0, line.indexOf('|')))
        .containsExactly("inner 0: 100%", "inner 1: 100%", "inner 2: 100%", "outer: 100%");
  }

  @Test
  void framesThatWouldChangeNothingAreNotWritten() {
    ProgressBar bar = renderer.start("", 10, "it", false, null);
    frame();
    int written = out.length();
    renderer.tick(); // not due yet
    frame(); // due, but the line reads the same: 0/10, 00:00, no rate
    assertThat(out.length()).isEqualTo(written);
    bar.close();
  }
}
