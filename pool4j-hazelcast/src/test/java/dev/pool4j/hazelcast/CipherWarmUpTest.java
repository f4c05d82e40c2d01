package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pool4j.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cipher's warm-up: it runs its rounds once, however many threads share it, stops when told,
 * and a backend's share of it ends when the backend closes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CipherWarmUpTest {

  @Test
  void threadsThatShareAWarmUpRunItsRoundsOnceAndThenNoneStarts() throws Exception {
    CipherWarmUp warmUp = new CipherWarmUp(600);
    Thread a = warmUp.start("warm-up-a");
    Thread b = warmUp.start("warm-up-b");
    assertThat(a).isNotNull();
    a.join();
    if (b != null) {
      b.join();
    }
    assertThat(warmUp.done()).isEqualTo(600);
    assertThat(warmUp.start("warm-up-c")).isNull();
  }

  @Test
  void stopInterruptsAWarmUpAndWaitsForItsEndAndTheNextStartGoesOn() {
    CipherWarmUp warmUp = new CipherWarmUp(Integer.MAX_VALUE);
    Thread first = warmUp.start("warm-up-stopped");
    assertThat(first.isDaemon()).isTrue();
    await().until(() -> warmUp.done() > 10);
    CipherWarmUp.stop(first);
    assertThat(first.isAlive()).isFalse();
    int done = warmUp.done();

    Thread next = warmUp.start("warm-up-next");
    assertThat(next).isNotNull();
    await().until(() -> warmUp.done() > done);
    CipherWarmUp.stop(next);
    assertThat(next.isAlive()).isFalse();
    CipherWarmUp.stop(null); // nothing to stop
  }

  @Test
  void aBackendsWarmUpEndsWhenTheBackendCloses() {
    Set<Thread> before = EmbeddedTest.liveThreads();
    HazelcastBackend backend = EmbeddedTest.embedded().localWorkers(1);
    // a warm-up that never ends by itself: only close() ends it
    backend.warmUp = new CipherWarmUp(Integer.MAX_VALUE);
    Pool pool = Pool.builder().backend(backend).build();
    try {
      assertThat(EmbeddedTest.newThreads(before)).contains("pool4j-hazelcast-warm-up");
      await().until(() -> backend.warmUp.done() > 0);
      assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
    } finally {
      pool.close();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
    List<String> warmUps =
        EmbeddedTest.newThreads(before).stream()
            .filter(name -> name.contains("warm-up"))
            .collect(Collectors.toList());
    assertThat(warmUps).isEmpty();
  }
}
