package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * A fresh JVM's first {@code map} loads none of pool4j's classes itself: the pool's first worker
 * loaded them while it waited ({@code CallClasses}), so the call does not spend its first
 * milliseconds reading them from the class path. Each run is a JVM of its own ({@link
 * FirstCallClassesMain}), as this one has run calls already. The list of classes to load is what
 * this test checks: a class added to the call's path and not to the list fails it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirstCallClassesTest {

  @Test
  void aFirstCallOnPlatformThreadsLoadsNoClassOfTheLibrary() throws Exception {
    assertLoadsNothingDuringTheCall("threads");
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void aFirstCallOnVirtualThreadsLoadsNoClassOfTheLibrary() throws Exception {
    assertLoadsNothingDuringTheCall("virtual");
  }

  private static void assertLoadsNothingDuringTheCall(String backend) throws Exception {
    List<String> lines = ClassLoadLog.run(FirstCallClassesMain.class, backend);
    int start = lines.indexOf("first call: start");
    int end = lines.indexOf("first call: end");
    assertThat(start).as("the main's output:%n%s", String.join("\n", lines)).isPositive();
    assertThat(end).as("the main's output:%n%s", String.join("\n", lines)).isGreaterThan(start);

    assertThat(lines.subList(0, start))
        .as("loaded before the call")
        .anyMatch(line -> line.contains(" dev.pool4j.internal.scheduler.Call "))
        .anyMatch(line -> line.contains(" dev.pool4j.internal.scheduler.Delivery$Consumer "));
    List<String> during =
        lines.subList(start, end).stream()
            .filter(line -> line.contains(" dev.pool4j."))
            // the main's own lambdas are the program's, not the library's
            .filter(line -> !line.contains("FirstCallClassesMain$$Lambda"))
            .collect(Collectors.toList());
    assertThat(during).as("pool4j classes the first call loaded itself").isEmpty();
  }
}
