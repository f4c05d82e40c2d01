package dev.pool4j.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many chunks a worker queues to its process, by how long the call's chunks take. */
class QueueDepthTest {

  private static final long TARGET = ProcessBackend.TARGET_CHUNK_NANOS;
  private static final long MS = 1_000_000;

  @Test
  void aCallsFirstChunkGoesOnlyToAnIdleProcess() {
    assertThat(ProcessWorker.depth(-1, TARGET, 1_000, 2)).isEqualTo(1);
  }

  @Test
  void shortChunksAreQueuedDeepWhereverTheInputStands() {
    assertThat(ProcessWorker.depth(50_000, TARGET, 0, 2)).isEqualTo(ProcessWorker.MAX_DEPTH);
    assertThat(ProcessWorker.depth(50_000, TARGET, -1, 2)).isEqualTo(ProcessWorker.MAX_DEPTH);
  }

  @Test
  void longerChunksAreQueuedOneAheadOnlyFarFromTheEndOfASizedInput() {
    for (long nanos : new long[] {1 * MS, 9 * MS, 30 * MS}) {
      assertThat(ProcessWorker.depth(nanos, TARGET, 100, 2)).isEqualTo(2);
      assertThat(ProcessWorker.depth(nanos, TARGET, 4, 2)).isEqualTo(2);
      // fewer than 2 unread items a worker: the chunk queued here could be the one the call
      // ends waiting for while another worker idles
      assertThat(ProcessWorker.depth(nanos, TARGET, 3, 2)).isEqualTo(1);
      assertThat(ProcessWorker.depth(nanos, TARGET, 0, 2)).isEqualTo(1);
      assertThat(ProcessWorker.depth(nanos, TARGET, 15, 8)).isEqualTo(1);
    }
  }

  @Test
  void withAnInputOfUnknownSizeOnlyChunksNearTheTargetAreQueuedAhead() {
    // it could end at any chunk
    assertThat(ProcessWorker.depth(TARGET, TARGET, -1, 2)).isEqualTo(2);
    assertThat(ProcessWorker.depth(2 * TARGET, TARGET, -1, 2)).isEqualTo(2);
    assertThat(ProcessWorker.depth(30 * MS, TARGET, -1, 2)).isEqualTo(1);
  }

  @Test
  void longChunksGoOnlyToAnIdleProcess() {
    assertThat(ProcessWorker.depth(ProcessWorker.QUEUE_AHEAD_NANOS, TARGET, 1_000, 2))
        .isEqualTo(2);
    assertThat(ProcessWorker.depth(ProcessWorker.QUEUE_AHEAD_NANOS + 1, TARGET, 1_000, 2))
        .isEqualTo(1);
    assertThat(ProcessWorker.depth(2_000 * MS, TARGET, 1_000_000, 2)).isEqualTo(1);
  }
}
