package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Members joining and leaving are logged through {@code System.Logger} {@code dev.pool4j.hazelcast}
 * (heard here through {@code java.util.logging}, the JDK's default back end): a join at INFO with
 * the member's workers, a member that did pool work killed at WARNING, saying that its chunks run
 * again.
 */
class MembershipLoggingTest {

  /** The records of {@code dev.pool4j.hazelcast}, at every level, while installed. */
  static final class Capture extends Handler {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    List<LogRecord> containing(String... parts) {
      return records.stream()
          .filter(
              r -> {
                for (String p : parts) {
                  if (r.getMessage() == null || !r.getMessage().contains(p)) {
                    return false;
                  }
                }
                return true;
              })
          .collect(Collectors.toList());
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aMemberJoiningIsInfoAndOneThatDidPoolWorkLeavingIsAWarning() throws Exception {
    Logger logger = Logger.getLogger("dev.pool4j.hazelcast");
    Level before = logger.getLevel();
    Capture capture = new Capture();
    logger.setLevel(Level.ALL);
    logger.addHandler(capture);
    try (TestCluster cluster = new TestCluster(2)) {
      cluster.start(2);
      Pool pool = Pool.builder().backend(cluster.client()).build();
      try {
        TestCluster.Member newcomer = cluster.start(2);
        TestCluster.await()
            .untilAsserted(
                () ->
                    assertThat(capture.containing(newcomer.address, "joined cluster"))
                        .isNotEmpty());
        LogRecord joined = capture.containing(newcomer.address, "joined cluster").get(0);
        assertThat(joined.getLevel()).isEqualTo(Level.INFO);
        assertThat(joined.getMessage()).contains("with 2 workers for pool work");

        // tasks long enough that the newcomer still holds chunks when it is killed, right after
        // its first result: the consumer stops reading then, so no new chunk would reach it
        List<Integer> inputs = IntStream.range(0, 200).boxed().collect(Collectors.toList());
        try (Results<Integer> results =
            pool.imap(
                x -> {
                  Thread.sleep(500);
                  return x;
                },
                inputs,
                1)) {
          while (results.hasNext()) {
            results.next();
            // the newcomer has worked, and the pool keeps it full while input remains
            if (MemberCrashTest.tasksOf(results.insights(), newcomer) > 0) {
              break;
            }
          }
          TestCluster.kill(newcomer);
          TestCluster.await()
              .untilAsserted(
                  () ->
                      assertThat(capture.containing(newcomer.address, "left cluster"))
                          .isNotEmpty());
        }
        LogRecord left = capture.containing(newcomer.address, "left cluster").get(0);
        assertThat(left.getLevel()).isEqualTo(Level.WARNING);
        assertThat(left.getMessage())
            .contains("and with it 2 workers of pool work")
            .contains("run again on the other members");
      } finally {
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
      }
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(before);
    }
  }
}
