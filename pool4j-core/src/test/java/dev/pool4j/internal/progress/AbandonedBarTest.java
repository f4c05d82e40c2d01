package dev.pool4j.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A bar whose owner is garbage collected closes, as tqdm's closes when its iterator is deleted. */
class AbandonedBarTest {

  @Test
  void aBarClosesOnceItsOwnerIsGarbageCollected() {
    StringBuffer out = new StringBuffer();
    Renderer renderer =
        Renderer.builder().output(out).terminal(false).background(false).env(name -> null).build();
    ProgressBar bar = startOwnedBy(renderer, new Object());

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              System.gc();
              renderer.tick();
              return bar.isClosed();
            });
    // One final line; its time and rate depend on how long the collection took.
    assertThat(out.toString()).startsWith("2it [").endsWith("]\n").containsOnlyOnce("\n");
  }

  @Test
  void aBarWhoseOwnerLivesStaysOpen() {
    Renderer renderer =
        Renderer.builder().output(new StringBuffer()).background(false).env(name -> null).build();
    Object owner = new Object();
    ProgressBar bar = renderer.start("", -1, "it", false, null).closeWhenUnreachable(owner);
    System.gc();
    renderer.tick();
    assertThat(bar.isClosed()).isFalse();
    bar.close();
    assertThat(owner).isNotNull();
  }

  private static ProgressBar startOwnedBy(Renderer renderer, Object owner) {
    ProgressBar bar = renderer.start("", -1, "it", false, null).closeWhenUnreachable(owner);
    bar.add(2);
    return bar;
  }
}
