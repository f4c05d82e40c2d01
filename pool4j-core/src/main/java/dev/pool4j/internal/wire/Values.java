package dev.pool4j.internal.wire;

import java.io.ObjectInputFilter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A compact encoding for runs of plain values ({@code null}, boxed primitives, {@code String},
 * {@code byte[]}) that skips Java serialization: no object stream to build (a few microseconds a
 * chunk), no class descriptors, a few bytes and nanoseconds a value. Most inputs and results of
 * pool tasks are such values; a run that holds anything else is serialized as usual.
 *
 * <p>A run is either a tagged value after another, or, when every value of the run is an {@code
 * Integer} (or every one a {@code Long}), one run tag followed by the bare numbers: 4 bytes an
 * item, written and read in one tight loop (about half the time per item of the tagged form, and
 * the common case of numeric inputs and results). A tagged run never begins with a run tag.
 *
 * <p>A worker runs a chunk whose inputs are a run of Integers in one pass ({@code WorkerMain.ints},
 * with {@link #isIntRun}, {@link #intAt} and {@link #putIntAt}): no array of boxed inputs or
 * results in between.
 *
 * <p>The deserialization filter still rules: the encoding is used only when the filter in force
 * (the pool's, else the JVM-wide one) allows every one of these classes.
 */
public final class Values {

  private static final byte NULL = 0;
  private static final byte INT = 1;
  private static final byte LONG = 2;
  private static final byte DOUBLE = 3;
  private static final byte STRING = 4;
  private static final byte BOOLEAN = 5;
  private static final byte BYTES = 6;
  private static final byte FLOAT = 7;
  private static final byte SHORT = 8;
  private static final byte CHAR = 9;
  private static final byte BYTE = 10;

  /** First byte of a run of Integers only, then 4 bytes each. */
  private static final byte INT_RUN = 11;

  /** First byte of a run of Longs only, then 8 bytes each. */
  private static final byte LONG_RUN = 12;

  private static final Class<?>[] CLASSES = {
    Integer.class,
    Long.class,
    Double.class,
    String.class,
    Boolean.class,
    byte[].class,
    Float.class,
    Short.class,
    Character.class,
    Byte.class
  };

  /** Where encodings begin in a {@link Protocol.Scratch}'s array. */
  private static final int BASE = Protocol.Scratch.ROOM;

  private Values() {}

  /** Whether {@code filter} (or the JVM-wide filter when null) lets every plain class through. */
  public static boolean allowed(ObjectInputFilter filter) {
    ObjectInputFilter f = filter != null ? filter : ObjectInputFilter.Config.getSerialFilter();
    if (f == null) {
      return true;
    }
    for (Class<?> c : CLASSES) {
      ObjectInputFilter.Status status = f.checkInput(new Info(c));
      if (status == ObjectInputFilter.Status.REJECTED) {
        return false;
      }
    }
    return true;
  }

  /**
   * Encodes {@code values[0..n)} after a first byte {@code format} into {@code into} (grown as
   * needed) from its {@link Protocol.Scratch#ROOM}, and returns the length, or -1 if one of them is
   * not plain.
   */
  public static int encode(byte format, Object[] values, int n, Protocol.Scratch into) {
    if (n > 0) {
      // optimistic: a run that turns out mixed is encoded again below
      if (values[0] instanceof Integer) {
        int length = encodeInts(format, values, n, into);
        if (length >= 0) {
          return length;
        }
      } else if (values[0] instanceof Long) {
        int length = encodeLongs(format, values, n, into);
        if (length >= 0) {
          return length;
        }
      }
    }
    long size = 1;
    for (int i = 0; i < n; i++) {
      int s = size(values[i]);
      if (s < 0) {
        return -1;
      }
      size += s;
      if (!into.fits(size)) {
        return -1; // past the limit of a frame: serialization finds the value and says so
      }
    }
    byte[] out = into.atLeast((int) size);
    out[BASE] = format;
    int p = BASE + 1;
    for (int i = 0; i < n; i++) {
      p = put(out, p, values[i]);
    }
    return (int) size;
  }

  /** A run of Integers only; -1 if one of the values is something else (or too many). */
  private static int encodeInts(byte format, Object[] values, int n, Protocol.Scratch into) {
    if (!into.fits(2 + 4L * n)) {
      return -1;
    }
    byte[] out = into.atLeast(2 + 4 * n);
    out[BASE] = format;
    out[BASE + 1] = INT_RUN;
    for (int i = 0, p = BASE + 2; i < n; i++, p += 4) {
      Object v = values[i];
      if (!(v instanceof Integer)) {
        return -1;
      }
      Bytes.putInt(out, p, ((Integer) v).intValue());
    }
    return 2 + 4 * n;
  }

  /** A run of Longs only; -1 if one of the values is something else (or too many). */
  private static int encodeLongs(byte format, Object[] values, int n, Protocol.Scratch into) {
    if (!into.fits(2 + 8L * n)) {
      return -1;
    }
    byte[] out = into.atLeast(2 + 8 * n);
    out[BASE] = format;
    out[BASE + 1] = LONG_RUN;
    for (int i = 0, p = BASE + 2; i < n; i++, p += 8) {
      Object v = values[i];
      if (!(v instanceof Long)) {
        return -1;
      }
      Bytes.putLong(out, p, ((Long) v).longValue());
    }
    return 2 + 8 * n;
  }

  /**
   * Whether {@code b[p..end)} holds a run of {@code count} Integers, its tag at {@code p} (the byte
   * after the format byte).
   */
  public static boolean isIntRun(byte[] b, int p, int end, int count) {
    return count > 0 && p < end && b[p] == INT_RUN && 4L * count <= end - p - 1;
  }

  /** Integer {@code k} of the run whose tag is at {@code b[run]}. */
  public static int intAt(byte[] b, int run, int k) {
    return Bytes.getInt(b, run + 1 + 4 * k);
  }

  /** How many bytes a run of {@code count} Integers takes, with its format byte and tag. */
  public static int intRunLength(int count) {
    return 2 + 4 * count;
  }

  /**
   * Writes the format byte and run tag of a run of Integers where encodings in {@code out}, a
   * {@link Protocol.Scratch}'s array, begin.
   */
  public static void startIntRun(byte format, byte[] out) {
    out[BASE] = format;
    out[BASE + 1] = INT_RUN;
  }

  /** Writes Integer {@code k} of the run {@link #startIntRun} began in {@code out}. */
  public static void putIntAt(byte[] out, int k, int v) {
    Bytes.putInt(out, BASE + 2 + 4 * k, v);
  }

  /** Reads back, boxed into {@code into}, the first {@code n} Integers written to {@code out}. */
  public static void intsWritten(byte[] out, int n, Object[] into) {
    for (int k = 0; k < n; k++) {
      into[k] = Bytes.getInt(out, BASE + 2 + 4 * k);
    }
  }

  private static int size(Object v) {
    if (v == null) {
      return 1;
    }
    Class<?> c = v.getClass();
    if (c == Integer.class || c == Float.class) {
      return 5;
    }
    if (c == Long.class || c == Double.class) {
      return 9;
    }
    if (c == String.class) {
      String s = (String) v;
      // exact for ASCII, else counted (not encoded: a huge string must not be copied to be
      // found too large); -1 past an int, and serialization says it is too large
      long length = 5L + (isLatin1Ascii(s) ? s.length() : utf8Length(s));
      return length <= Integer.MAX_VALUE ? (int) length : -1;
    }
    if (c == Boolean.class || c == Byte.class) {
      return 2;
    }
    if (c == Short.class || c == Character.class) {
      return 3;
    }
    if (c == byte[].class) {
      return 5 + ((byte[]) v).length;
    }
    return -1;
  }

  /** The length of {@code s} in UTF-8, as {@link String#getBytes} would make it. */
  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (!Character.isSurrogate(c)) {
        n += 3;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 1; // a lone surrogate becomes '?'
      }
    }
    return n;
  }

  private static boolean isLatin1Ascii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static int put(byte[] b, int p, Object v) {
    if (v == null) {
      b[p] = NULL;
      return p + 1;
    }
    Class<?> c = v.getClass();
    if (c == Integer.class) {
      b[p] = INT;
      return putInt(b, p + 1, (Integer) v);
    }
    if (c == Long.class) {
      b[p] = LONG;
      return putLong(b, p + 1, (Long) v);
    }
    if (c == Double.class) {
      b[p] = DOUBLE;
      return putLong(b, p + 1, Double.doubleToRawLongBits((Double) v));
    }
    if (c == String.class) {
      String s = (String) v;
      byte[] bytes;
      if (isLatin1Ascii(s)) {
        b[p] = STRING;
        int q = putInt(b, p + 1, s.length());
        for (int i = 0, n = s.length(); i < n; i++) {
          b[q + i] = (byte) s.charAt(i);
        }
        return q + s.length();
      }
      bytes = s.getBytes(StandardCharsets.UTF_8);
      b[p] = STRING;
      int q = putInt(b, p + 1, bytes.length);
      System.arraycopy(bytes, 0, b, q, bytes.length);
      return q + bytes.length;
    }
    if (c == Boolean.class) {
      b[p] = BOOLEAN;
      b[p + 1] = (byte) (((Boolean) v) ? 1 : 0);
      return p + 2;
    }
    if (c == byte[].class) {
      byte[] bytes = (byte[]) v;
      b[p] = BYTES;
      int q = putInt(b, p + 1, bytes.length);
      System.arraycopy(bytes, 0, b, q, bytes.length);
      return q + bytes.length;
    }
    if (c == Float.class) {
      b[p] = FLOAT;
      return putInt(b, p + 1, Float.floatToRawIntBits((Float) v));
    }
    if (c == Short.class) {
      b[p] = SHORT;
      return putShort(b, p + 1, (Short) v);
    }
    if (c == Character.class) {
      b[p] = CHAR;
      return putShort(b, p + 1, (Character) v);
    }
    b[p] = BYTE;
    b[p + 1] = (Byte) v;
    return p + 2;
  }

  /**
   * Decodes up to {@code count} values from {@code b[p..end)} into {@code into[at..]}.
   *
   * @return the number decoded
   * @throws IllegalStateException if the bytes are not a valid encoding
   */
  public static int decode(byte[] b, int p, int end, Object[] into, int at, int count) {
    if (count > 0 && p < end && (b[p] == INT_RUN || b[p] == LONG_RUN)) {
      int width = b[p] == INT_RUN ? 4 : 8;
      if ((long) count * width > end - p - 1) {
        throw new IllegalStateException(
            "a run of " + count + " numbers needs more than the " + (end - p - 1) + " bytes left");
      }
      p++;
      if (width == 4) {
        for (int k = 0; k < count; k++, p += 4) {
          into[at + k] = Bytes.getInt(b, p);
        }
      } else {
        for (int k = 0; k < count; k++, p += 8) {
          into[at + k] = Bytes.getLong(b, p);
        }
      }
      return count;
    }
    for (int k = 0; k < count; k++) {
      if (p >= end) {
        throw new IllegalStateException("plain values end after " + k + " of " + count);
      }
      byte tag = b[p++];
      Object v;
      switch (tag) {
        case NULL:
          v = null;
          break;
        case INT:
          v = Bytes.getInt(b, p);
          p += 4;
          break;
        case LONG:
          v = Bytes.getLong(b, p);
          p += 8;
          break;
        case DOUBLE:
          v = Double.longBitsToDouble(Bytes.getLong(b, p));
          p += 8;
          break;
        case STRING:
          {
            int n = Bytes.getInt(b, p);
            v = new String(b, p + 4, n, StandardCharsets.UTF_8);
            p += 4 + n;
            break;
          }
        case BOOLEAN:
          v = b[p++] != 0;
          break;
        case BYTES:
          {
            int n = Bytes.getInt(b, p);
            v = Arrays.copyOfRange(b, p + 4, p + 4 + n);
            p += 4 + n;
            break;
          }
        case FLOAT:
          v = Float.intBitsToFloat(Bytes.getInt(b, p));
          p += 4;
          break;
        case SHORT:
          v = Bytes.getShort(b, p);
          p += 2;
          break;
        case CHAR:
          v = (char) Bytes.getShort(b, p);
          p += 2;
          break;
        case BYTE:
          v = b[p++];
          break;
        default:
          throw new IllegalStateException("unknown plain value tag " + tag);
      }
      into[at + k] = v;
    }
    return count;
  }

  private static int putInt(byte[] b, int p, int v) {
    Bytes.putInt(b, p, v);
    return p + 4;
  }

  private static int putShort(byte[] b, int p, int v) {
    Bytes.putShort(b, p, (short) v);
    return p + 2;
  }

  private static int putLong(byte[] b, int p, long v) {
    Bytes.putLong(b, p, v);
    return p + 8;
  }

  /** What a filter sees for one plain value. */
  private static final class Info implements ObjectInputFilter.FilterInfo {
    private final Class<?> serialClass;

    Info(Class<?> serialClass) {
      this.serialClass = serialClass;
    }

    @Override
    public Class<?> serialClass() {
      return serialClass;
    }

    @Override
    public long arrayLength() {
      return -1;
    }

    @Override
    public long depth() {
      return 1;
    }

    @Override
    public long references() {
      return 1;
    }

    @Override
    public long streamBytes() {
      return 0;
    }
  }
}
