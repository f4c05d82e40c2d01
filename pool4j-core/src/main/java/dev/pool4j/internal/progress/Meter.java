package dev.pool4j.internal.progress;

import static java.util.Objects.requireNonNull;

/**
 * The text of one progress line, character for character the line tqdm's {@code
 * tqdm.format_meter(n, total, elapsed, ncols, prefix, ascii, unit, unit_scale)} returns (tqdm
 * 4.70.1, with its defaults for every other argument).
 *
 * <p>Design note. The line is {@code l_bar + bar + r_bar}:
 *
 * <pre>
 * desc:  23%|██▎       | 231/1000 [06:32&lt;21:44,  1.70s/it]
 * \_______/\_________/\______________________________________/
 *   l_bar     bar                      r_bar
 * </pre>
 *
 * The bar takes what {@code ncols} leaves of the line (at least one column), or ten columns without
 * {@code ncols}; the whole line is then cut to {@code ncols} display columns. With no usable total
 * (unknown, zero, or {@code n} past it) there is no bar and no estimate: {@code 10000it [00:13,
 * 769.23it/s]}. Every number goes through {@link PyNumbers}, which reproduces Python's rounding
 * (ties to even) and its exact int arithmetic; widths go through {@link DisplayWidth}, which counts
 * wide characters and ANSI codes as tqdm does.
 *
 * <p>Cost: a few small allocations and, for each fixed-point number, one {@code BigDecimal}; a few
 * microseconds a line, drawn at most ten times a second per bar.
 */
public final class Meter {

  private static final String UNICODE_BLOCKS = " \u258f\u258e\u258d\u258c\u258b\u258a\u2589\u2588";
  private static final String ASCII_BLOCKS = " 123456789#";
  private static final int DEFAULT_BAR = 10;

  private Meter() {}

  /**
   * Returns what {@code tqdm.format_meter} returns for these arguments.
   *
   * @param n the number of items done
   * @param total the expected number of items; negative means unknown ({@code None})
   * @param elapsedSeconds seconds since the start; must be finite
   * @param ncols the width of the whole line in terminal columns; zero or negative means no limit
   *     ({@code None}) and a ten-column bar
   * @param prefix the description in front; {@code null} or empty for none; {@code ": "} is added
   *     unless it already ends so
   * @param ascii draw the bar with {@code #} and digits instead of Unicode eighth blocks
   * @param unit the unit of {@code n}, such as {@code "it"}
   * @param unitScale show {@code n}, {@code total} and the rate with SI prefixes (k, M, G ...)
   * @return the line, with no carriage return or newline
   * @throws NullPointerException if {@code unit} is null
   * @throws IllegalArgumentException if {@code elapsedSeconds} is NaN or infinite
   */
  public static String format(
      long n,
      long total,
      double elapsedSeconds,
      int ncols,
      String prefix,
      boolean ascii,
      String unit,
      boolean unitScale) {
    return format(n, total, elapsedSeconds, ncols, prefix, ascii, unit, unitScale, "");
  }

  /**
   * Returns what {@code tqdm.format_meter} returns for these arguments and a {@code postfix}: the
   * postfix goes after the rate, behind {@code ", "}, inside the brackets ({@code [00:01<00:04,
   * 30.26it/s, loss=0.25]}), as tqdm puts what {@code set_postfix} set.
   *
   * @param postfix the postfix; {@code null} or empty for none
   * @see #format(long, long, double, int, String, boolean, String, boolean)
   */
  public static String format(
      long n,
      long total,
      double elapsedSeconds,
      int ncols,
      String prefix,
      boolean ascii,
      String unit,
      boolean unitScale,
      String postfix) {
    requireNonNull(unit, "unit");
    String post = postfix == null || postfix.isEmpty() ? "" : ", " + postfix;
    if (!Double.isFinite(elapsedSeconds)) {
      throw new IllegalArgumentException("elapsedSeconds must be finite, was " + elapsedSeconds);
    }
    String desc = prefix == null ? "" : prefix;
    // tqdm drops a total that n has passed (n >= total + 0.5), and a zero total never shows a bar.
    boolean knownTotal = total > 0 && !PyNumbers.atLeast(n, (double) total + 0.5);

    String elapsed = PyNumbers.interval(elapsedSeconds);
    // Python truthiness: -0.0 is false, so a zero elapsed time gives no rate.
    double rate = elapsedSeconds != 0 ? (double) n / elapsedSeconds : 0.0;
    boolean hasRate = rate != 0;
    double inverse = hasRate ? 1 / rate : 0.0;
    boolean hasInverse = hasRate && inverse != 0;
    String rateFmt;
    if (hasInverse && inverse > 1) {
      rateFmt = number(inverse, unitScale) + "s/" + unit;
    } else {
      rateFmt = (hasRate ? number(rate, unitScale) : "?") + unit + "/s";
    }
    String nFmt = unitScale ? PyNumbers.sizeof(n) : Long.toString(n);

    if (!knownTotal) {
      String line =
          (desc.isEmpty() ? "" : desc + ": ")
              + nFmt
              + unit
              + " ["
              + elapsed
              + ", "
              + rateFmt
              + post
              + "]";
      return ncols > 0 ? DisplayWidth.trim(line, ncols) : line;
    }

    String totalFmt = unitScale ? PyNumbers.sizeof(total) : Long.toString(total);
    String remaining = hasRate ? PyNumbers.interval(PyNumbers.difference(total, n) / rate) : "?";
    double frac = PyNumbers.trueDivide(n, total);
    String lBar =
        (desc.isEmpty() ? "" : desc.endsWith(": ") ? desc : desc + ": ")
            + PyNumbers.fixed(frac * 100, 0, 3)
            + "%|";
    String rBar =
        "| " + nFmt + "/" + totalFmt + " [" + elapsed + "<" + remaining + ", " + rateFmt + post
            + "]";
    int barWidth = ncols > 0 ? Math.max(1, ncols - DisplayWidth.of(lBar + rBar)) : DEFAULT_BAR;
    String line = lBar + bar(frac, barWidth, ascii ? ASCII_BLOCKS : UNICODE_BLOCKS) + rBar;
    return ncols > 0 ? DisplayWidth.trim(line, ncols) : line;
  }

  private static String number(double value, boolean unitScale) {
    return unitScale ? PyNumbers.sizeof(value) : PyNumbers.fixed(value, 2, 5);
  }

  /**
   * {@code width} columns, {@code frac} of them filled: full blocks, then one partial block (the
   * charset's steps between blank and full), then blanks.
   */
  private static String bar(double frac, int width, String charset) {
    double f = Math.max(0.0, Math.min(1.0, frac));
    int steps = charset.length() - 1;
    long filled = (long) (f * width * steps); // same evaluation order and truncation as tqdm
    long full = filled / steps;
    StringBuilder sb = new StringBuilder(width);
    char block = charset.charAt(steps);
    for (long i = 0; i < full; i++) {
      sb.append(block);
    }
    if (full < width) {
      sb.append(charset.charAt((int) (filled % steps)));
      for (long i = full + 1; i < width; i++) {
        sb.append(' ');
      }
    }
    return sb.toString();
  }
}
