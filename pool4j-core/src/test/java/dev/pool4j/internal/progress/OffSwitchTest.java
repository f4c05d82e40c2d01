package dev.pool4j.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An environment variable switches every bar off; the bars still count. */
class OffSwitchTest {

  private static String drawWith(Map<String, String> env) {
    StringBuffer out = new StringBuffer();
    Renderer renderer =
        Renderer.builder().output(out).terminal(false).background(false).env(env::get).build();
    ProgressBar bar = renderer.start("job", 3, "it", false, null);
    bar.add(3);
    bar.close();
    assertThat(bar.count()).isEqualTo(3);
    return out.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "false", "off", "no", "OFF", " 0 "})
  void pool4jProgressSetToAFalseValueSwitchesBarsOff(String value) {
    assertThat(drawWith(Map.of("POOL4J_PROGRESS", value))).isEmpty();
  }

  @Test
  void barsAreOnWhenNothingIsSet() {
    assertThat(drawWith(Map.of())).contains("3/3");
  }

  @Test
  void tqdmDisableSwitchesBarsOffToo() {
    assertThat(drawWith(Map.of("TQDM_DISABLE", "1"))).isEmpty();
    assertThat(drawWith(Map.of("TQDM_DISABLE", "True"))).isEmpty();
  }

  @Test
  void tqdmDisableSetToAFalseValueLeavesBarsOn() {
    assertThat(drawWith(Map.of("TQDM_DISABLE", "0"))).contains("3/3");
    assertThat(drawWith(Map.of("TQDM_DISABLE", ""))).contains("3/3");
  }

  @Test
  void pool4jProgressWinsOverTqdmDisable() {
    assertThat(drawWith(Map.of("POOL4J_PROGRESS", "1", "TQDM_DISABLE", "1"))).contains("3/3");
  }

  @Test
  void aSwitchedOffBarStartsNoThread() {
    Renderer renderer =
        Renderer.builder()
            .output(new StringBuffer())
            .env(Map.of("POOL4J_PROGRESS", "0")::get)
            .build();
    long before = progressThreads();
    ProgressBar bar = renderer.start("", 10, "it", false, null);
    assertThat(progressThreads()).isEqualTo(before);
    bar.close();
  }

  private static long progressThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("pool4j-progress"))
        .count();
  }
}
