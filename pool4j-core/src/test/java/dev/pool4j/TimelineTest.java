package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The timeline draws what the call recorded: a well-formed SVG, one row per worker, one bar per
 * chunk run, failures, retries and time-outs in their colours, names escaped, memory bounded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard only
class TimelineTest {

  private static List<Integer> inputs(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  /** The SVG, parsed by the JDK's own XML parser: it throws unless the document is well-formed. */
  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    DocumentBuilder b = f.newDocumentBuilder();
    b.setErrorHandler(null);
    return b.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Element> byClass(Document doc, String tag, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList all = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
        out.add(e);
      }
    }
    return out;
  }

  /** Row names, in order: each row's worker label. */
  private static List<String> rowNames(Document doc) {
    List<String> names = new ArrayList<>();
    for (Element row : byClass(doc, "g", "row")) {
      Element label =
          (Element) row.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text").item(0);
      names.add(label.getFirstChild().getNodeValue());
    }
    return names;
  }

  /**
   * The insights of the pool's last call once it has a span of the outcome: a failed call throws at
   * once, but is the pool's last call only once its other chunks are done.
   */
  private static Insights lastWith(Pool pool, Insights.Outcome outcome) {
    Testing.await()
        .until(() -> pool.insights().spans().stream().anyMatch(s -> s.outcome() == outcome));
    return pool.insights();
  }

  /** Checks the picture against the insights it was drawn from. */
  private static Document checkAgainst(Insights insights) throws Exception {
    Document doc = parse(insights.timelineSvg());
    assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
    // one row per worker of the figures, so every worker that ran has its row
    Set<String> ran =
        insights.spans().stream().map(Insights.Span::worker).collect(Collectors.toSet());
    List<String> rows = rowNames(doc);
    assertThat(rows)
        .containsExactlyElementsOf(
            insights.workers().stream().map(Insights.WorkerStats::name).toList())
        .containsAll(ran);
    // one bar per chunk run, each in its row, coloured by its outcome
    List<Element> bars = byClass(doc, "rect", "chunk");
    assertThat(bars).hasSize(insights.spans().size());
    Map<String, Integer> barsPerRow = new HashMap<>();
    for (Element row : byClass(doc, "g", "row")) {
      String name = rowNames(doc).get(byClass(doc, "g", "row").indexOf(row));
      int n = 0;
      NodeList rects = row.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
      for (int i = 0; i < rects.getLength(); i++) {
        Element r = (Element) rects.item(i);
        if (r.getAttribute("class").startsWith("chunk ")) {
          n++;
          assertThat(
                  r.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title")
                      .item(0)
                      .getTextContent())
              .startsWith(name + ": ")
              .contains(" in ");
        }
      }
      barsPerRow.put(name, n);
    }
    for (String name : ran) {
      assertThat(barsPerRow.get(name))
          .isEqualTo(insights.spans().stream().filter(s -> s.worker().equals(name)).count());
    }
    return doc;
  }

  @Test
  void aThreadPoolCallDrawsOneRowPerWorkerAndOneBarPerChunk(@TempDir Path dir) throws Exception {
    try (Pool pool = Pool.create(3)) {
      pool.map(
          x -> {
            Thread.sleep(2);
            return x;
          },
          inputs(60),
          4);
      Insights insights = pool.insights();
      // 60 inputs in chunks of 4: 15 chunks, all fine, each counted with its items
      assertThat(insights.spans()).hasSize(15);
      assertThat(insights.spans()).allMatch(s -> s.outcome() == Insights.Outcome.OK);
      assertThat(insights.spans().stream().mapToInt(Insights.Span::items).sum()).isEqualTo(60);
      assertThat(insights.spans())
          .allMatch(s -> s.endNanos() >= s.startNanos() && s.duration().toMillis() >= 8);
      assertThat(insights.droppedSpans()).isZero();
      Document doc = checkAgainst(insights);
      assertThat(byClass(doc, "rect", "ok")).hasSize(15);

      Path file = dir.resolve("timeline.svg");
      insights.writeTimeline(file);
      parse(Files.readString(file));
      assertThat(Files.readString(file)).isEqualTo(insights.timelineSvg());
    }
  }

  @Test
  void aFailedTaskIsMarkedInTheFailureColour() throws Exception {
    try (Pool pool = Pool.create(2)) {
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        if (x == 7) {
                          throw new IllegalStateException("boom");
                        }
                        return x;
                      },
                      inputs(20),
                      5))
          .isInstanceOf(TaskFailedException.class);
      Insights insights = lastWith(pool, Insights.Outcome.FAILED);
      Document doc = checkAgainst(insights);
      List<Element> failed = byClass(doc, "rect", "failed");
      assertThat(failed).hasSize(1);
      assertThat(failed.get(0).getAttribute("fill"))
          .isEqualTo(Timeline.colour(Insights.Outcome.FAILED));
      assertThat(Timeline.colour(Insights.Outcome.FAILED))
          .isNotEqualTo(Timeline.colour(Insights.Outcome.OK));
      // the chunk of inputs 5..9 failed at 7: three items ran
      assertThat(failed.get(0).getTextContent()).contains("3 items in").contains("failed");
    }
  }

  @Test
  void aTimedOutTaskIsMarkedInTheTimeoutColour() throws Exception {
    try (Pool pool = Pool.builder().workers(1).taskTimeout(Duration.ofMillis(50)).build()) {
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        if (x == 1) {
                          Thread.sleep(60_000);
                        }
                        return x;
                      },
                      inputs(3),
                      1))
          .isInstanceOf(TaskFailedException.class);
      Insights insights = lastWith(pool, Insights.Outcome.TIMED_OUT);
      Document doc = checkAgainst(insights);
      List<Element> timedOut = byClass(doc, "rect", "timed-out");
      assertThat(timedOut).hasSize(1);
      assertThat(timedOut.get(0).getAttribute("fill"))
          .isEqualTo(Timeline.colour(Insights.Outcome.TIMED_OUT));
    }
  }

  @Test
  void workerProcessesDrawTheirRowsAndMarkRetriesOfALostChunk() throws Exception {
    try (Pool pool = Pool.builder().processes().workers(2).retries(1).build()) {
      assertThat(pool.map(x -> x * 2, inputs(40), 5)).hasSize(40);
      Insights ok = pool.insights();
      assertThat(ok.spans()).hasSize(8);
      assertThat(ok.spans().stream().mapToInt(Insights.Span::items).sum()).isEqualTo(40);
      checkAgainst(ok);

      // a task that kills its worker process every time: its chunk runs twice, then fails
      assertThatThrownBy(
              () ->
                  pool.map(
                      x -> {
                        if (x == 3) {
                          Runtime.getRuntime().halt(42);
                        }
                        return x;
                      },
                      inputs(10),
                      5))
          .isInstanceOf(TaskFailedException.class);
      Insights lost = lastWith(pool, Insights.Outcome.FAILED);
      Document doc = checkAgainst(lost);
      assertThat(byClass(doc, "rect", "retried")).isNotEmpty();
      assertThat(byClass(doc, "rect", "failed")).isNotEmpty();
      assertThat(byClass(doc, "rect", "retried").get(0).getAttribute("fill"))
          .isEqualTo(Timeline.colour(Insights.Outcome.RETRIED));
    }
  }

  @Test
  void namesAndTextAreEscaped() throws Exception {
    String name = "<member a=\"1\" & 'b'>\u0001";
    Insights insights =
        new Insights(
            Duration.ofMillis(10),
            1,
            List.of(
                new Insights.WorkerStats(
                    name,
                    1,
                    Duration.ZERO,
                    Duration.ofMillis(4),
                    Duration.ofMillis(6),
                    2,
                    Duration.ofMillis(2))),
            List.of(new Insights.Span(name, 1, 1_000_000, 5_000_000, 2, Insights.Outcome.OK)),
            0);
    String svg = insights.timelineSvg();
    assertThat(svg)
        .doesNotContain("<member")
        .contains("&lt;member a=&quot;1&quot; &amp; &apos;b&apos;&gt;");
    Document doc = parse(svg);
    // read back, the name is the name (its control character replaced, XML cannot hold it)
    assertThat(rowNames(doc)).containsExactly("<member a=\"1\" & 'b'>\uFFFD");
    assertThat(byClass(doc, "rect", "chunk")).hasSize(1);
  }

  @Test
  void anEndlessCallKeepsOnlyItsLastChunks() throws Exception {
    int chunks = Insights.MAX_SPANS + 2_500;
    try (Pool pool = Pool.create(1);
        Results<Integer> results = pool.imap(x -> x, inputs(chunks), 1)) {
      long sum = 0;
      for (Integer r : results) {
        sum += r;
      }
      assertThat(sum).isEqualTo((long) chunks * (chunks - 1) / 2);
      Insights insights = results.insights();
      assertThat(insights.spans()).hasSize(Insights.MAX_SPANS);
      assertThat(insights.droppedSpans()).isEqualTo(2_500);
      // the last ones, oldest first: one worker runs them in order
      List<Insights.Span> spans = insights.spans();
      for (int i = 1; i < spans.size(); i++) {
        assertThat(spans.get(i).endNanos()).isGreaterThanOrEqualTo(spans.get(i - 1).endNanos());
      }
      Document doc = parse(insights.timelineSvg());
      assertThat(byClass(doc, "rect", "chunk")).hasSize(Insights.MAX_SPANS);
      assertThat(insights.timelineSvg()).contains("2500 earlier ones not kept");
    }
  }

  @Test
  void tickStepsAreRoundAndFew() {
    for (long span : new long[] {1, 9, 10, 11, 999, 1_500_000_000L, 3_000_000_000L, 7_777_777}) {
      long step = Timeline.tickStep(span);
      assertThat(span / step).isBetween(0L, 10L);
      String digits = Long.toString(step).replaceAll("0+$", "");
      assertThat(digits).isIn("1", "2", "5");
    }
    assertThat(Timeline.tickStep(3_000_000_000L)).isEqualTo(500_000_000L);
    assertThat(Timeline.tickLabel(0, 500_000_000L)).isEqualTo("0");
    assertThat(Timeline.tickLabel(1_500_000_000L, 500_000_000L)).isEqualTo("1500 ms");
    assertThat(Timeline.tickLabel(4_000_000_000L, 2_000_000_000L)).isEqualTo("4 s");
    assertThat(Timeline.tickLabel(20_000, 5_000)).isEqualTo("20 us");
    assertThat(
            new HashSet<>(
                List.of(Insights.Outcome.values()).stream().map(Timeline::colour).toList()))
        .hasSize(Insights.Outcome.values().length);
  }
}
