package dev.pool4j.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The number of frames follows the clock, never the number of items counted. */
class RedrawRateTest {

  private static final Duration REDRAW = Duration.ofMillis(100);

  @Test
  void aTerminalRedrawsAtMostOncePerIntervalHoweverOftenItIsAsked() {
    FakeClock clock = new FakeClock();
    StringBuffer out = new StringBuffer();
    Renderer renderer = terminal(out).clock(clock).background(false).build();
    ProgressBar bar = renderer.start("work", 100_000, "it", false, null);

    for (int i = 0; i < 100_000; i++) {
      bar.add(1);
      clock.advance(Duration.ofNanos(10_000)); // 100,000 items in one second
      renderer.tick(); // asked after every item
    }
    bar.close();

    // One second at one frame per 100 ms: the first frame, ten more, and the final one.
    assertThat(renderer.frames()).isBetween(10L, 12L);
    assertThat(Screen.of(out.toString()).lines())
        .containsExactly(
            "work: 100%|" + "\u2588".repeat(24) + "| 100000/100000 [00:01<00:00, 100000.00it/s]");
  }

  @Test
  void aLongPauseGivesOneFrameNotOnePerMissedInterval() {
    FakeClock clock = new FakeClock();
    Renderer renderer = terminal(new StringBuffer()).clock(clock).background(false).build();
    ProgressBar bar = renderer.start("", 10, "it", false, null);
    renderer.tick();
    clock.advance(Duration.ofSeconds(60));
    renderer.tick();
    renderer.tick();
    bar.close();
    assertThat(renderer.frames()).isEqualTo(3);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard only
  void eightThreadsCountingAMillionItemsGetFramesBoundedByElapsedTimeAndAFinalNOverN()
      throws InterruptedException {
    StringBuffer out = new StringBuffer();
    Renderer renderer = terminal(out).redrawInterval(REDRAW).build(); // real clock and thread
    int threads = 8;
    int perThread = 125_000;
    CountDownLatch go = new CountDownLatch(1);
    long before = System.nanoTime();
    ProgressBar bar = renderer.start("squares", (long) threads * perThread, "it", false, null);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                awaitQuietly(go);
                for (int i = 0; i < perThread; i++) {
                  bar.add(1);
                }
              });
      worker.start();
      workers.add(worker);
    }
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    bar.close();
    long elapsed = System.nanoTime() - before;

    // Frames are at least REDRAW apart, plus the first and the final one: however fast or slow
    // this machine ran, the bound holds and does not grow with the million items.
    long bound = elapsed / REDRAW.toNanos() + 2;
    assertThat(renderer.frames()).isBetween(1L, bound);
    List<String> screen = Screen.of(out.toString()).lines();
    assertThat(screen).hasSize(1);
    assertThat(screen.get(0)).startsWith("squares: 100%|").contains("| 1000000/1000000 [");
    assertThat(out.toString()).endsWith("]\n");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Renderer.Builder terminal(StringBuffer out) {
    return Renderer.builder()
        .output(out)
        .terminal(true)
        .columns(80)
        .unicode(true)
        .env(name -> null);
  }
}
