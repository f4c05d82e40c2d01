package dev.pool4j.internal.progress;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Python's arithmetic and number formatting, to the last digit, for the few operations tqdm's meter
 * uses.
 *
 * <p>Design note. Java and Python share IEEE-754 doubles, so {@code +,-,*,/} on doubles and the
 * conversion of a {@code long} to a {@code double} (round to nearest, ties to even) agree already.
 * Three things differ and are done here:
 *
 * <ul>
 *   <li><b>Fixed-point formatting.</b> Python's {@code format(x, "5.2f")} rounds the exact binary
 *       value of {@code x}, ties to even ({@code 0.125 -> "0.12"}, {@code 12.5 -> "12"}) and keeps
 *       the sign of a negative value that rounds to zero ({@code "-0.00"}). {@code String.format}
 *       rounds ties away from zero. {@link #fixed} rounds {@code new BigDecimal(x)} (exact)
 *       half-even instead.
 *   <li><b>Integer true division.</b> Python's {@code int / int} is correctly rounded for any size;
 *       {@code (double) a / (double) b} is too only while both fit in 53 bits. {@link #trueDivide}
 *       falls back to exact integer arithmetic past that.
 *   <li><b>Mixed comparisons.</b> Python compares an {@code int} with a {@code float} exactly;
 *       Java's {@code long >= double} first rounds the long. {@link #atLeast} is exact.
 * </ul>
 *
 * <p>Everything is static and allocation-light on the common path (values below 2<sup>53</sup>);
 * the meter calls it a handful of times per line.
 */
final class PyNumbers {

  private static final long EXACT = 1L << 53;

  private PyNumbers() {}

  /**
   * Python's {@code format(value, f"{width}.{decimals}f")}: right-aligned in {@code width} columns,
   * {@code decimals} digits after the point, ties to even.
   */
  static String fixed(double value, int decimals, int width) {
    String digits;
    if (Double.isNaN(value)) {
      digits = "nan";
    } else if (Double.isInfinite(value)) {
      digits = value > 0 ? "inf" : "-inf";
    } else {
      String magnitude =
          new BigDecimal(Math.abs(value))
              .setScale(decimals, RoundingMode.HALF_EVEN)
              .toPlainString();
      // Python keeps the sign of -0.0 and of negatives that round to zero.
      digits = Math.copySign(1.0, value) < 0 ? "-" + magnitude : magnitude;
    }
    return padLeft(digits, width);
  }

  /** Python's {@code a / b} for two ints: the exact quotient, correctly rounded to a double. */
  static double trueDivide(long a, long b) {
    if (b == 0) {
      throw new ArithmeticException("division by zero");
    }
    if (-EXACT <= a && a <= EXACT && -EXACT <= b && b <= EXACT) {
      return (double) a / (double) b;
    }
    return trueDivide(BigInteger.valueOf(a), BigInteger.valueOf(b));
  }

  private static double trueDivide(BigInteger a, BigInteger b) {
    boolean negative = a.signum() * b.signum() < 0;
    BigInteger num = a.abs();
    BigInteger den = b.abs();
    if (num.signum() == 0) {
      return negative ? -0.0 : 0.0;
    }
    // Scale so that the integer quotient has about 60 bits: more than the 53 a double keeps, so
    // one sticky bit below them decides every rounding exactly; fewer than 63, so it fits a long.
    int shift = 60 - (num.bitLength() - den.bitLength());
    if (shift >= 0) {
      num = num.shiftLeft(shift);
    } else {
      den = den.shiftLeft(-shift);
    }
    BigInteger[] qr = num.divideAndRemainder(den);
    long q = qr[0].longValueExact();
    if (qr[1].signum() != 0) {
      q |= 1; // sticky bit: the quotient lies strictly above q
    }
    // (double) q rounds to nearest, ties to even; the power-of-two scaling is then exact because
    // quotients of longs stay far from the subnormal and overflow ranges.
    double magnitude = Math.scalb((double) q, -shift);
    return negative ? -magnitude : magnitude;
  }

  /** Python's {@code float(a - b)} for two ints: the exact difference, correctly rounded. */
  static double difference(long a, long b) {
    long d = a - b;
    if (((a ^ b) & (a ^ d)) < 0) { // overflow: the exact difference needs 65 bits
      return BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)).doubleValue();
    }
    return (double) d;
  }

  /**
   * Python's {@code n >= d} for an int and a finite float: exact, with no rounding of {@code n}.
   */
  static boolean atLeast(long n, double d) {
    if (-EXACT <= n && n <= EXACT) {
      return n >= d;
    }
    return new BigDecimal(n).compareTo(new BigDecimal(d)) >= 0;
  }

  /**
   * tqdm's {@code format_interval(t)}: {@code [-][H:]MM:SS} of the whole seconds in {@code t},
   * truncated toward zero as Python's {@code int(t)} does.
   *
   * @throws ArithmeticException if {@code t} is not finite (Python raises there too)
   */
  static String interval(double t) {
    if (!Double.isFinite(t)) {
      throw new ArithmeticException("cannot format " + t + " seconds as a clock time");
    }
    String sign = t < 0 ? "-" : "";
    double whole = Math.abs(t);
    if (whole < 0x1p62) {
      long seconds = (long) whole;
      long minutes = seconds / 60;
      long hours = minutes / 60;
      return clock(sign, Long.toString(hours), hours != 0, minutes % 60, seconds % 60);
    }
    BigInteger seconds = new BigDecimal(whole).toBigInteger();
    BigInteger[] ms = seconds.divideAndRemainder(BigInteger.valueOf(60));
    BigInteger[] hm = ms[0].divideAndRemainder(BigInteger.valueOf(60));
    return clock(sign, hm[0].toString(), true, hm[1].longValue(), ms[1].longValue());
  }

  private static String clock(String sign, String hours, boolean showHours, long m, long s) {
    StringBuilder sb = new StringBuilder(sign);
    if (showHours) {
      sb.append(hours).append(':');
    }
    twoDigits(sb, m).append(':');
    return twoDigits(sb, s).toString();
  }

  private static StringBuilder twoDigits(StringBuilder sb, long v) {
    return (v < 10 ? sb.append('0') : sb).append(v);
  }

  /**
   * tqdm's {@code format_sizeof(n)} for an int: three significant digits and an SI prefix ({@code
   * 999}, {@code 1.00k}, {@code 10.0k}, {@code 100k}, {@code 1.00M} ...).
   */
  static String sizeof(long n) {
    // Python compares the int exactly (|n| < 999.5 means |n| <= 999), then divides int by int.
    if (-999 <= n && n <= 999) {
      return sizeof((double) n, 0);
    }
    return sizeof(trueDivide(n, 1000), 1);
  }

  /** tqdm's {@code format_sizeof(x)} for a float. */
  static String sizeof(double x) {
    return sizeof(x, 0);
  }

  private static final String[] PREFIXES = {"", "k", "M", "G", "T", "P", "E", "Z"};

  private static String sizeof(double num, int firstPrefix) {
    for (int i = firstPrefix; i < PREFIXES.length; i++) {
      double abs = Math.abs(num);
      if (abs < 999.5) {
        if (abs < 99.95) {
          if (abs < 9.995) {
            return fixed(num, 2, 1) + PREFIXES[i];
          }
          return fixed(num, 1, 2) + PREFIXES[i];
        }
        return fixed(num, 0, 3) + PREFIXES[i];
      }
      num /= 1000;
    }
    return fixed(num, 1, 3) + "Y";
  }

  static String padLeft(String s, int width) {
    if (s.length() >= width) {
      return s;
    }
    return " ".repeat(width - s.length()) + s;
  }

  /**
   * tqdm's {@code format_num(n)}, which {@code set_postfix} applies to numbers: {@code f"{n:.3g}"}
   * (exponents without a leading zero) when that is shorter than {@code str(n)}, else {@code
   * str(n)}. Integer types are Python ints; any other number is taken as a float.
   */
  static String formatNum(Number n) {
    boolean integral =
        n instanceof Long
            || n instanceof Integer
            || n instanceof Short
            || n instanceof Byte
            || n instanceof java.math.BigInteger
            || n instanceof java.util.concurrent.atomic.AtomicInteger
            || n instanceof java.util.concurrent.atomic.AtomicLong;
    double d = n.doubleValue();
    String g = general3(d).replace("e+0", "e+").replace("e-0", "e-");
    String str = integral ? n.toString() : repr(d);
    return g.length() < str.length() ? g : str;
  }

  /** Python's {@code format(x, ".3g")}. */
  static String general3(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    String sign = Math.copySign(1.0, x) < 0 ? "-" : "";
    if (x == 0) {
      return sign + "0";
    }
    BigDecimal rounded =
        new BigDecimal(Math.abs(x)).round(new java.math.MathContext(3, RoundingMode.HALF_EVEN));
    int exp = rounded.precision() - rounded.scale() - 1;
    if (exp >= -4 && exp < 3) {
      return sign + stripZeros(rounded.setScale(2 - exp, RoundingMode.UNNECESSARY).toPlainString());
    }
    String mantissa =
        stripZeros(
            rounded.movePointLeft(exp).setScale(2, RoundingMode.UNNECESSARY).toPlainString());
    return sign + mantissa + exponent(exp);
  }

  /** Python's {@code repr(x)} of a float: the shortest digits, fixed from 1e-4 up to 1e16. */
  static String repr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    String sign = Math.copySign(1.0, x) < 0 ? "-" : "";
    if (x == 0) {
      return sign + "0.0";
    }
    BigDecimal digits = new BigDecimal(Double.toString(Math.abs(x))).stripTrailingZeros();
    int exp = digits.precision() - digits.scale() - 1;
    if (exp >= -4 && exp < 16) {
      String plain = digits.toPlainString();
      return sign + (plain.contains(".") ? plain : plain + ".0");
    }
    String mantissa = digits.movePointLeft(exp).toPlainString();
    return sign + mantissa + exponent(exp);
  }

  private static String exponent(int exp) {
    String e = Integer.toString(Math.abs(exp));
    return (exp < 0 ? "e-" : "e+") + (e.length() < 2 ? "0" + e : e);
  }

  private static String stripZeros(String plain) {
    if (!plain.contains(".")) {
      return plain;
    }
    int end = plain.length();
    while (plain.charAt(end - 1) == '0') {
      end--;
    }
    if (plain.charAt(end - 1) == '.') {
      end--;
    }
    return plain.substring(0, end);
  }
}
