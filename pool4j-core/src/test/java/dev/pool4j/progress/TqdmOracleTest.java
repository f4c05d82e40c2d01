package dev.pool4j.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Progress#formatMeter} against tqdm 4.70.1 itself, over five thousand argument sets: every
 * SI boundary, every bar width up to 60 columns in both charsets, rounding ties, negative and huge
 * numbers, wide characters, emoji and ANSI codes in the prefix, and a seeded random sample of all
 * of it. The file {@code tqdm-format-meter.tsv} is written by {@code
 * src/test/python/tqdm_oracle.py}, which runs the real {@code tqdm.format_meter}; see there for the
 * format.
 */
class TqdmOracleTest {

  private static final String CASES = "tqdm-format-meter.tsv";

  @Test
  void everyLineMatchesWhatTqdmPrintsForTheSameArguments() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int cases = 0;
    for (String[] f : read()) {
      cases++;
      long n = Long.parseLong(f[0]);
      long total = Long.parseLong(f[1]);
      double elapsed = Double.parseDouble(f[2]);
      int ncols = Integer.parseInt(f[3]);
      String prefix = unescape(f[4]);
      boolean ascii = f[5].equals("1");
      String unit = unescape(f[6]);
      boolean unitScale = f[7].equals("1");
      String expected = unescape(f[8]);
      String actual;
      try {
        actual = Progress.formatMeter(n, total, elapsed, ncols, prefix, ascii, unit, unitScale);
      } catch (ArithmeticException e) {
        actual = "!raises";
      }
      if (!actual.equals(expected) && mismatches.size() < 20) {
        mismatches.add(String.join(" | ", f) + "\n    got: " + actual + "\n   want: " + expected);
      }
    }
    assertThat(cases).isGreaterThan(5000);
    assertThat(mismatches).isEmpty();
  }

  private static List<String[]> read() throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (InputStream in = TqdmOracleTest.class.getResourceAsStream(CASES)) {
      assertThat(in).as(CASES).isNotNull();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.startsWith("#") && !line.isEmpty()) {
          String[] fields = line.split("\t", -1);
          assertThat(fields).as(line).hasSize(9);
          rows.add(fields);
        }
      }
    }
    return rows;
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case '\\':
          sb.append('\\');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 'x':
          sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
          break;
        default:
          throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
      }
    }
    return sb.toString();
  }
}
