package dev.pool4j.internal.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The wire format between the pool (parent) and a worker process (child), and the serialization
 * helpers both sides share.
 *
 * <h2>Transport</h2>
 *
 * <p>One connection per worker process ({@link Wire}): a Unix-domain socket in a directory only
 * the parent's account may enter, or loopback TCP where the platform has no such sockets ({@link
 * Listener}). The child connects and first sends the 16-byte token it got in its environment
 * (never on its command line, which other users can read), so nothing else on the machine can
 * speak for it; the parent then stops listening. The child's stdout and stderr stay plain pipes
 * that the parent forwards line by line: output of the task, of native code or of the JVM itself
 * ({@code -Xlog}, out-of-memory messages) can never corrupt a frame. Its stdin stays open and
 * silent: end-of-file there means the parent died.
 *
 * <h2>Frames</h2>
 *
 * <p>Every frame is {@code int length} (of what follows), {@code byte type}, then the body.
 *
 * <pre>
 * parent -> child
 *   INIT    [initializer]                  first frame of every connection; empty: none
 *   TASK    long callId, task              once per call and worker process, before its chunks
 *   FORGET  long callId                    drop a cached task (the worker keeps at most 32)
 *   CHUNK   long callId, bool stream, int count, values
 * child -> parent
 *   READY   bool ok, [failure]             after the initializer ran
 *   RESULTS int valid, bool failed, [failure], values      batch mode: one per chunk
 *   ITEM    bool ok, ok ? values (one) : failure           stream mode: one per item
 * </pre>
 *
 * <p>A task and an initializer are one Java object stream. A run of values ({@link #encode}) is
 * a format byte, then either the {@link Values plain} encoding (boxed primitives, strings, byte
 * arrays: no serialization at all) or one Java object stream; a fresh stream per frame, so a
 * value that fails to serialize never corrupts the connection and no handle table grows.
 *
 * <p>In stream mode (a task timeout is set, or the chunk runs again after its worker died) the
 * child reports each item as soon as it is done, so the parent knows which item runs now (its
 * deadline starts when the previous one is reported) and which item a dying worker was running.
 *
 * <p>A failure travels as a {@link #writeFailure description} (class name, message, stack, causes)
 * plus the exception's own serialized form when it has one; the parent rebuilds the original
 * exception, or a {@code RemoteTaskException} carrying the description when it cannot.
 */
final class Protocol {

  static final byte TASK = 1;
  static final byte FORGET = 2;
  static final byte CHUNK = 3;
  static final byte INIT = 4;

  static final byte READY = 10;
  static final byte RESULTS = 11;
  static final byte ITEM = 12;

  static final int TOKEN_BYTES = 16;

  /** Environment variable that carries the token to the child, in hex. */
  static final String TOKEN_ENV = "POOL4J_WORKER_TOKEN";
  /** Environment variable that carries the deserialization filter pattern, if any. */
  static final String FILTER_ENV = "POOL4J_WORKER_FILTER";

  /** Causes and suppressed exceptions followed at most this deep. */
  private static final int MAX_CAUSES = 16;

  /** A frame's length, as {@link DataOutputStream#writeInt} writes it. */
  private static final VarHandle FRAME_LENGTH =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private Protocol() {}

  // ------------------------------------------------------------------ serialization

  /**
   * The outcome of serializing a run of values: {@code bytes[offset..offset + length)}, how many
   * values made it, and why the next did not. The bytes may be a {@link Scratch}'s, valid until it
   * is reused; then {@link #writeFrame} may write the frame's head into the {@link Scratch#ROOM}
   * before them.
   */
  static final class Encoded {
    final byte[] bytes;
    final int offset;
    final int length;
    final int count;
    /** Why value {@code count} could not be written, or null when all were. */
    final Exception error;

    Encoded(byte[] bytes, int offset, int length, int count, Exception error) {
      this.bytes = bytes;
      this.offset = offset;
      this.length = length;
      this.count = count;
      this.error = error;
    }
  }

  /**
   * A byte array that one thread encodes into again and again, grown as needed: one chunk's
   * encoding less to allocate (and to collect) per chunk. A grown array past {@link #KEEP} bytes
   * is not kept, so that one huge chunk does not hold its memory for the life of the worker.
   *
   * <p>Encodings begin at {@link #ROOM}, so that the head of the frame that carries them fits
   * before them, and the frame goes out in one write: one system call and one wake-up of the
   * reader a frame, not two.
   */
  static final class Scratch {
    private static final int KEEP = 4 << 20;

    /** Bytes left free before an encoding: room for a frame's head. */
    static final int ROOM = 32;

    private byte[] bytes = new byte[1 << 12];

    /** What {@link #atLeast} returned last. */
    private byte[] last = bytes;

    /** An array of at least {@link #ROOM} + {@code n} bytes; its content is undefined. */
    byte[] atLeast(int n) {
      n += ROOM;
      if (bytes.length >= n) {
        last = bytes;
      } else {
        last = new byte[Math.max(n, Math.min(KEEP, bytes.length * 2))];
        if (last.length <= KEEP) {
          bytes = last;
        }
      }
      return last;
    }

    /** The array {@link #atLeast} returned last. */
    byte[] last() {
      return last;
    }
  }

  /** First byte of a run of values: {@link Values plain} encoding. */
  static final byte PLAIN = 1;
  /** First byte of a run of values: one Java object stream. */
  static final byte JAVA = 2;

  /**
   * Encodes {@code values[0..n)}: in the {@link Values plain} encoding when {@code plain} is
   * allowed and every value is plain, else into one object stream, stopping before the first
   * value that cannot be serialized.
   */
  static Encoded encode(Object[] values, int n, boolean plain, Scratch scratch) {
    if (plain) {
      int length = Values.encode(PLAIN, values, n, scratch);
      if (length >= 0) {
        return new Encoded(scratch.last(), Scratch.ROOM, length, n, null);
      }
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    buffer.write(JAVA);
    int i = 0;
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      for (; i < n; i++) {
        out.writeObject(values[i]);
      }
      out.flush();
      byte[] bytes = buffer.toByteArray();
      return new Encoded(bytes, 0, bytes.length, n, null);
    } catch (IOException | RuntimeException e) {
      // the stream now holds a partial object: write the values before it again, cleanly
      int good = i;
      buffer.reset();
      buffer.write(JAVA);
      try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
        for (int j = 0; j < good; j++) {
          out.writeObject(values[j]);
        }
        out.flush();
      } catch (IOException | RuntimeException again) {
        e.addSuppressed(again);
        return new Encoded(new byte[0], 0, 0, 0, e);
      }
      byte[] bytes = buffer.toByteArray();
      return new Encoded(bytes, 0, bytes.length, good, e);
    }
  }

  /** The outcome of decoding a run of values: how many were read, and why the next was not. */
  static final class Decoded {
    final int count;
    final Exception error;

    Decoded(int count, Exception error) {
      this.count = count;
      this.error = error;
    }
  }

  /**
   * Decodes up to {@code count} values that {@link #encode} wrote to {@code b[off..end)} into
   * {@code into[at..]}.
   */
  static Decoded decode(
      byte[] b,
      int off,
      int end,
      Object[] into,
      int at,
      int count,
      ClassLoader loader,
      ObjectInputFilter filter) {
    if (count == 0) {
      return new Decoded(0, null);
    }
    if (off >= end) {
      return new Decoded(0, new IllegalStateException("no values where " + count + " were due"));
    }
    if (b[off] == PLAIN) {
      try {
        return new Decoded(Values.decode(b, off + 1, end, into, at, count), null);
      } catch (RuntimeException e) {
        return new Decoded(0, e);
      }
    }
    int k = 0;
    try (ObjectInputStream in = objectInput(b, off + 1, end - off - 1, loader, filter)) {
      for (; k < count; k++) {
        into[at + k] = in.readObject();
      }
      return new Decoded(count, null);
    } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
      into[at + k] = null;
      return new Decoded(k, e instanceof Exception ? (Exception) e : new IllegalStateException(e));
    }
  }

  /** Serializes one value; throws what serialization throws. */
  static byte[] encodeOne(Object value) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(value);
    }
    return buffer.toByteArray();
  }

  /** An object stream that resolves classes with the given loader first, under a filter. */
  static ObjectInputStream objectInput(
      byte[] bytes, int offset, int length, ClassLoader loader, ObjectInputFilter filter)
      throws IOException {
    ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes, offset, length)) {
          @Override
          protected Class<?> resolveClass(ObjectStreamClass desc)
              throws IOException, ClassNotFoundException {
            if (loader != null) {
              try {
                return Class.forName(desc.getName(), false, loader);
              } catch (ClassNotFoundException e) {
                // primitives and arrays of them: the default resolution knows them
              }
            }
            return super.resolveClass(desc);
          }
        };
    if (filter != null) {
      in.setObjectInputFilter(filter);
    }
    return in;
  }

  /** A filter from a pattern ({@link ObjectInputFilter.Config#createFilter}), or null for none. */
  static ObjectInputFilter filter(String pattern) {
    return pattern == null || pattern.isEmpty()
        ? null
        : ObjectInputFilter.Config.createFilter(pattern);
  }

  /** A clear exception for a value that cannot be serialized. */
  static Exception notSerializable(String what, Object value, Exception cause) {
    String type = value == null ? "null" : value.getClass().getName();
    String detail =
        cause instanceof NotSerializableException
            ? cause.getMessage() + " is not Serializable"
            : String.valueOf(cause);
    NotSerializableException e =
        new NotSerializableException(
            what
                + " (of class "
                + type
                + ") cannot be sent between the pool and its worker processes: "
                + detail
                + "; make it (and everything it holds) Serializable, or mark fields transient");
    e.initCause(cause);
    return e;
  }

  // ------------------------------------------------------------------ frames

  /** Writes a frame whose body is {@code head} then {@code tail}. */
  static void writeFrame(DataOutputStream out, byte type, byte[] head, int headLength, byte[] tail)
      throws IOException {
    writeFrame(out, type, head, headLength, tail, 0, tail == null ? 0 : tail.length);
  }

  /**
   * Writes a frame whose body is {@code head[0..headLength)} then {@code tail[tailOffset..
   * tailOffset + tailLength)}. When the frame's head fits before the tail (a {@link Scratch}'s
   * {@link Scratch#ROOM}), it is written there, and the frame goes out in one piece.
   */
  static void writeFrame(
      DataOutputStream out,
      byte type,
      byte[] head,
      int headLength,
      byte[] tail,
      int tailOffset,
      int tailLength)
      throws IOException {
    int frameHead = 5 + headLength;
    if (tailLength > 0 && tailOffset >= frameHead) {
      int p = tailOffset - frameHead;
      FRAME_LENGTH.set(tail, p, 1 + headLength + tailLength);
      tail[p + 4] = type;
      System.arraycopy(head, 0, tail, p + 5, headLength);
      out.write(tail, p, frameHead + tailLength);
      return;
    }
    out.writeInt(1 + headLength + tailLength);
    out.writeByte(type);
    out.write(head, 0, headLength);
    if (tailLength > 0) {
      out.write(tail, tailOffset, tailLength);
    }
  }

  /** A small growable buffer for frame heads, with the {@link DataOutputStream} methods. */
  static final class Head extends ByteArrayOutputStream {
    final DataOutputStream data = new DataOutputStream(this);

    Head() {
      super(64);
    }

    byte[] buffer() {
      return buf;
    }
  }

  // ------------------------------------------------------------------ failures

  /** Writes a description of {@code t} and, when it serializes, {@code t} itself. */
  static void writeFailure(DataOutputStream out, Throwable t) throws IOException {
    describe(out, t, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    byte[] self;
    try {
      self = encodeOne(t);
    } catch (IOException | RuntimeException e) {
      self = new byte[0];
    }
    out.writeInt(self.length);
    out.write(self);
  }

  private static void describe(DataOutputStream out, Throwable t, Set<Throwable> seen, int depth)
      throws IOException {
    seen.add(t);
    writeString(out, t.getClass().getName());
    writeString(out, t.getMessage());
    StackTraceElement[] stack = t.getStackTrace();
    out.writeInt(stack.length);
    for (StackTraceElement e : stack) {
      writeString(out, e.getClassName());
      writeString(out, e.getMethodName());
      writeString(out, e.getFileName());
      out.writeInt(e.getLineNumber());
    }
    Throwable cause = t.getCause();
    boolean more = cause != null && !seen.contains(cause) && depth < MAX_CAUSES;
    out.writeBoolean(more);
    if (more) {
      describe(out, cause, seen, depth + 1);
    }
  }

  /** Reads what {@link #writeFailure} wrote and rebuilds the exception. */
  static Throwable readFailure(DataInputStream in, ClassLoader loader, ObjectInputFilter filter)
      throws IOException {
    Throwable described = readDescription(in);
    int length = in.readInt();
    byte[] self = new byte[length];
    in.readFully(self);
    if (length > 0) {
      try (ObjectInputStream objects = objectInput(self, 0, length, loader, filter)) {
        Object o = objects.readObject();
        if (o instanceof Throwable) {
          return (Throwable) o;
        }
      } catch (IOException | ClassNotFoundException | RuntimeException e) {
        // the class is unknown here, or the filter refused it: the description stands in
        described.addSuppressed(e);
      }
    }
    return described;
  }

  private static Throwable readDescription(DataInputStream in) throws IOException {
    String className = readString(in);
    String message = readString(in);
    int n = in.readInt();
    StackTraceElement[] stack = new StackTraceElement[n];
    for (int i = 0; i < n; i++) {
      String declaring = readString(in);
      String method = readString(in);
      String file = readString(in);
      int line = in.readInt();
      stack[i] = new StackTraceElement(declaring, method, file, line);
    }
    Throwable cause = in.readBoolean() ? readDescription(in) : null;
    dev.pool4j.RemoteTaskException e =
        new dev.pool4j.RemoteTaskException(className, message, cause);
    e.setStackTrace(stack);
    return e;
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }

  static byte[] unhex(String s) {
    byte[] bytes = new byte[s.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }
}
