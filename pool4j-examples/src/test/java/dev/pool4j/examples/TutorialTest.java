package dev.pool4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class TutorialTest {

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theTutorialPrintsEveryStepWithTheTutorialsResults(@TempDir Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Path timeline = dir.resolve("timeline.svg");
    Tutorial.run(0.02, new PrintStream(bytes, true, StandardCharsets.UTF_8), timeline);
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("Pool.cpuCount() = ");
    assertThat(out).containsSubsequence("Step 2.", "[1, 25, 9]", "Step 3.", "[1, 25, 9]");
    assertThat(resultsOf(out, "Step 4.", "Step 5.")).containsExactly(1, 25, 9);
    assertThat(resultsOf(out, "Step 5.", "Step 6.")).containsExactlyInAnyOrder(1, 9, 25);
    assertThat(out).containsSubsequence("Step 6.", "[10, 60, 210, 80]");
    assertThat(out).containsSubsequence("Step 7.", "[1, 25, 9]", "Step 8.", "call: 3 tasks in ");
    assertThat(out).containsSubsequence("Step 9.", "20 tasks in chunks of 2", timeline.toString());
    // the timeline of step 9: 4 workers' rows, 10 chunks of 2 tasks
    String svg = Files.readString(timeline);
    assertThat(svg).startsWith("<?xml").contains("pool4j timeline: 20 tasks in ");
    assertThat(svg.split("<g class=\"row\">", -1)).hasSize(4 + 1);
    assertThat(svg.split("<rect class=\"chunk ok\"", -1)).hasSize(10 + 1);
  }

  private static List<Integer> resultsOf(String out, String from, String to) {
    String section = out.substring(out.indexOf(from), out.indexOf(to));
    Matcher m = Pattern.compile("(?m)^  (\\d+) at ").matcher(section);
    List<Integer> results = new ArrayList<>();
    while (m.find()) {
      results.add(Integer.parseInt(m.group(1)));
    }
    return results;
  }
}
