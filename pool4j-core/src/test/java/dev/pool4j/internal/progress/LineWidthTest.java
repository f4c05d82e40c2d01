package dev.pool4j.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** A line given {@code ncols} never takes more columns, and a bar fills whatever is left. */
class LineWidthTest {

  @Property(tries = 500)
  void aLineNeverTakesMoreColumnsThanNcols(
      @ForAll @LongRange(min = 0, max = 1_000_000) long n,
      @ForAll @LongRange(min = -1, max = 1_000_000) long total,
      @ForAll @DoubleRange(min = 0, max = 1e6) double elapsed,
      @ForAll @IntRange(min = 1, max = 200) int ncols,
      @ForAll @StringLength(max = 30) String prefix,
      @ForAll boolean ascii,
      @ForAll boolean unitScale) {
    String line = Meter.format(n, total, elapsed, ncols, prefix, ascii, "it", unitScale);
    assertThat(DisplayWidth.of(line)).isLessThanOrEqualTo(ncols);
  }

  @Property(tries = 500)
  void aBarStretchesTheLineToExactlyNcolsWhenTheTextFits(
      @ForAll @LongRange(min = 0, max = 1000) long done,
      @ForAll @DoubleRange(min = 0, max = 1e5) double elapsed,
      @ForAll @IntRange(min = 70, max = 300) int ncols,
      @ForAll boolean ascii) {
    String line = Meter.format(done, 1000, elapsed, ncols, "task", ascii, "it", false);
    assertThat(line).hasSize(ncols);
  }
}
