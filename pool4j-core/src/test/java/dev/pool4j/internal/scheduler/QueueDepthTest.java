package dev.pool4j.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * How many chunks a backend queues to one worker, by how long chunks take: a worker process's depth
 * by the call's chunks, a cluster member's by the backend's; and the running mean they are judged
 * by.
 */
class QueueDepthTest {

  /** The process backend's adaptive target (ProcessBackend.TARGET_CHUNK_NANOS). */
  private static final long TARGET = 5_000_000;

  private static final long MS = 1_000_000;

  @Test
  void aCallsFirstChunkGoesOnlyToAnIdleProcess() {
    assertThat(QueueDepth.forProcess(-1, TARGET, 1_000, 2)).isEqualTo(1);
  }

  @Test
  void shortChunksAreQueuedDeepWhereverTheInputStands() {
    assertThat(QueueDepth.forProcess(50_000, TARGET, 0, 2)).isEqualTo(QueueDepth.MAX);
    assertThat(QueueDepth.forProcess(50_000, TARGET, -1, 2)).isEqualTo(QueueDepth.MAX);
  }

  @Test
  void longerChunksAreQueuedOneAheadOnlyFarFromTheEndOfASizedInput() {
    for (long nanos : new long[] {1 * MS, 9 * MS, 30 * MS}) {
      assertThat(QueueDepth.forProcess(nanos, TARGET, 100, 2)).isEqualTo(2);
      assertThat(QueueDepth.forProcess(nanos, TARGET, 4, 2)).isEqualTo(2);
      // fewer than 2 unread items a worker: the chunk queued here could be the one the call
      // ends waiting for while another worker idles
      assertThat(QueueDepth.forProcess(nanos, TARGET, 3, 2)).isEqualTo(1);
      assertThat(QueueDepth.forProcess(nanos, TARGET, 0, 2)).isEqualTo(1);
      assertThat(QueueDepth.forProcess(nanos, TARGET, 15, 8)).isEqualTo(1);
    }
  }

  @Test
  void withAnInputOfUnknownSizeOnlyChunksNearTheTargetAreQueuedAhead() {
    // it could end at any chunk
    assertThat(QueueDepth.forProcess(TARGET, TARGET, -1, 2)).isEqualTo(2);
    assertThat(QueueDepth.forProcess(2 * TARGET, TARGET, -1, 2)).isEqualTo(2);
    assertThat(QueueDepth.forProcess(30 * MS, TARGET, -1, 2)).isEqualTo(1);
  }

  @Test
  void longChunksGoOnlyToAnIdleProcess() {
    assertThat(QueueDepth.forProcess(QueueDepth.QUEUE_AHEAD_NANOS, TARGET, 1_000, 2)).isEqualTo(2);
    assertThat(QueueDepth.forProcess(QueueDepth.QUEUE_AHEAD_NANOS + 1, TARGET, 1_000, 2))
        .isEqualTo(1);
    assertThat(QueueDepth.forProcess(2_000 * MS, TARGET, 1_000_000, 2)).isEqualTo(1);
  }

  @Test
  void aMembersWorkerHoldsEightChunksWhileTheyTakeUnderTwoMillisecondsElseTwo() {
    assertThat(QueueDepth.forMember(-1)).as("before the first chunk is back").isEqualTo(2);
    assertThat(QueueDepth.forMember(0)).isEqualTo(QueueDepth.MAX);
    assertThat(QueueDepth.forMember(2 * MS - 1)).isEqualTo(QueueDepth.MAX);
    assertThat(QueueDepth.forMember(2 * MS)).isEqualTo(2);
    assertThat(QueueDepth.forMember(2_000 * MS)).isEqualTo(2);
  }

  @Test
  void theChunkTimeIsARunningMeanInWhichEachNewTimeCountsForItsWeight() {
    ChunkTime half = new ChunkTime(2);
    assertThat(half.nanos()).as("before the first").isEqualTo(-1);
    half.record(1_000);
    assertThat(half.nanos()).isEqualTo(1_000);
    half.record(3_000);
    assertThat(half.nanos()).isEqualTo(2_000);

    ChunkTime fifth = new ChunkTime(5);
    fifth.record(1_000);
    fifth.record(6_000);
    assertThat(fifth.nanos()).isEqualTo(2_000);
  }

  @Test
  void aChunkTimeRefusesAWeightBelowOne() {
    assertThatThrownBy(() -> new ChunkTime(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weight must be >= 1, was 0");
  }
}
