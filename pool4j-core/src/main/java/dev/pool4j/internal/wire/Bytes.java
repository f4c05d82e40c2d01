package dev.pool4j.internal.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian numbers read and written in place in byte arrays, as {@link java.io.DataOutputStream}
 * writes them: frame lengths, chunk heads, runs of plain values and cluster messages all go through
 * here. Any offset, aligned or not.
 */
public final class Bytes {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Bytes() {}

  /** The short at {@code b[p..p + 2)}. */
  public static short getShort(byte[] b, int p) {
    return (short) SHORT.get(b, p);
  }

  /** The int at {@code b[p..p + 4)}. */
  public static int getInt(byte[] b, int p) {
    return (int) INT.get(b, p);
  }

  /** The long at {@code b[p..p + 8)}. */
  public static long getLong(byte[] b, int p) {
    return (long) LONG.get(b, p);
  }

  /** Writes {@code v} to {@code b[p..p + 2)}. */
  public static void putShort(byte[] b, int p, short v) {
    SHORT.set(b, p, v);
  }

  /** Writes {@code v} to {@code b[p..p + 4)}. */
  public static void putInt(byte[] b, int p, int v) {
    INT.set(b, p, v);
  }

  /** Writes {@code v} to {@code b[p..p + 8)}. */
  public static void putLong(byte[] b, int p, long v) {
    LONG.set(b, p, v);
  }
}
