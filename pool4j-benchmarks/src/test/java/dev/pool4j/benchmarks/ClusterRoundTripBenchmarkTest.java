package dev.pool4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@link ClusterRoundTripBenchmark} runs, briefly, in a JMH fork of its own (with the fork's JVM
 * options of its annotations), each contender on a loopback cluster it starts and stops, and gives
 * a score; and the bare round trip returns every answer, in any window. Tagged {@code long}: it
 * starts two loopback clusters and a JMH fork (one to two minutes on 2 cores), so it runs with
 * {@code -Plong}, as CI does.
 */
@Tag("long")
@Timeout(600)
class ClusterRoundTripBenchmarkTest {

  @Test
  void bothContendersGiveAScoreInMicrosecondsPerItem() throws Exception {
    Options options =
        new OptionsBuilder()
            .include(ClusterRoundTripBenchmark.class.getName() + "\\.")
            .param("inFlight", "2")
            .param("workers", "2")
            .forks(1)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    List<String> seen = new ArrayList<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      seen.add(name.substring(name.lastIndexOf('.') + 1));
      assertThat(r.getPrimaryResult().getScoreUnit()).isEqualTo("us/op");
      assertThat(r.getPrimaryResult().getScore()).as(name).isPositive().isFinite();
    }
    assertThat(seen).containsExactlyInAnyOrder("roundTrip", "pool4jImap");
  }

  @Test
  void theBareRoundTripReturnsEveryAnswer() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(2, 1);
        BareRoundTrip client = new BareRoundTrip(cluster.name, cluster.addresses(), 2)) {
      for (int inFlight : new int[] {1, 2, 5}) {
        assertThat(client.run(101, inFlight)).as("in flight %d", inFlight).isEqualTo(5050);
      }
    }
  }
}
