package dev.pool4j.internal.progress;

import java.util.regex.Pattern;

/**
 * On-screen width of a line, as tqdm measures it ({@code disp_len}, {@code disp_trim}): ANSI "CSI
 * ... letter" sequences take no column, wide and fullwidth East Asian characters take two, every
 * other code point one.
 *
 * <p>Lengths count code points, never UTF-16 units, so a character outside the BMP (an emoji) is
 * one character, as in a Python string.
 */
final class DisplayWidth {

  /** tqdm's {@code RE_ANSI}; Python's {@code \d} in a str pattern is any Unicode decimal digit. */
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[;\\p{Nd}]*[A-Za-z]");

  private static final String RESET = "\u001b[0m";

  private DisplayWidth() {}

  /** The number of terminal columns {@code s} takes. */
  static int of(String s) {
    String visible = s.indexOf('\u001b') < 0 ? s : ANSI.matcher(s).replaceAll("");
    int width = 0;
    for (int i = 0; i < visible.length(); ) {
      int cp = visible.codePointAt(i);
      width += EastAsianWide.isWide(cp) ? 2 : 1;
      i += Character.charCount(cp);
    }
    return width;
  }

  /**
   * {@code s} cut to at most {@code columns} columns ({@code columns >= 0}); when ANSI codes are
   * left in the cut line, it ends with a reset code, as tqdm's {@code disp_trim} does.
   */
  static String trim(String s, int columns) {
    int codePoints = s.codePointCount(0, s.length());
    if (codePoints == of(s)) {
      return codePoints <= columns ? s : s.substring(0, s.offsetByCodePoints(0, columns));
    }
    boolean ansiPresent = ANSI.matcher(s).find();
    String data = s;
    while (of(data) > columns) {
      data = data.substring(0, data.offsetByCodePoints(data.length(), -1));
    }
    if (ansiPresent && ANSI.matcher(data).find()) {
      return data.endsWith(RESET) ? data : data + RESET;
    }
    return data;
  }
}
