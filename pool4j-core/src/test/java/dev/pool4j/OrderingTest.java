package dev.pool4j;

import static dev.pool4j.Testing.await;
import static dev.pool4j.Testing.lazyRange;
import static dev.pool4j.Testing.range;
import static dev.pool4j.Testing.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code map}, {@code imap} and {@code starmap} give results in input order, {@code imapUnordered}
 * as they are ready; {@code imap} hands out result k as soon as results 0..k are done.
 */
class OrderingTest {

  private static final int N = 4;

  /**
   * A task over 0..n-1 whose input i returns only after input i + 1 has: the inputs finish last
   * first. Needs n workers, since every input but the last waits for the next.
   */
  private static Task<Integer, Integer> finishingInReverse(int n) {
    List<Gate> done = IntStream.range(0, n).mapToObj(i -> new Gate()).collect(Collectors.toList());
    return x -> {
      if (x + 1 < n) {
        done.get(x + 1).pass();
      }
      done.get(x).open();
      return x * 10;
    };
  }

  @EveryBackendAndTheSeam
  void mapGivesResultsInInputOrderWhenLaterInputsFinishFirst(PoolFactory backend) {
    try (Pool pool = backend.create(N)) {
      assertThat(pool.map(finishingInReverse(N), range(0, N), 1)).containsExactly(0, 10, 20, 30);
    }
  }

  @EveryBackendAndTheSeam
  void imapGivesResultsInInputOrderWhenLaterInputsFinishFirst(PoolFactory backend) {
    try (Pool pool = backend.create(N);
        Results<Integer> results = pool.imap(finishingInReverse(N), range(0, N), 1)) {
      assertThat(results.toList()).containsExactly(0, 10, 20, 30);
    }
  }

  @EveryBackendAndTheSeam
  void starmapGivesResultsInInputOrderWhenLaterInputsFinishFirst(PoolFactory backend) {
    Task<Integer, Integer> reverse = finishingInReverse(N);
    try (Pool pool = backend.create(N)) {
      assertThat(
              pool.starmap(
                  (Integer a, Integer b) -> reverse.apply(a) + b, range(0, N), List.of(1, 2, 3, 4)))
          .containsExactly(1, 12, 23, 34);
    }
  }

  @EveryBackendAndTheSeam
  void imapUnorderedHandsOutEachResultAsSoonAsItIsReady(PoolFactory backend) throws Exception {
    // input i may finish only once the consumer has received input i + 1: each result must be
    // handed out while every earlier input is still running, or nothing moves
    List<Gate> received =
        IntStream.range(0, N).mapToObj(i -> new Gate()).collect(Collectors.toList());
    try (Pool pool = backend.create(N);
        Results<Integer> results =
            pool.imapUnordered(
                x -> {
                  if (x + 1 < N) {
                    received.get(x + 1).pass();
                  }
                  return x;
                },
                range(0, N),
                1)) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        int result = take(results);
        order.add(result);
        received.get(result).open();
      }
      assertThat(order).containsExactly(3, 2, 1, 0);
      assertThat(results.hasNext()).isFalse();
    } finally {
      received.forEach(Gate::open);
    }
  }

  @EveryBackendAndTheSeam
  void imapUnorderedDeliversALaterInputThatFinishesFirstBeforeAnEarlierOne(PoolFactory backend)
      throws Exception {
    Gate first = new Gate();
    try (Pool pool = backend.create(2);
        Results<Integer> results =
            pool.imapUnordered(
                x -> {
                  if (x == 0) {
                    first.pass();
                  }
                  return x;
                },
                List.of(0, 1),
                1)) {
      assertThat(take(results)).isEqualTo(1);
      first.open();
      assertThat(take(results)).isEqualTo(0);
      assertThat(results.hasNext()).isFalse();
    } finally {
      first.open();
    }
  }

  @EveryBackendAndTheSeam
  void imapHandsOutResultKAsSoonAsResultsZeroToKAreDone(PoolFactory backend) throws Exception {
    Gate third = new Gate();
    Marks finished = new Marks();
    try (Pool pool = backend.create(4);
        Results<Integer> results =
            pool.imap(
                x -> {
                  if (x == 2) {
                    third.pass();
                  }
                  finished.tick();
                  return x * 10;
                },
                range(0, 6),
                1)) {
      assertThat(take(results)).isEqualTo(0);
      assertThat(take(results)).isEqualTo(10);

      // every input but the third is done; the later ones still wait for their turn
      await().until(() -> finished.ticks() == 5);
      assertThatThrownBy(() -> results.next(Duration.ofMillis(50)))
          .isInstanceOf(TimeoutException.class);

      third.open();
      assertThat(results.toList()).containsExactly(20, 30, 40, 50);
    } finally {
      third.open();
    }
  }

  @EveryBackendAndTheSeam
  void everyCallKeepsInputOrderOverManyInputsWhateverTheChunkSize(PoolFactory backend) {
    List<Integer> inputs = range(0, 5_000);
    List<Integer> squares = inputs.stream().map(x -> x * x).collect(Collectors.toList());
    try (Pool pool = backend.create(3)) {
      assertThat(pool.map(x -> x * x, inputs)).isEqualTo(squares);
      assertThat(pool.map(x -> x * x, lazyRange(0, 5_000))).isEqualTo(squares);
      for (int chunksize : new int[] {1, 7, 1_000, 10_000}) {
        assertThat(pool.map(x -> x * x, inputs, chunksize)).isEqualTo(squares);
        assertThat(pool.imap(x -> x * x, inputs, chunksize).toList()).isEqualTo(squares);
        assertThat(pool.imapUnordered(x -> x * x, inputs, chunksize).toList())
            .containsExactlyInAnyOrderElementsOf(squares);
      }
      assertThat(pool.imap(x -> x * x, inputs).toList()).isEqualTo(squares);
      assertThat(pool.starmap((Integer a, Integer b) -> a * b, inputs, inputs)).isEqualTo(squares);
      assertThat(pool.mapAsync(x -> x * x, inputs).join()).isEqualTo(squares);
    }
  }

  @EveryBackendAndTheSeam
  void anEmptyInputGivesAnEmptyResult(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      assertThat(pool.map(x -> x, List.<Integer>of())).isEmpty();
      assertThat(pool.map(x -> x, List.<Integer>of(), 5)).isEmpty();
      assertThat(pool.map(x -> x, Collections.<Integer>emptyIterator())).isEmpty();
      assertThat(pool.map(x -> x, Stream.<Integer>empty())).isEmpty();
      assertThat(pool.imap(x -> x, List.<Integer>of()).toList()).isEmpty();
      assertThat(pool.imapUnordered(x -> x, lazyRange(0, 0)).toList()).isEmpty();
      assertThat(pool.starmap((Integer a, Integer b) -> a + b, List.of(), List.of())).isEmpty();
      assertThat(pool.mapAsync(x -> x, List.<Integer>of()).join()).isEmpty();

      Results<Integer> results = pool.imap(x -> x, List.<Integer>of());
      assertThat(results.hasNext()).isFalse();
      assertThatThrownBy(results::next).isInstanceOf(NoSuchElementException.class);
    }
  }

  @EveryBackendAndTheSeam
  void nextAfterTheLastResultThrowsNoSuchElementException(PoolFactory backend) {
    try (Pool pool = backend.create(2)) {
      Results<Integer> results = pool.imap(x -> x + 1, List.of(1, 2));
      assertThat(results.next()).isEqualTo(2);
      assertThat(results.next()).isEqualTo(3);
      assertThat(results.hasNext()).isFalse();
      assertThatThrownBy(results::next).isInstanceOf(NoSuchElementException.class);
      assertThatThrownBy(() -> results.next(Duration.ofSeconds(1)))
          .isInstanceOf(NoSuchElementException.class);
    }
  }
}
