package dev.pool4j.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ready moments a process backend keeps for measurements stay bounded in a pool that replaces
 * its workers for as long as it lives ({@code maxTasksPerWorker}: every replacement is a new
 * worker, ready once): the first {@link ProcessBackend#READY_KEPT} are kept, the rest counted. A
 * pool's replacements call {@code ready()} as here (NoOrphanTest's recycling test counts them).
 */
class ReadyMomentsTest {

  @Test
  void aPoolThatReplacesItsWorkersForeverKeepsOnlyItsFirstReadyMoments() {
    ProcessBackend backend =
        new ProcessBackend(new ProcessBackend.Options(List.of(), Map.of(), null, null, null, null));
    int workers = ProcessBackend.READY_KEPT * 40;
    for (int i = 0; i < workers; i++) {
      backend.ready();
    }
    List<Long> ready = backend.readyNanos();
    assertThat(ready).hasSize(ProcessBackend.READY_KEPT).isSorted();
    assertThat(ready.get(0)).isNotNegative();
    assertThat(backend.readyCount()).isEqualTo(workers);
  }
}
