package dev.pool4j.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.internal.progress.Renderer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * tqdm's manual bar: {@code Progress.bar(total, desc)} with {@code update}, {@code setPostfix},
 * {@code write} and {@code close}; the lines are tqdm's own for the same numbers.
 */
class ManualBarTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final StringBuffer out = new StringBuffer();

  private Renderer renderer(boolean terminal) {
    return Renderer.builder()
        .output(out)
        .messages(out)
        .terminal(terminal)
        .columns(80)
        .clock(nanos::get)
        .background(false)
        .env(name -> null)
        .build();
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aManualBarCountsItsUpdatesAndDrawsTqdmsFinalLineWhenClosed() {
    try (Bar bar =
        Progress.bar(ProgressOptions.defaults().desc("Copying").total(100), renderer(false))) {
      bar.update(20);
      bar.update();
      bar.update(9);
      advance(Duration.ofSeconds(2));
      assertThat(bar.count()).isEqualTo(30);
    }
    assertThat(out.toString())
        .isEqualTo("Copying:  30%|███       | 30/100 [00:02<00:04, 15.00it/s]\n");
  }

  @Test
  void aStringPostfixFollowsTheRateInsideTheBrackets() {
    Bar bar = Progress.bar(ProgressOptions.defaults().total(100), renderer(false));
    bar.update(30);
    bar.setPostfix("eta ok");
    advance(Duration.ofSeconds(2));
    bar.close();
    assertThat(out.toString())
        .isEqualTo(" 30%|███       | 30/100 [00:02<00:04, 15.00it/s, eta ok]\n");
  }

  @Test
  void aMapPostfixShowsNumbersAsTqdmsFormatNumDoes() {
    Bar bar = Progress.bar(ProgressOptions.defaults().desc("train"), renderer(false));
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("loss", 0.2534);
    stats.put("epoch", 3);
    stats.put("big", 123456789L);
    stats.put("half", 0.5);
    stats.put("tiny", 1e-5);
    stats.put("small", 0.0001);
    stats.put("round", 100.0);
    stats.put("name", "  resnet ");
    bar.setPostfix(stats);
    bar.update(5);
    advance(Duration.ofSeconds(1));
    bar.close();
    assertThat(out.toString())
        .isEqualTo(
            "train: 5it [00:01,  5.00it/s, loss=0.253, epoch=3, big=1.23e+8, half=0.5, tiny=1e-5,"
                + " small=0.0001, round=100, name=resnet]\n");
  }

  @Test
  void closingTwiceDrawsOneFinalLineAndLaterUpdatesDoNothing() {
    Bar bar = Progress.bar(ProgressOptions.defaults().total(10), renderer(false));
    bar.update(10);
    advance(Duration.ofSeconds(1));
    bar.close();
    bar.update(5);
    bar.close();
    assertThat(bar.isClosed()).isTrue();
    assertThat(out.toString()).isEqualTo("100%|██████████| 10/10 [00:01<00:00, 10.00it/s]\n");
  }

  @Test
  void aNegativeTotalIsRefusedNamingTheArgumentAndTheFix() {
    assertThatThrownBy(() -> Progress.bar(-1, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("total must be >= 0, was -1")
        .hasMessageContaining("Progress.bar(desc)");
    assertThatThrownBy(() -> Progress.bar(1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("desc");
  }

  @Test
  void writeOnATerminalWipesTheBarPrintsTheLineAndRedrawsTheBarBelowIt() {
    Renderer renderer = renderer(true);
    Bar bar = Progress.bar(ProgressOptions.defaults().total(-1), renderer);
    bar.update(3);
    advance(Duration.ofSeconds(1));
    renderer.tick();
    String line = "3it [00:01,  3.00it/s]";
    assertThat(out.toString()).isEqualTo("\r" + line);

    bar.write("hello");

    String wiped = "\r" + " ".repeat(line.length()) + "\r";
    assertThat(out.toString()).isEqualTo("\r" + line + wiped + "hello\n" + "\r" + line);
    bar.close();
    assertThat(out.toString()).endsWith("hello\n\r" + line + "\r" + line + "\n");
  }

  @Test
  void writeWithSeveralBarsOnATerminalWipesTheWholeBlock() {
    Renderer renderer = renderer(true);
    Bar first = Progress.bar(ProgressOptions.defaults().desc("a"), renderer);
    Bar second = Progress.bar(ProgressOptions.defaults().desc("b"), renderer);
    advance(Duration.ofSeconds(1));
    renderer.tick();
    int drawn = out.length();

    first.write("msg");

    // Up to the block's first line, blank both lines, back up; the message; the block again.
    String a = "a: 0it [00:01, ?it/s]";
    String b = "b: 0it [00:01, ?it/s]";
    assertThat(out.substring(drawn))
        .isEqualTo(
            "\u001b[1A\r"
                + " ".repeat(a.length())
                + "\n\r"
                + " ".repeat(b.length())
                + "\u001b[1A\r"
                + "msg\n"
                + "\r"
                + a
                + "\n\r"
                + b);
    first.close();
    second.close();
  }

  @Test
  void writeOffATerminalIsAPlainLine() {
    Renderer renderer = renderer(false);
    Bar bar = Progress.bar(ProgressOptions.defaults().total(5), renderer);
    bar.write("note");
    assertThat(out.toString()).isEqualTo("note\n");
    bar.close();
  }
}
