package dev.pool4j.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.internal.progress.Renderer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link Progress#wrap} over iterables, iterators and streams: what is counted, which total is
 * shown, and when the bar ends. A renderer writing log lines into a buffer, on a clock that moves
 * only when told, stands in for standard error.
 */
class WrappedIterationTest {

  private final AtomicLong nanos = new AtomicLong();
  private final StringBuffer out = new StringBuffer();
  private Map<String, String> env = Map.of();
  private final Renderer renderer =
      Renderer.builder()
          .output(out)
          .terminal(false)
          .unicode(false)
          .clock(nanos::get)
          .logInterval(Duration.ofSeconds(1))
          .background(false)
          .env(name -> env.get(name))
          .build();

  private static final ProgressOptions DEFAULTS = ProgressOptions.defaults();

  private List<String> lines() {
    String s = out.toString();
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
  }

  private String finalLine() {
    List<String> lines = lines();
    assertThat(lines).isNotEmpty();
    return lines.get(lines.size() - 1);
  }

  private void seconds(long s) {
    nanos.addAndGet(Duration.ofSeconds(s).toNanos());
  }

  @Nested
  class Iterables {

    @Test
    void aCollectionGivesTheTotalAndTheFinalLineSaysNOverN() {
      List<Integer> seen = new ArrayList<>();
      for (int x : Progress.wrap(List.of(1, 5, 3), DEFAULTS, renderer)) {
        seconds(1);
        seen.add(x);
      }
      assertThat(seen).containsExactly(1, 5, 3);
      assertThat(finalLine()).isEqualTo("100%|##########| 3/3 [00:03<00:00,  1.00it/s]");
    }

    @Test
    void anIterableOfUnknownSizeShowsCountAndRateWithoutABar() {
      Iterable<Integer> numbers = () -> IntStream.range(0, 4).iterator();
      for (int ignored : Progress.wrap(numbers, DEFAULTS, renderer)) {
        seconds(1);
      }
      assertThat(finalLine()).isEqualTo("4it [00:04,  1.00it/s]");
    }

    @Test
    void aGivenTotalReplacesTheUnknownOne() {
      Iterable<Integer> numbers = () -> IntStream.range(0, 4).iterator();
      for (int ignored : Progress.wrap(numbers, DEFAULTS.total(8), renderer)) {
        seconds(1);
      }
      assertThat(finalLine()).isEqualTo(" 50%|#####     | 4/8 [00:04<00:04,  1.00it/s]");
    }

    @Test
    void anItemCountsOnceTheLoopBodyIsDoneWithItAsInTqdm() {
      for (int ignored : Progress.wrap(List.of(1, 2, 3, 4), DEFAULTS, renderer)) {
        seconds(1); // inside the body of item k, k-1 items are done
        renderer.tick();
      }
      assertThat(lines())
          .extracting(line -> line.substring(line.lastIndexOf("| ") + 2, line.indexOf(" [")))
          .containsExactly("0/4", "1/4", "2/4", "3/4", "4/4");
    }

    @Test
    void descriptionUnitAndScalingShowAsInTqdm() {
      List<Integer> items = IntStream.range(0, 1500).boxed().collect(Collectors.toList());
      ProgressOptions options = DEFAULTS.desc("Loading").unit("rows").unitScale(true);
      for (int ignored : Progress.wrap(items, options, renderer)) {
        // no time passes
      }
      assertThat(finalLine()).isEqualTo("Loading: 100%|##########| 1.50k/1.50k [00:00<?, ?rows/s]");
    }

    @Test
    void eachIterationDrawsABarOfItsOwn() {
      Iterable<String> wrapped = Progress.wrap(List.of("a", "b"), DEFAULTS, renderer);
      for (String ignored : wrapped) {
        // first pass
      }
      for (String ignored : wrapped) {
        // second pass
      }
      assertThat(lines()).hasSize(2).allSatisfy(line -> assertThat(line).contains("2/2"));
    }

    @Test
    void anInputThatThrowsEndsTheBarWithTheItemsDoneSoFar() {
      Iterable<Integer> failing =
          () ->
              new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                  if (i == 2) {
                    throw new IllegalStateException("disk on fire");
                  }
                  return true;
                }

                @Override
                public Integer next() {
                  return i++;
                }
              };
      assertThatThrownBy(
              () -> {
                for (int ignored : Progress.wrap(failing, DEFAULTS, renderer)) {
                  // consume
                }
              })
          .hasMessage("disk on fire");
      assertThat(finalLine()).startsWith("2it [");
    }
  }

  @Nested
  class Iterators {

    @Test
    void anIteratorHasNoTotalUnlessOneIsGiven() {
      Iterator<Integer> counted = Progress.wrap(List.of(1, 2).iterator(), DEFAULTS, renderer);
      counted.forEachRemaining(x -> {});
      assertThat(finalLine()).startsWith("2it [");

      Iterator<Integer> sized =
          Progress.wrap(List.of(1, 2).iterator(), DEFAULTS.total(2), renderer);
      sized.forEachRemaining(x -> {});
      assertThat(finalLine()).contains("| 2/2 [");
    }

    @Test
    void nextPastTheEndStillThrowsAndEndsTheBar() {
      Iterator<Integer> counted = Progress.wrap(List.of(1).iterator(), DEFAULTS, renderer);
      counted.next();
      assertThatThrownBy(counted::next).isInstanceOf(NoSuchElementException.class);
      assertThat(finalLine()).startsWith("1it [");
    }

    @Test
    void removeIsPassedThrough() {
      List<Integer> list = new ArrayList<>(List.of(1, 2, 3));
      Iterator<Integer> counted = Progress.wrap(list.iterator(), DEFAULTS, renderer);
      counted.next();
      counted.remove();
      assertThat(list).containsExactly(2, 3);
    }
  }

  @Nested
  class Streams {

    @Test
    void aSizedStreamGivesTheTotal() {
      long sum = Progress.wrap(Stream.of(1, 2, 3), DEFAULTS, renderer).mapToLong(x -> x).sum();
      assertThat(sum).isEqualTo(6);
      assertThat(finalLine()).contains("| 3/3 [");
    }

    @Test
    void aFilteredStreamHasNoKnownSizeButCountsEverySourceElement() {
      long odd =
          Progress.wrap(IntStream.range(0, 10).boxed().filter(x -> x % 2 == 1), DEFAULTS, renderer)
              .count();
      assertThat(odd).isEqualTo(5);
      assertThat(finalLine()).startsWith("5it [");
    }

    @Test
    void aParallelStreamCountsFromEveryThreadAndEndsOnce() {
      List<Integer> items = IntStream.range(0, 100_000).boxed().collect(Collectors.toList());
      long sum = Progress.wrap(items.parallelStream(), DEFAULTS, renderer).mapToLong(x -> x).sum();
      assertThat(sum).isEqualTo(4_999_950_000L);
      assertThat(lines()).hasSize(1);
      assertThat(finalLine()).contains("| 100000/100000 [");
    }

    @Test
    void theBarStartsWithTheTerminalOperationNotWithWrap() {
      Stream<Integer> wrapped = Progress.wrap(Stream.of(1, 2), DEFAULTS, renderer);
      seconds(100); // before the terminal operation: not counted
      wrapped.forEach(x -> seconds(1));
      assertThat(finalLine()).contains("[00:02<");
    }

    @Test
    void aShortCircuitedStreamEndsItsBarWhenClosed() {
      try (Stream<Integer> wrapped =
          Progress.wrap(IntStream.range(0, 100).boxed(), DEFAULTS, renderer)) {
        assertThat(wrapped.filter(x -> x == 3).findFirst()).contains(3);
        assertThat(lines()).isEmpty();
      }
      assertThat(finalLine()).contains("| 4/100 [");
    }

    @Test
    void closingTheWrappedStreamClosesTheOriginal() {
      AtomicLong closed = new AtomicLong();
      Stream<Integer> original = Stream.of(1).onClose(closed::incrementAndGet);
      Progress.wrap(original, DEFAULTS, renderer).close();
      assertThat(closed).hasValue(1);
    }
  }

  @Nested
  class Switch {

    @Test
    void withBarsOffTheInputIsIteratedAsItWouldBeUnwrapped() {
      env = Map.of("POOL4J_PROGRESS", "0");
      List<Integer> seen = new ArrayList<>();
      for (int x : Progress.wrap(List.of(1, 2, 3), DEFAULTS, renderer)) {
        seen.add(x);
      }
      assertThat(seen).containsExactly(1, 2, 3);
      assertThat(out.toString()).isEmpty();
    }
  }

  @Nested
  class Arguments {

    @Test
    void nullInputsAndOptionsAreRejectedByName() {
      assertThatThrownBy(() -> Progress.wrap((Iterable<Object>) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("items");
      assertThatThrownBy(() -> Progress.wrap(List.of(), (ProgressOptions) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("options");
      assertThatThrownBy(() -> Progress.wrap((Stream<Object>) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("items");
      assertThatThrownBy(() -> Progress.wrap((Iterator<Object>) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("items");
    }
  }
}
