package dev.pool4j.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link Progress#formatMeter} against the lines tqdm's own test suite ({@code
 * tests/tests_tqdm.py}: {@code test_format_meter}, {@code test_ansi_escape_codes}, {@code
 * test_si_format}, {@code test_ascii}, {@code test_repr}, {@code test_format_interval}) and its
 * README document. Each expected string is copied from there; the few README lines that come from
 * real runs get an elapsed time that reproduces them (checked against tqdm 4.70.1).
 *
 * <p>Python's {@code None} is a negative total and a non-positive {@code ncols} here.
 */
class TqdmLineTest {

  private static final int NONE = 0;
  private static final long UNKNOWN = -1;

  private static String meter(long n, long total, double elapsed) {
    return Progress.formatMeter(n, total, elapsed, NONE, "", false, "it", false);
  }

  @Nested
  class FromTestFormatMeter {

    @Test
    void zeroProgressShowsAnEmptyBarAndUnknownRemainingTimeAndRate() {
      assertThat(meter(0, 1000, 13)).isEqualTo("  0%|          | 0/1000 [00:13<?, ?it/s]");
    }

    @Test
    void aPrefixThatEndsWithColonSpaceIsKeptAsIsAndNcolsSizesTheBar() {
      assertThat(Progress.formatMeter(0, 1000, 13, 68, "desc: ", false, "it", false))
          .isEqualTo("desc:   0%|                                | 0/1000 [00:13<?, ?it/s]");
    }

    @Test
    void slowerThanOnePerSecondFlipsToSecondsPerItemWithEighthBlocks() {
      assertThat(meter(231, 1000, 392))
          .isEqualTo(" 23%|\u2588\u2588\u258e       | 231/1000 [06:32<21:44,  1.70s/it]");
    }

    @Test
    void countPastTheTotalDropsTheTotalAndTheBar() {
      assertThat(meter(10000, 1000, 13)).isEqualTo("10000it [00:13, 769.23it/s]");
    }

    @Test
    void asciiBarUsesHashesAndADigitForThePartialCell() {
      assertThat(Progress.formatMeter(231, 1000, 392, 56, "", true, "it", false))
          .isEqualTo(" 23%|###6            | 231/1000 [06:32<21:44,  1.70s/it]");
    }

    @Test
    void unitScaleGivesSiPrefixesToCountAndRate() {
      assertThat(Progress.formatMeter(100000, 1000, 13, NONE, "", false, "iB", true))
          .isEqualTo("100kiB [00:13, 7.69kiB/s]");
    }

    @Test
    void fullwidthCharactersTakeTwoColumnsOfTheWidth() {
      assertThat(
              Progress.formatMeter(
                  0,
                  1000,
                  13,
                  68,
                  "\uff46\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48: ",
                  false,
                  "it",
                  false))
          .isEqualTo(
              "\uff46\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48:   0%|"
                  + "                  | 0/1000 [00:13<?, ?it/s]");
    }

    @Test
    void halfwidthKatakanaTakesOneColumnAndWideKatakanaTwo() {
      String prefix = "\u30cb\u30c3\u30dd\u30f3 [\uff86\uff6f\uff8e\uff9f\uff9d]: ";
      assertThat(Progress.formatMeter(0, 1000, 13, 68, prefix, false, "it", false))
          .isEqualTo(prefix + "  0%|                    | 0/1000 [00:13<?, ?it/s]");
    }
  }

  @Nested
  class FromTestAnsiEscapeCodes {

    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[91m";
    private static final String END = "\u001b[0m";

    @Test
    void aPlainDescriptionFillsNcolsExactly() {
      String meter =
          Progress.formatMeter(0, 100, 0, 123, "Colored description", false, "it", false);
      assertThat(meter).hasSize(123);
    }

    @Test
    void ansiCodesTakeNoColumnAndATrimmedLineGetsAResetCode() {
      String desc = BOLD + RED + "Colored" + END + " description";
      String meter = Progress.formatMeter(0, 100, 0, 123, desc, false, "it", false);
      int ansiLength = desc.length() - "Colored description".length() + END.length();
      assertThat(meter).hasSize(123 + ansiLength).startsWith(desc + ":   0%|").endsWith(END);
    }
  }

  @Nested
  class FromTestSiFormat {

    private String scaled(long total, String unit) {
      return Progress.formatMeter(1, total, 1, NONE, "", false, unit, true);
    }

    @Test
    void totalsGetThreeSignificantDigitsAndTheNextPrefixWhenRoundingCarries() {
      assertThat(scaled(9, "B")).contains("9.00 ");
      assertThat(scaled(99, "it")).contains("99.0 ");
      assertThat(scaled(999, "it")).contains("999 ");
      assertThat(scaled(9994, "it")).contains("9.99k ");
      assertThat(scaled(9999, "it")).contains("10.0k ");
      assertThat(scaled(99499, "it")).contains("99.5k ");
      assertThat(scaled(99999, "it")).contains("100k ");
      assertThat(scaled(999999, "it")).contains("1.00M ");
      assertThat(scaled(999999999L, "it")).contains("1.00G ");
      assertThat(scaled(999999999999L, "it")).contains("1.00T ");
      assertThat(scaled(999999999999999L, "it")).contains("1.00P ");
      assertThat(scaled(999999999999999999L, "it")).contains("1.00E ");
    }
  }

  @Nested
  class FromTestAsciiAndTestRepr {

    @Test
    void asciiFillsOneTenthOfACellPerDigit() {
      assertThat(Progress.formatMeter(1, 15, 0, NONE, "", true, "it", false)).contains("7%|6");
      assertThat(Progress.formatMeter(2, 15, 0, NONE, "", true, "it", false)).contains("13%|#3");
      assertThat(Progress.formatMeter(3, 15, 0, NONE, "", true, "it", false)).contains("20%|##");
    }

    @Test
    void unicodeFillsOneEighthOfACellPerBlock() {
      assertThat(meter(1, 15, 0)).contains("7%|\u258b");
      assertThat(meter(2, 15, 0)).contains("13%|\u2588\u258e");
      assertThat(meter(3, 15, 0)).contains("20%|\u2588\u2588");
    }

    @Test
    void aFreshBarWithZeroElapsedTimeHasNoRate() {
      assertThat(meter(0, 10, 0)).isEqualTo("  0%|          | 0/10 [00:00<?, ?it/s]");
      assertThat(meter(0, 12, 0)).isEqualTo("  0%|          | 0/12 [00:00<?, ?it/s]");
    }
  }

  @Nested
  class FromTestFormatInterval {

    @Test
    void elapsedTimeIsMinutesSecondsThenHoursMinutesSeconds() {
      assertThat(meter(0, UNKNOWN, 60)).isEqualTo("0it [01:00, ?it/s]");
      assertThat(meter(0, UNKNOWN, 6160)).isEqualTo("0it [1:42:40, ?it/s]");
      assertThat(meter(0, UNKNOWN, 238113)).isEqualTo("0it [66:08:33, ?it/s]");
    }
  }

  @Nested
  class FromTheReadme {

    @Test
    void anIteratorOfUnknownLengthShowsCountElapsedAndRate() {
      assertThat(meter(857366, UNKNOWN, 857366 / 246471.31))
          .isEqualTo("857366it [00:03, 246471.31it/s]");
      assertThat(meter(55, UNKNOWN, 55 / 90006.52)).isEqualTo("55it [00:00, 90006.52it/s]");
    }

    @Test
    void bytesWithUnitScaleReadAsMegabytes() {
      assertThat(Progress.formatMeter(75_200_000, UNKNOWN, 0.3466, NONE, "", false, "B", true))
          .isEqualTo("75.2MB [00:00, 217MB/s]");
    }
  }

  @Nested
  class PythonRounding {

    @Test
    void percentageTiesRoundToEven() {
      assertThat(meter(1, 8, 0)).startsWith(" 12%|"); // 12.5
      assertThat(meter(3, 8, 0)).startsWith(" 38%|"); // 37.5
      assertThat(meter(1, 200, 0)).startsWith("  0%|"); // 0.5
      assertThat(meter(3, 200, 0)).startsWith("  2%|"); // 1.5
    }

    @Test
    void rateTiesRoundToEven() {
      assertThat(meter(9, UNKNOWN, 8)).isEqualTo("9it [00:08,  1.12it/s]"); // 1.125
      assertThat(meter(1, UNKNOWN, 8)).isEqualTo("1it [00:08,  8.00s/it]");
    }

    @Test
    void aNegativeValueThatRoundsToZeroKeepsItsSign() {
      assertThat(meter(-5, 10, -3.5)).isEqualTo("-50%|          | -5/10 [-00:03<00:10,  1.43it/s]");
    }
  }

  @Nested
  class Arguments {

    @Test
    void aNullPrefixIsNoPrefix() {
      assertThat(Progress.formatMeter(0, 10, 0, NONE, null, false, "it", false))
          .isEqualTo(meter(0, 10, 0));
    }

    @Test
    void aNullUnitIsRejectedByName() {
      assertThatThrownBy(() -> Progress.formatMeter(0, 10, 0, NONE, "", false, null, false))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("unit");
    }

    @Test
    void aNonFiniteElapsedTimeIsRejectedAsTqdmRejectsIt() {
      assertThatThrownBy(() -> meter(0, 10, Double.NaN))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("elapsedSeconds");
      assertThatThrownBy(() -> meter(0, 10, Double.POSITIVE_INFINITY))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRemainingTimeTooLargeToShowThrowsAsTqdmRaisesOverflowError() {
      assertThatThrownBy(() -> meter(2, Long.MAX_VALUE, 1e300))
          .isInstanceOf(ArithmeticException.class);
    }
  }
}
