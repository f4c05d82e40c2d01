package dev.pool4j.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.internal.progress.Renderer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A loop left early ends its bar when what {@code Progress.wrap} returned is closed: the final line
 * is drawn where the loop stopped, once.
 */
class ClosingWrapTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final StringBuffer out = new StringBuffer();
  private final Renderer renderer =
      Renderer.builder()
          .output(out)
          .terminal(false)
          .clock(nanos::get)
          .background(false)
          .env(name -> null)
          .build();
  private final List<Integer> items = IntStream.range(0, 200).boxed().collect(Collectors.toList());

  @Test
  void closingAWrappedIterableEndsTheBarOfALoopLeftByBreak() {
    try (ProgressIterable<Integer> wrapped =
        Progress.wrap(items, ProgressOptions.defaults(), renderer)) {
      for (int item : wrapped) {
        if (item == 50) {
          nanos.addAndGet(Duration.ofSeconds(2).toNanos());
          break; // items 0..49 are done; 50 was left
        }
      }
      assertThat(out.toString()).as("nothing before the close").isEmpty();
    }
    assertThat(out.toString()).isEqualTo(" 25%|██▌       | 50/200 [00:02<00:06, 25.00it/s]\n");
  }

  @Test
  void closingAfterAFinishedLoopDrawsNothingMore() {
    ProgressIterable<Integer> wrapped = Progress.wrap(items, ProgressOptions.defaults(), renderer);
    for (int item : wrapped) {
      assertThat(item).isNotNegative();
    }
    String finished = out.toString();
    wrapped.close();
    wrapped.close();
    assertThat(out.toString()).isEqualTo(finished).containsOnlyOnce("\n").contains("200/200");
  }

  @Test
  void closingAnIterableEndsEveryRunningIterationAndLaterOnesStartAfresh() {
    ProgressIterable<Integer> wrapped = Progress.wrap(items, ProgressOptions.defaults(), renderer);
    ProgressIterator<Integer> first = wrapped.iterator();
    ProgressIterator<Integer> second = wrapped.iterator();
    first.next();
    first.next();
    second.next();
    second.next();
    second.next();
    wrapped.close();
    assertThat(out.toString().lines())
        .hasSize(2)
        .anyMatch(l -> l.contains(" 1/200 "))
        .anyMatch(l -> l.contains(" 2/200 "));
    try (ProgressIterator<Integer> third = wrapped.iterator()) {
      third.next();
    }
    assertThat(out.toString().lines()).hasSize(3).last().asString().contains(" 0/200 ");
  }

  @Test
  void closingAWrappedIteratorEndsItsBar() {
    try (ProgressIterator<Integer> it =
        Progress.wrap(items.iterator(), ProgressOptions.defaults().total(200), renderer)) {
      for (int i = 0; i < 11; i++) {
        it.next();
      }
    }
    assertThat(out.toString()).containsOnlyOnce("\n").contains(" 10/200 ");
  }
}
