package dev.pool4j.internal.process;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The race of a worker process's end on the process backend: the sender {@link ChunkQueue#enqueue}s
 * a chunk as the receiver, which saw the process end, {@link ChunkQueue#drain}s the queue (and
 * reports all it took). A chunk the sender got accepted must be in the drain, or nobody reports it
 * and its call never finishes; one it was refused goes to the next process. One chunk ({@code
 * first}) is queued before the race.
 *
 * <p>Results: r1 the enqueue was accepted (1) or refused (0); r2 what the drain took, as bits (1:
 * the chunk queued before, 2: the raced one); r3 the chunks left in the queue after both.
 */
@JCStressTest
@Description("A sender's enqueue against the receiver's drain: no accepted chunk is stranded")
@Outcome(id = "1, 3, 0", expect = ACCEPTABLE, desc = "queued first, then drained with the other")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "drained first; the sender was refused")
@Outcome(
    id = "1, 1, 1",
    expect = FORBIDDEN,
    desc = "accepted after the drain: a chunk nobody reports")
@Outcome(expect = FORBIDDEN, desc = "a chunk lost, reported twice or left behind")
@State
public class ChunkQueueDrainTest {

  static final class Item extends ChunkQueue.Entry {}

  private final ChunkQueue<Item> queue = new ChunkQueue<>();
  private final Item first = new Item();
  private final Item raced = new Item();

  public ChunkQueueDrainTest() {
    queue.enqueue(first, 4, () -> {});
  }

  /** The sender: {@code Link.enqueue}. */
  @Actor
  public void sender(III_Result r) {
    r.r1 = queue.enqueue(raced, 4, () -> {}) > 0 ? 1 : 0;
  }

  /** The receiver, which saw the process end: {@code Link}'s drain. */
  @Actor
  public void receiver(III_Result r) {
    List<Item> all = queue.drain();
    int bits = 0;
    for (Item item : all) {
      bits |= item == first ? 1 : item == raced ? 2 : 4;
    }
    r.r2 = all.size() == Integer.bitCount(bits) ? bits : -1;
  }

  @Arbiter
  public void after(III_Result r) {
    int left = 0;
    while (queue.head() != null) {
      queue.pop();
      left++;
    }
    r.r3 = left;
  }
}
