package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A member that joins while a call runs takes part of its work. */
class MemberJoinTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aMemberThatJoinsDuringALongCallReceivesWork() throws Exception {
    try (TestCluster cluster = new TestCluster(2)) {
      TestCluster.Member first = cluster.start(2);
      EmbeddedTest.startWhatLivesOncePerJvm();
      Set<Thread> before = EmbeddedTest.liveThreads();
      HazelcastBackend backend = cluster.client();
      Pool pool = Pool.builder().backend(backend).build();
      try {
        assertThat(pool.workers()).isEqualTo(2);
        // an input that goes on until the newcomer has been seen working
        AtomicBoolean stop = new AtomicBoolean();
        Iterator<Integer> endless =
            new Iterator<>() {
              int next;

              @Override
              public boolean hasNext() {
                return !stop.get();
              }

              @Override
              public Integer next() {
                return next++;
              }
            };
        Results<Integer> results =
            pool.imap(
                x -> {
                  Thread.sleep(2);
                  return x;
                },
                endless,
                2);
        List<Integer> seen = new ArrayList<>();
        TestCluster.Member newcomer = null;
        while (results.hasNext()) {
          seen.add(results.next());
          if (seen.size() == 50) {
            newcomer = cluster.start(2);
          }
          if (newcomer != null
              && !stop.get()
              && seen.size() % 10 == 0
              && MemberCrashTest.tasksOf(results.insights(), newcomer) > 0) {
            stop.set(true);
          }
        }
        assertThat(newcomer).isNotNull();
        assertThat(MemberCrashTest.tasksOf(results.insights(), newcomer)).isPositive();
        assertThat(MemberCrashTest.tasksOf(results.insights(), first)).isPositive();
        assertThat(seen)
            .isEqualTo(IntStream.range(0, seen.size()).boxed().collect(Collectors.toList()));
      } finally {
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
      }
      // the client left: none of its threads is left (the readers of the members' output and the
      // JDK's reaper of the member started here belong to the test)
      assertThat(backend.instance().getLifecycleService().isRunning()).isFalse();
      TestCluster.await()
          .untilAsserted(
              () ->
                  assertThat(EmbeddedTest.newThreads(before))
                      .allSatisfy(name -> assertThat(name).matches("(member-|process reaper).*")));
    }
  }
}
