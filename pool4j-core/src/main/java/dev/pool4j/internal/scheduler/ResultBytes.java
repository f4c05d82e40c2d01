package dev.pool4j.internal.scheduler;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Estimates how much heap a chunk's results hold, so that a lazy call's window can be bounded in
 * bytes as well as in chunks ({@link Call}).
 *
 * <p>The JDK has no cheap deep size of an object, so this counts what it can see at a glance, on
 * the side of too much: a {@code String} as two bytes a character (its coder is not visible), the
 * arrays of primitives and the boxes by their layout, arrays, collections and maps by their
 * elements (two levels deep, the first {@link #SAMPLE} elements, scaled to the size), and any other
 * object as {@link #UNKNOWN} bytes. A backend that moved the results as bytes knows better for
 * objects of other classes: {@link Outcome#withWireBytes(long)} gives their encoded size, and the
 * larger of the two counts.
 *
 * <p>Cost: a few type tests per result, only for the lazy modes (whose results wait for a
 * consumer); {@code map} collects every result anyway and is not measured.
 */
final class ResultBytes {

  /** The bytes counted for an object of a class this estimate cannot see into. */
  static final long UNKNOWN = 64;

  /** A reference in an array, and an object's header, rounded up for 64-bit JVMs. */
  private static final long REF = 8;

  private static final long HEADER = 16;

  /** A {@code String}: its object (24 bytes) and its array's header. */
  private static final long STRING = 40;

  /** Elements of a collection, map or array looked at before scaling. */
  static final int SAMPLE = 64;

  private ResultBytes() {}

  /**
   * The estimated heap of {@code results[0..valid)}, at least {@code encoded} (the bytes they took
   * on the wire, 0 when unknown) plus their references.
   */
  static long of(Object[] results, int valid, long encoded) {
    long sum = REF * (long) results.length;
    long wire = sum + encoded + HEADER * (long) valid;
    for (int i = 0; i < valid; i++) {
      sum += of(results[i], 2);
    }
    return Math.max(sum, wire);
  }

  /** One object, looking {@code depth} levels into containers. */
  static long of(Object o, int depth) {
    if (o == null) {
      return 0;
    }
    if (o instanceof String) {
      return STRING + 2L * ((String) o).length();
    }
    if (o instanceof Integer
        || o instanceof Short
        || o instanceof Byte
        || o instanceof Character
        || o instanceof Boolean
        || o instanceof Float) {
      return HEADER;
    }
    if (o instanceof Long || o instanceof Double) {
      return HEADER + 8;
    }
    if (o instanceof byte[]) {
      return HEADER + ((byte[]) o).length;
    }
    if (o instanceof int[]) {
      return HEADER + 4L * ((int[]) o).length;
    }
    if (o instanceof long[]) {
      return HEADER + 8L * ((long[]) o).length;
    }
    if (o instanceof double[]) {
      return HEADER + 8L * ((double[]) o).length;
    }
    if (o instanceof char[]) {
      return HEADER + 2L * ((char[]) o).length;
    }
    if (o instanceof short[]) {
      return HEADER + 2L * ((short[]) o).length;
    }
    if (o instanceof float[]) {
      return HEADER + 4L * ((float[]) o).length;
    }
    if (o instanceof boolean[]) {
      return HEADER + ((boolean[]) o).length;
    }
    if (o instanceof Object[]) {
      Object[] a = (Object[]) o;
      long own = HEADER + REF * a.length;
      if (depth <= 0 || a.length == 0) {
        return own + UNKNOWN * a.length;
      }
      int n = Math.min(a.length, SAMPLE);
      long sample = 0;
      for (int i = 0; i < n; i++) {
        sample += of(a[i], depth - 1);
      }
      return own + scale(sample, n, a.length);
    }
    if (o instanceof Collection) {
      return HEADER + elements(((Collection<?>) o).iterator(), ((Collection<?>) o).size(), depth);
    }
    if (o instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) o;
      // keys and values: each entry is a node of about two headers
      return HEADER
          + elements(m.keySet().iterator(), m.size(), depth)
          + elements(m.values().iterator(), m.size(), depth)
          + 2 * HEADER * (long) m.size();
    }
    return UNKNOWN;
  }

  private static long elements(Iterator<?> it, int size, int depth) {
    long own = REF * (long) size;
    if (size <= 0) {
      return own;
    }
    if (depth <= 0) {
      return own + UNKNOWN * (long) size;
    }
    long sample = 0;
    int n = 0;
    try {
      while (n < SAMPLE && it.hasNext()) {
        sample += of(it.next(), depth - 1);
        n++;
      }
    } catch (RuntimeException e) {
      // a result that fails to iterate is the consumer's to find out; count it as unknown
      return own + UNKNOWN * (long) size;
    }
    return own + (n == 0 ? 0 : scale(sample, n, size));
  }

  private static long scale(long sample, int n, long size) {
    return n >= size ? sample : (long) Math.min(Long.MAX_VALUE / 2, (double) sample / n * size);
  }
}
