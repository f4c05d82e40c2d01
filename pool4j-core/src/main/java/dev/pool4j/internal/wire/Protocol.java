package dev.pool4j.internal.wire;

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
 * <p>One connection per worker process ({@code internal.process.Wire}): a Unix-domain socket in a
 * directory only the parent's account may enter, or loopback TCP where the platform has no such
 * sockets ({@code internal.process.Listener}). The child connects and first sends the 16-byte token
 * it got in its environment (never on its command line, which other users can read), so nothing
 * else on the machine can speak for it; the parent then stops listening. The child's stdout and
 * stderr stay plain pipes that the parent forwards line by line: output of the task, of native code
 * or of the JVM itself ({@code -Xlog}, out-of-memory messages) can never corrupt a frame. Its stdin
 * stays open and silent: end-of-file there means the parent died.
 *
 * <h2>Frames</h2>
 *
 * <p>Every frame is {@code int length} (of what follows), {@code byte type}, then the body. The
 * length is at most {@link #MAX_FRAME} (about 2 GiB): what would take more fails its item's index
 * with its size and the limit, and a reader refuses a longer length before allocating for it.
 *
 * <pre>
 * parent -> child
 *   INIT    [initializer]                  first frame of every connection; empty: none
 *   TASK    long callId, task              once per call and worker process, before its chunks
 *   FORGET  long callId                    drop a cached task (the worker keeps at most 32)
 *   CHUNK   long callId, byte mode, int count, values     mode: BATCH, STREAM or BATCH_HOLD
 * child -> parent
 *   READY   bool ok, [failure]             after the initializer ran
 *   RESULTS int valid, bool failed, [failure], values      batch mode: one per chunk
 *   ITEM    bool ok, ok ? values (one) : failure           stream mode: one per item
 * </pre>
 *
 * <p>A task and an initializer are one Java object stream. A run of values ({@link #encode}) is a
 * format byte, then either the {@link Values plain} encoding (boxed primitives, strings, byte
 * arrays: no serialization at all) or one Java object stream; a fresh stream per frame, so a value
 * that fails to serialize never corrupts the connection and no handle table grows.
 *
 * <p>In stream mode (a task timeout is set, or the chunk runs again after its worker died) the
 * child reports each item as soon as it is done, so the parent knows which item runs now (its
 * deadline starts when the previous one is reported) and which item a dying worker was running.
 *
 * <p>A failure travels as a {@link #writeFailure description} (class name, message, stack, causes)
 * plus the exception's own serialized form when it has one; the parent rebuilds the original
 * exception, or a {@code RemoteTaskException} carrying the description when it cannot.
 */
public final class Protocol {

  public static final byte TASK = 1;
  public static final byte FORGET = 2;
  public static final byte CHUNK = 3;
  public static final byte INIT = 4;

  public static final byte READY = 10;
  public static final byte RESULTS = 11;
  public static final byte ITEM = 12;

  /**
   * A frame of no body: the worker runs a {@link #BATCH_HOLD} chunk that has run for a while, every
   * result before it is written, and this chunk's results will not be held back. The chunk at the
   * head of the pool's queue is so known to be the one running.
   */
  public static final byte RUNNING = 13;

  /** A chunk's mode: its results come in one RESULTS frame. */
  public static final byte BATCH = 0;

  /** A chunk's mode: its results come item by item, an ITEM frame each. */
  public static final byte STREAM = 1;

  /**
   * A chunk's mode: as {@link #BATCH}, and the worker may hold its results back while it runs the
   * next chunk of this mode, to send them together, for at most a millisecond; the pool then cannot
   * tell which of them a dying worker ran (unless a {@link #RUNNING} frame said), and runs each of
   * them again, isolated (so only where chunks may run again after a death).
   */
  public static final byte BATCH_HOLD = 2;

  public static final int TOKEN_BYTES = 16;

  /** Environment variable that carries the token to the child, in hex. */
  public static final String TOKEN_ENV = "POOL4J_WORKER_TOKEN";

  /** Environment variable that carries the deserialization filter pattern, if any. */
  public static final String FILTER_ENV = "POOL4J_WORKER_FILTER";

  /** Causes and suppressed exceptions followed at most this deep. */
  private static final int MAX_CAUSES = 16;

  private Protocol() {}

  // ------------------------------------------------------------------ serialization

  /**
   * The outcome of serializing a run of values: {@code bytes[offset..offset + length)}, how many
   * values made it, and why the next did not. The bytes may be a {@link Scratch}'s, valid until it
   * is reused; then {@link #writeFrame} may write the frame's head into the {@link Scratch#ROOM}
   * before them.
   */
  public static final class Encoded {
    public final byte[] bytes;
    public final int offset;
    public final int length;
    public final int count;

    /** Why value {@code count} could not be written, or null when all were. */
    public final Exception error;

    public Encoded(byte[] bytes, int offset, int length, int count, Exception error) {
      this.bytes = bytes;
      this.offset = offset;
      this.length = length;
      this.count = count;
      this.error = error;
    }
  }

  /**
   * A byte array that one thread encodes into again and again, grown as needed: one chunk's
   * encoding less to allocate (and to collect) per chunk. A grown array past {@link #KEEP} bytes is
   * not kept, so that one huge chunk does not hold its memory for the life of the worker.
   *
   * <p>Encodings begin at {@link #ROOM}, so that the head of the frame that carries them fits
   * before them, and the frame goes out in one write: one system call and one wake-up of the reader
   * a frame, not two.
   */
  public static final class Scratch {
    private static final int KEEP = 4 << 20;

    /** Bytes left free before an encoding: room for a frame's head. */
    public static final int ROOM = 32;

    /** The most bytes an encoding may take ({@link #maxValueBytes}). */
    public final int limit;

    private byte[] bytes;

    /** What {@link #atLeast} returned last. */
    private byte[] last;

    /** A scratch for encodings up to the limit set for this JVM ({@link #maxValueBytes()}). */
    public Scratch() {
      this(maxValueBytes());
    }

    /** A scratch for encodings of at most {@code limit} bytes. */
    public Scratch(int limit) {
      this(limit, 1 << 12);
    }

    private Scratch(int limit, int initial) {
      this.limit = limit;
      this.bytes = new byte[initial];
      this.last = bytes;
    }

    /**
     * A scratch for one encoding, up to the limit set for this JVM: it allocates only the array
     * that encoding needs, not the 4 KB a reused scratch starts with (zeroing those for every chunk
     * of one item was the top frame of a cluster pool's dispatcher with chunk size 1).
     */
    public static Scratch forOne() {
      return new Scratch(maxValueBytes(), 0);
    }

    /** Whether an encoding of {@code n} bytes is within the {@link #limit}. */
    public boolean fits(long n) {
      return n >= 0 && n <= limit;
    }

    /**
     * An array of at least {@link #ROOM} + {@code n} bytes; its content is undefined.
     *
     * @throws IllegalArgumentException if {@code n} is past the {@link #limit} (nothing is
     *     allocated): callers check {@link #fits} first, so this is a bug, not bad input
     */
    public byte[] atLeast(int n) {
      if (!fits(n)) {
        throw new IllegalArgumentException(
            "an encoding of " + n + " bytes is past the limit of " + limit + " bytes of a frame");
      }
      int need = n + ROOM; // no overflow: limit + ROOM <= MAX_FRAME + ROOM < Integer.MAX_VALUE
      if (bytes.length >= need) {
        last = bytes;
      } else {
        long grown = Math.min(KEEP, bytes.length * 2L);
        last = new byte[(int) Math.max(need, grown)];
        if (last.length <= KEEP) {
          bytes = last;
        }
      }
      return last;
    }

    /** The array {@link #atLeast} returned last. */
    public byte[] last() {
      return last;
    }
  }

  // ------------------------------------------------------------------ size limits

  /**
   * The longest frame (its type and body, as its length field counts them) either side sends or
   * accepts: the longest byte array a JVM allocates, less the {@link Scratch#ROOM} an encoding
   * leaves before itself. About 2 GiB.
   */
  public static final int MAX_FRAME = Integer.MAX_VALUE - 8 - Scratch.ROOM;

  /**
   * The most bytes a failure takes in a frame ({@link #writeFailure}): its description and its
   * serialized form together. A serialized form that would take more is left out, and the parent
   * rebuilds the failure from its description.
   */
  public static final int FAILURE_BUDGET = 1 << 20;

  /** What a frame keeps free for its head beside its values: a RESULTS head with a failure. */
  public static final int HEAD_RESERVE = FAILURE_BUDGET + 64;

  /**
   * A system property that lowers {@link #MAX_FRAME} in this JVM, in bytes (for tests, which cannot
   * make 2 GiB results); the parent passes it on to its workers. A value outside {@code
   * [HEAD_RESERVE + 1024, MAX_FRAME]} or not a number is ignored.
   */
  public static final String MAX_FRAME_PROPERTY = "dev.pool4j.maxFrameBytes";

  /**
   * The longest frame in this JVM now: {@link #MAX_FRAME}, or less by {@link #MAX_FRAME_PROPERTY}.
   */
  public static int maxFrameBytes() {
    String set = System.getProperty(MAX_FRAME_PROPERTY);
    if (set != null) {
      try {
        long v = Long.parseLong(set.trim());
        if (v >= HEAD_RESERVE + 1024 && v <= MAX_FRAME) {
          return (int) v;
        }
      } catch (NumberFormatException e) {
        // ignored, as documented
      }
    }
    return MAX_FRAME;
  }

  /** The most bytes a run of values, a task or an initializer may take encoded, in this JVM now. */
  public static int maxValueBytes() {
    return maxFrameBytes() - HEAD_RESERVE;
  }

  /**
   * Checks the length a frame's head announces before anything is allocated for it.
   *
   * @param from who sent it, for the message
   * @param length the length read
   * @param limit the longest frame accepted
   * @throws IOException if it is not positive or past the limit (the connection is then out of
   *     step, or the sender does not keep to the protocol)
   */
  public static void checkFrameLength(String from, int length, int limit) throws IOException {
    if (length < 1) {
      throw new IOException(from + " sent a frame of length " + length);
    }
    if (length > limit) {
      throw new FrameRefused(
          from
              + " sent a frame of "
              + length
              + " bytes, past the limit of "
              + limit
              + " bytes: refused before reading it");
    }
  }

  /** A frame whose length is past the limit: refused before it is read. */
  public static final class FrameRefused extends IOException {
    private static final long serialVersionUID = 1L;

    public FrameRefused(String message) {
      super(message);
    }
  }

  /**
   * Thrown by a {@link Bounded} stream at its limit: what was being encoded does not fit in a
   * frame. Never leaves this package: {@link #cannotSend} turns it into a plain exception.
   */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    public final long limit;

    public TooLarge(long limit) {
      super("past the limit of " + limit + " bytes of a frame", null);
      this.limit = limit;
    }
  }

  /**
   * A byte sink that holds at most {@code limit} bytes and throws {@link TooLarge} at a write past
   * it, so that encoding something huge fails with a clear message before it takes the memory (a
   * {@link ByteArrayOutputStream} grows until the JVM cannot make its array).
   */
  public static final class Bounded extends java.io.OutputStream {
    private final int limit;
    private byte[] buf;
    private int count;

    public Bounded(int initial, int limit) {
      this.limit = limit;
      this.buf = new byte[Math.min(initial, limit)];
    }

    @Override
    public void write(int b) throws IOException {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void ensure(int more) throws IOException {
      long need = (long) count + more;
      if (need > limit) {
        throw new TooLarge(limit);
      }
      if (need > buf.length) {
        long grown = Math.max(need, Math.min(limit, buf.length * 2L));
        buf = java.util.Arrays.copyOf(buf, (int) grown);
      }
    }

    public int size() {
      return count;
    }

    /** Forgets what was written. */
    public void reset() {
      count = 0;
    }

    public byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, count);
    }
  }

  /** Counts the bytes written to it, keeping none: for the size of something too large. */
  private static final class Counting extends java.io.OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  /**
   * How many bytes {@code value} takes serialized, counted without keeping them; -1 when it cannot
   * be serialized. Slow for a large value: for messages only.
   */
  public static long serializedSize(Object value) {
    Counting counting = new Counting();
    try (ObjectOutputStream out = new ObjectOutputStream(counting)) {
      out.writeObject(value);
    } catch (Throwable t) {
      return -1;
    }
    return counting.count;
  }

  /** First byte of a run of values: {@link Values plain} encoding. */
  public static final byte PLAIN = 1;

  /** First byte of a run of values: one Java object stream. */
  public static final byte JAVA = 2;

  /**
   * Encodes {@code values[0..n)}: in the {@link Values plain} encoding when {@code plain} is
   * allowed and every value is plain, else into one object stream, stopping before the first value
   * that cannot be serialized.
   */
  public static Encoded encode(Object[] values, int n, boolean plain, Scratch scratch) {
    if (plain) {
      int length = Values.encode(PLAIN, values, n, scratch);
      if (length >= 0) {
        return new Encoded(scratch.last(), Scratch.ROOM, length, n, null);
      }
    }
    Bounded buffer = new Bounded(256, scratch.limit);
    int i = 0;
    try {
      buffer.write(JAVA);
      try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
        for (; i < n; i++) {
          out.writeObject(values[i]);
        }
        out.flush();
      }
      byte[] bytes = buffer.toByteArray();
      return new Encoded(bytes, 0, bytes.length, n, null);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // after each value the stream holds all its bytes: the value that crossed the limit is
      // value i (a RuntimeException, or a stack overflow of a deep graph, is the value's own)
      Exception why = e instanceof Exception ? (Exception) e : new IllegalStateException(e);
      int good = Math.max(0, Math.min(i, n - 1));
      if (e instanceof TooLarge) {
        why = tooLarge(values[good], buffer.size(), scratch.limit);
      }
      // the stream now holds a partial object: write the values before it again, cleanly
      buffer.reset();
      try {
        buffer.write(JAVA);
        try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
          for (int j = 0; j < good; j++) {
            out.writeObject(values[j]);
          }
          out.flush();
        }
      } catch (IOException | RuntimeException | StackOverflowError again) {
        why.addSuppressed(again);
        return new Encoded(new byte[0], 0, 0, 0, why);
      }
      byte[] bytes = buffer.toByteArray();
      return new Encoded(bytes, 0, bytes.length, good, why);
    }
  }

  /**
   * Why a value does not fit in a frame: its size, when it alone is past the limit, else the bytes
   * of the values before it in the same frame.
   */
  private static ResultTooLarge tooLarge(Object value, long before, int limit) {
    long size = serializedSize(value);
    return new ResultTooLarge(size, size > limit ? -1 : before, limit);
  }

  /**
   * A value past the limit of a frame: what {@link #cannotSend} words for the user. Stays in this
   * package.
   */
  public static final class ResultTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    /** Its serialized size in bytes, or -1 if unknown. */
    public final long size;

    /** The bytes of the values before it in its frame, or -1 when it alone is past the limit. */
    public final long before;

    public final int limit;

    public ResultTooLarge(long size, long before, int limit) {
      super("a value of " + size + " bytes past the limit of " + limit, null);
      this.size = size;
      this.before = before;
      this.limit = limit;
    }
  }

  /** The outcome of decoding a run of values: how many were read, and why the next was not. */
  public static final class Decoded {
    public final int count;
    public final Exception error;

    public Decoded(int count, Exception error) {
      this.count = count;
      this.error = error;
    }
  }

  /**
   * Decodes up to {@code count} values that {@link #encode} wrote to {@code b[off..end)} into
   * {@code into[at..]}.
   */
  public static Decoded decode(
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
  public static byte[] encodeOne(Object value) throws IOException {
    return encodeOne(value, maxValueBytes());
  }

  /**
   * Serializes one value into at most {@code limit} bytes; throws what serialization throws, and
   * {@link ResultTooLarge} past the limit.
   */
  public static byte[] encodeOne(Object value, int limit) throws IOException {
    Bounded buffer = new Bounded(256, limit);
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(value);
    } catch (TooLarge e) {
      throw tooLarge(value, 0, limit);
    }
    return buffer.toByteArray();
  }

  /** An object stream that resolves classes with the given loader first, under a filter. */
  public static ObjectInputStream objectInput(
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
  public static ObjectInputFilter filter(String pattern) {
    return pattern == null || pattern.isEmpty()
        ? null
        : ObjectInputFilter.Config.createFilter(pattern);
  }

  /**
   * A clear exception for a value that cannot be sent: one that cannot be serialized, or one past
   * the size limit of a frame ({@link ResultTooLarge}).
   */
  public static Exception notSerializable(String what, Object value, Exception cause) {
    String type = value == null ? "null" : value.getClass().getName();
    if (cause instanceof ResultTooLarge) {
      ResultTooLarge big = (ResultTooLarge) cause;
      String size =
          big.size < 0 ? "more bytes than it can count" : String.format("%,d bytes", big.size);
      String message =
          big.before < 0
              ? what
                  + " (of class "
                  + type
                  + ") serializes to "
                  + size
                  + ", past the limit of "
                  + String.format("%,d", big.limit)
                  + " bytes that the pool and its worker processes send in one piece; return"
                  + " (or pass) it in smaller parts, or write it to a file and pass the file's path"
              : what
                  + " (of class "
                  + type
                  + ", "
                  + size
                  + " serialized) does not fit beside the "
                  + String.format("%,d", big.before)
                  + " bytes of the values before it in the same chunk: together they are past"
                  + " the limit of "
                  + String.format("%,d", big.limit)
                  + " bytes that the pool and its worker processes send in one piece; give the"
                  + " call a smaller chunksize";
      // a plain JDK exception: the parent rebuilds it under any filter that lets java.base in
      return new IllegalStateException(message);
    }
    String poolPart =
        cause instanceof NotSerializableException ? poolPart(cause.getMessage()) : null;
    if (poolPart != null) {
      NotSerializableException e =
          new NotSerializableException(
              what
                  + " (of class "
                  + type
                  + ") holds "
                  + poolPart
                  + ": a task that runs on a worker JVM cannot use its pool (the pool lives in"
                  + " this JVM, out of reach of a worker process or a cluster member);"
                  + " make the nested call on the caller's side (run the inner call here, before or"
                  + " after the outer one, and pass its results on), or use a thread pool for the"
                  + " outer level (Pool.builder().threads()), whose tasks may call their pool");
      e.initCause(cause);
      return e;
    }
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

  /**
   * What of the pool a class that failed to serialize is ({@link NotSerializableException}'s
   * message is its name), or null when it is no part of the pool: a task that holds the pool, or a
   * call's results, would make a call of the pool from a worker JVM.
   */
  private static String poolPart(String className) {
    if ("dev.pool4j.Pool".equals(className)) {
      return "the pool (dev.pool4j.Pool)";
    }
    if (className != null && className.startsWith("dev.pool4j.internal.scheduler.")) {
      return "a call of the pool (" + className + ")";
    }
    return null;
  }

  // ------------------------------------------------------------------ frames

  /** Writes a frame whose body is {@code head} then {@code tail}. */
  public static void writeFrame(
      DataOutputStream out, byte type, byte[] head, int headLength, byte[] tail)
      throws IOException {
    writeFrame(out, type, head, headLength, tail, 0, tail == null ? 0 : tail.length);
  }

  /**
   * Writes a frame whose body is {@code head[0..headLength)} then {@code tail[tailOffset..
   * tailOffset + tailLength)}. When the frame's head fits before the tail (a {@link Scratch}'s
   * {@link Scratch#ROOM}), it is written there, and the frame goes out in one piece.
   */
  public static void writeFrame(
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
      Bytes.putInt(tail, p, 1 + headLength + tailLength);
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
  public static final class Head extends ByteArrayOutputStream {
    public final DataOutputStream data = new DataOutputStream(this);

    public Head() {
      super(64);
    }

    public byte[] buffer() {
      return buf;
    }
  }

  // ------------------------------------------------------------------ failures

  /** A description keeps at most this many characters of each string (a message, a name). */
  private static final int MAX_STRING_CHARS = 16 * 1024;

  /** A description keeps stack frames while it is shorter than this. */
  private static final int DESCRIPTION_BUDGET = FAILURE_BUDGET / 4;

  /**
   * Writes a description of {@code t} and, when it serializes within the {@link #FAILURE_BUDGET}
   * and behaves, {@code t} itself; at most {@link #FAILURE_BUDGET} bytes in all.
   *
   * <p>Never throws but what {@code out} throws: a failure is the task's, and its exception's own
   * methods ({@code getMessage()}, {@code toString()}, {@code getStackTrace()}, {@code getCause()},
   * serialization) may throw anything. Each is called once, under its own catch; one that throws is
   * described by what it threw ("its getMessage() threw ..."), and an exception with such a method
   * is not sent itself, so that the parent, which would call them again (for the message of its
   * {@code TaskFailedException}), gets a {@code RemoteTaskException} with the description.
   */
  public static void writeFailure(DataOutputStream out, Throwable t) throws IOException {
    int start = out.size();
    boolean behaves = describe(out, t, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    byte[] self = new byte[0];
    if (behaves) {
      int budget = FAILURE_BUDGET - (out.size() - start) - 4;
      try {
        self = encodeOne(t, Math.max(0, budget));
      } catch (Throwable e) {
        // not serializable, too large, or its serialization throws: the description stands in
      }
    }
    out.writeInt(self.length);
    out.write(self);
  }

  /** Describes {@code t} and its causes; returns whether every method called behaved. */
  private static boolean describe(DataOutputStream out, Throwable t, Set<Throwable> seen, int depth)
      throws IOException {
    seen.add(t);
    boolean behaves = true;
    writeString(out, t.getClass().getName());
    String message;
    try {
      message = t.getMessage();
    } catch (Throwable e) {
      message = "(its getMessage() threw " + nameOf(e) + ")";
      behaves = false;
    }
    try {
      // called for the exception it may throw only (Error Prone exempts a local named unused)
      var unused = t.toString();
    } catch (Throwable e) {
      message = (message == null ? "" : message + " ") + "(its toString() threw " + nameOf(e) + ")";
      behaves = false;
    }
    writeString(out, message);
    StackTraceElement[] stack;
    try {
      stack = t.getStackTrace();
    } catch (Throwable e) {
      stack = null;
      behaves = false;
    }
    // frames while the description has room: the budget keeps a huge stack from filling a frame
    int kept = 0;
    long estimate = out.size();
    for (int i = 0; stack != null && i < stack.length; i++) {
      StackTraceElement e = stack[i];
      if (e != null) {
        estimate +=
            16
                + 3L
                    * (length(e.getClassName())
                        + length(e.getMethodName())
                        + length(e.getFileName()));
        if (estimate > DESCRIPTION_BUDGET) {
          break;
        }
        kept = i + 1;
      }
    }
    int frames = 0;
    for (int i = 0; i < kept; i++) {
      frames += stack[i] != null ? 1 : 0;
    }
    out.writeInt(frames);
    for (int i = 0; i < kept; i++) {
      StackTraceElement e = stack[i];
      if (e != null) {
        writeString(out, e.getClassName());
        writeString(out, e.getMethodName());
        writeString(out, e.getFileName());
        out.writeInt(e.getLineNumber());
      }
    }
    Throwable cause;
    try {
      cause = t.getCause();
    } catch (Throwable e) {
      cause = null;
      behaves = false;
    }
    boolean more = cause != null && !seen.contains(cause) && depth < MAX_CAUSES;
    out.writeBoolean(more);
    if (more) {
      behaves &= describe(out, cause, seen, depth + 1);
    }
    return behaves;
  }

  private static int length(String s) {
    return s == null ? 0 : Math.min(s.length(), MAX_STRING_CHARS);
  }

  /** The class of {@code e}, and its message when that can be had: for a failure's description. */
  private static String nameOf(Throwable e) {
    String name = e.getClass().getName();
    try {
      String message = e.getMessage();
      return message == null ? name : name + ": " + cut(message, 200);
    } catch (Throwable again) {
      return name;
    }
  }

  private static String cut(String s, int max) {
    return s.length() <= max
        ? s
        : s.substring(0, max) + "... (" + (s.length() - max) + " more characters)";
  }

  /**
   * Reads what {@link #writeFailure} wrote and rebuilds the exception: the original when it came
   * and this JVM can read it (under {@code filter}), else a {@code RemoteTaskException} from the
   * description. Lengths are checked against the bytes there are before anything is allocated.
   *
   * @throws IOException if the bytes are not a failure as {@link #writeFailure} writes it
   */
  public static Throwable readFailure(
      DataInputStream in, ClassLoader loader, ObjectInputFilter filter) throws IOException {
    Throwable described = readDescription(in, 0);
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("a failure's serialized form of " + length + " bytes is cut short");
    }
    byte[] self = new byte[length];
    in.readFully(self);
    if (length > 0) {
      try (ObjectInputStream objects = objectInput(self, 0, length, loader, filter)) {
        Object o = objects.readObject();
        if (o instanceof Throwable) {
          Throwable original = (Throwable) o;
          // its message makes the TaskFailedException's: one that throws here is not used
          var unused = original.toString();
          return original;
        }
      } catch (Throwable e) {
        // the class is unknown here, the filter refused it, or it misbehaves in this JVM: the
        // description stands in
        described.addSuppressed(e);
      }
    }
    return described;
  }

  private static Throwable readDescription(DataInputStream in, int depth) throws IOException {
    if (depth > MAX_CAUSES) {
      throw new IOException("a failure's causes go deeper than " + MAX_CAUSES);
    }
    String className = readString(in);
    String message = readString(in);
    int n = in.readInt();
    // a frame takes at least 16 bytes
    if (n < 0 || n > in.available() / 16) {
      throw new IOException("a failure's stack of " + n + " frames is cut short");
    }
    StackTraceElement[] stack = new StackTraceElement[n];
    for (int i = 0; i < n; i++) {
      String declaring = readString(in);
      String method = readString(in);
      String file = readString(in);
      int line = in.readInt();
      stack[i] =
          new StackTraceElement(
              declaring == null ? "?" : declaring, method == null ? "?" : method, file, line);
    }
    Throwable cause = in.readBoolean() ? readDescription(in, depth + 1) : null;
    dev.pool4j.RemoteTaskException e =
        new dev.pool4j.RemoteTaskException(className == null ? "?" : className, message, cause);
    e.setStackTrace(stack);
    return e;
  }

  /** Writes {@code s}, or null; at most {@link #MAX_STRING_CHARS} of it, the cut marked. */
  public static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = cut(s, MAX_STRING_CHARS).getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /**
   * Reads what {@link #writeString} wrote; its length is checked against the bytes there are
   * ({@code in} reads a frame held in memory) before anything is allocated.
   */
  public static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > in.available()) {
      throw new IOException("a string of " + n + " bytes is cut short");
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }

  public static byte[] unhex(String s) {
    byte[] bytes = new byte[s.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }
}
