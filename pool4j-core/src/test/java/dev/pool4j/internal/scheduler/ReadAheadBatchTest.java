package dev.pool4j.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ReadAhead} alone: every chunk published is taken once, in order, or drained once. */
@Timeout(120)
class ReadAheadBatchTest {

  @Test
  void chunksAreTakenInTheOrderPublishedThenNoneWaits() {
    ReadAhead ahead = new ReadAhead();
    assertThat(ahead.poll()).isNull();
    assertThat(ahead.isEmpty()).isTrue();
    Chunk[] chunks = chunks(0, 3);
    ahead.publish(chunks.clone(), 3);
    assertThat(ahead.size()).isEqualTo(3);
    assertThat(ahead.poll()).isSameAs(chunks[0]);
    assertThat(ahead.poll()).isSameAs(chunks[1]);
    assertThat(ahead.isEmpty()).isFalse();
    assertThat(ahead.poll()).isSameAs(chunks[2]);
    assertThat(ahead.poll()).isNull();
    assertThat(ahead.isEmpty()).isTrue();
    assertThat(ahead.size()).isZero();
  }

  @Test
  void aDrainTakesWhatWaitsAndLeavesNothingToPoll() {
    ReadAhead ahead = new ReadAhead();
    Chunk[] chunks = chunks(0, 4);
    ahead.publish(chunks.clone(), 4);
    assertThat(ahead.poll()).isSameAs(chunks[0]);
    List<Chunk> drained = new ArrayList<>();
    ahead.drainTo(drained);
    assertThat(drained).containsExactly(chunks[1], chunks[2], chunks[3]);
    assertThat(ahead.poll()).isNull();
    ahead.drainTo(drained);
    assertThat(drained).hasSize(3);
  }

  /**
   * Takers poll from several threads while one thread publishes batch after batch (each once the
   * one before is taken, as a call's reader does) and, at random, drains one: each chunk reaches
   * exactly one taker or the drain, and each taker sees its chunks in the order published.
   */
  @RepeatedTest(20)
  void concurrentTakersTakeEachChunkOnce() throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    int takers = 2 + random.nextInt(6);
    int total = 20_000;
    AtomicIntegerArray seen = new AtomicIntegerArray(total);
    ReadAhead ahead = new ReadAhead();
    AtomicBoolean done = new AtomicBoolean();
    AtomicBoolean outOfOrder = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(takers);
    for (int t = 0; t < takers; t++) {
      Thread taker =
          new Thread(
              () -> {
                long last = -1;
                while (!done.get() || !ahead.isEmpty()) {
                  Chunk c = ahead.poll();
                  if (c != null) {
                    seen.incrementAndGet((int) c.start());
                    if (c.start() <= last) {
                      outOfOrder.set(true);
                    }
                    last = c.start();
                  }
                }
                finished.countDown();
              });
      taker.setDaemon(true);
      taker.start();
    }
    int next = 0;
    List<Chunk> drained = new ArrayList<>();
    while (next < total) {
      while (!ahead.isEmpty()) {
        Chunk c = ahead.poll();
        if (c != null) {
          seen.incrementAndGet((int) c.start());
        }
      }
      if (random.nextInt(50) == 0) {
        ahead.drainTo(drained);
      }
      int n = Math.min(total - next, 1 + random.nextInt(64));
      ahead.publish(chunks(next, n), n);
      next += n;
    }
    done.set(true);
    assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
    for (Chunk c : drained) {
      seen.incrementAndGet((int) c.start());
    }
    for (int i = 0; i < total; i++) {
      assertThat(seen.get(i)).as("seed " + seed + ", chunk " + i).isEqualTo(1);
    }
    assertThat(outOfOrder.get()).as("seed " + seed + ": a taker saw chunks out of order").isFalse();
  }

  private static Chunk[] chunks(int from, int n) {
    Chunk[] chunks = new Chunk[n];
    for (int i = 0; i < n; i++) {
      chunks[i] = new Chunk(null, from + i, new Object[] {from + i});
    }
    return chunks;
  }
}
