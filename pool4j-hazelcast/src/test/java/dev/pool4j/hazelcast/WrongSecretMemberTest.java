package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import dev.pool4j.TaskFailedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Worker given another secret than the pool's: it does no work for the pool and says why, naming
 * the settings; the pool takes it out of rotation and the call completes on the others. When every
 * member refuses, the call fails saying so.
 */
class WrongSecretMemberTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aMemberWithAnotherSecretRefusesSayingWhyAndTheOthersDoTheWork() throws Exception {
    try (TestCluster cluster = new TestCluster(2)) {
      TestCluster.Member right = cluster.start(1);
      TestCluster.Member wrong = cluster.start(4, cluster.secretFile(TestCluster.randomSecret()));
      Pool pool = Pool.builder().backend(cluster.client()).build();
      try {
        assertThat(pool.workers()).isEqualTo(5);
        List<Integer> inputs = IntStream.range(0, 200).boxed().collect(Collectors.toList());
        Results<Integer> results = pool.imap(x -> -x, inputs, 5);
        assertThat(results.toList())
            .isEqualTo(inputs.stream().map(x -> -x).collect(Collectors.toList()));
        // the member with the most free workers was sent chunks first, and ran none
        assertThat(MemberCrashTest.tasksOf(results.insights(), wrong)).isZero();
        assertThat(MemberCrashTest.tasksOf(results.insights(), right)).isEqualTo(200);
        TestCluster.await()
            .untilAsserted(
                () ->
                    assertThat(wrong.output())
                        .contains("refused a chunk")
                        .contains("sealed with a different cluster secret")
                        .contains("--secret-file")
                        .contains(ClusterSecret.ENV));
        assertThat(right.output()).doesNotContain("refused");
      } finally {
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
      }

      // a client with yet another secret: every member refuses, and the call says how to fix it
      Pool stranger =
          Pool.builder()
              .backend(
                  HazelcastBackend.client()
                      .clusterName(cluster.name)
                      .members(cluster.addresses())
                      .secret(TestCluster.randomSecret()))
              .build();
      try {
        TaskFailedException e =
            catchThrowableOfType(
                TaskFailedException.class,
                () ->
                    stranger.map(
                        x -> x, IntStream.range(0, 50).boxed().collect(Collectors.toList())));
        assertThat(e.getCause())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("every member of cluster " + cluster.name)
            .hasMessageContaining("refused this pool's chunks")
            .hasMessageContaining("member " + right.address)
            .hasMessageContaining("member " + wrong.address)
            .hasMessageContaining("secretFile(...)")
            .hasMessageContaining(ClusterSecret.ENV);
      } finally {
        stranger.close();
        assertThat(stranger.join(Duration.ofSeconds(60))).isTrue();
      }
    }
  }
}
