package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.ClassLoadLog;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A program that records nothing pays nothing for the flight recorder events, not even at start-up:
 * no event class is loaded, so the JVM never instruments one (which would set up much of the
 * recorder: some 100 classes of {@code jdk.jfr}, about 100 ms of a cold JVM's first pool); and a
 * recording started later, on the running program, still gets the events. Run in a JVM of its own
 * ({@link FlightRecorderColdMain}), since this one has recorded already.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FlightRecorderColdTest {

  @Test
  void loadsNothingOfTheRecorderUntilARecordingStartsThenRecords() throws Exception {
    List<String> lines = ClassLoadLog.run(FlightRecorderColdMain.class);
    int mark = lines.indexOf("no recording: initialized=false");
    assertThat(mark).as("the main's output:%n%s", String.join("\n", lines)).isPositive();

    List<String> before = lines.subList(0, mark);
    assertThat(before)
        .as("classes loaded before any recording")
        .anyMatch(line -> line.contains("dev.pool4j.internal.observe.Flight "))
        .noneMatch(line -> line.matches(".*dev\\.pool4j\\.internal\\.observe\\.\\w+Event .*"))
        .noneMatch(line -> line.contains("jdk.jfr.internal."));

    String recorded =
        lines.stream().filter(l -> l.startsWith("recorded: ")).findFirst().orElseThrow();
    // two calls, each of at least one chunk; two worker processes started during the recording
    assertThat(count(recorded, "dev.pool4j.Call")).isEqualTo(2);
    assertThat(count(recorded, "dev.pool4j.Chunk")).isGreaterThanOrEqualTo(2);
    assertThat(count(recorded, "dev.pool4j.WorkerStarted")).isEqualTo(2);
  }

  private static int count(String recorded, String event) {
    for (String part : recorded.substring("recorded: ".length()).split(" ")) {
      if (part.startsWith(event + "=")) {
        return Integer.parseInt(part.substring(event.length() + 1));
      }
    }
    return 0;
  }
}
