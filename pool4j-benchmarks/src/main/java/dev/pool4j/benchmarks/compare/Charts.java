package dev.pool4j.benchmarks.compare;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;

/** One PNG per table: a box per contender over its rounds, drawn headless with XChart. */
final class Charts {

  private Charts() {}

  /** Draws the table's chart to {@code file} and returns it. */
  static Path write(Measure m, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    boolean many = m.rows.size() > 12;
    BoxChart chart =
        new BoxChartBuilder()
            // the scale table has a box per contender and worker count: room for their labels
            .width(many ? 60 * m.rows.size() : 1000)
            .height(many ? 860 : 560)
            .title(m.title)
            .yAxisTitle(m.unit + (m.higherIsBetter ? " (higher is better)" : " (lower is better)"))
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(many ? 90 : 25);
    if (many) {
      // XChart labels every second box when they are closer than its default hint (74 px)
      chart.getStyler().setXAxisTickMarkSpacingHint(40);
    }
    double min = Double.MAX_VALUE;
    double max = 0;
    boolean any = false;
    for (Measure.Row r : m.rows.values()) {
      if (r.ok()) {
        chart.addSeries(Report.label(r), r.values);
        min = Math.min(min, Collections.min(r.values));
        max = Math.max(max, Collections.max(r.values));
        any = true;
      }
    }
    if (!any) {
      chart.addSeries("no results", new double[] {0});
    } else if (min > 0 && max / min > 50) {
      // from nanoseconds to hundreds of them: a linear axis would flatten the fast contenders
      chart.getStyler().setYAxisLogarithmic(true);
    }
    try (OutputStream png = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(List.of(chart), 1, 1, png, BitmapEncoder.BitmapFormat.PNG);
    }
    return file;
  }
}
