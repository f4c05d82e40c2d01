package dev.pool4j.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import dev.pool4j.spi.PoolBackend;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What travels to a member through the executor service: one chunk message (the call's task and the
 * chunk's inputs, serialized as for worker processes), sealed with the cluster secret ({@link
 * Seal}), and the id it was sealed for. The member opens it with its own secret and, only if the
 * seal verifies, runs it with {@link PoolBackend#runMessage(byte[], String)} on one of its executor
 * threads (its local workers).
 *
 * <pre>
 * reply  0 | nanos (8) | outcome sealed as a response to the id, with nanos as its context
 *        1 | why the member refused, UTF-8 (its seal failed, or it has no secret)
 *        2 | the name of a class the member lacks, UTF-8, sealed as a response to the id with
 *            context -1 (no member time is negative: an outcome cannot pass for it)
 * </pre>
 *
 * <p>A member that cannot read a chunk's task or inputs because a class is missing from its class
 * path answers {@code 2}, not an outcome: the pool then runs the chunk on another member (see
 * {@link HazelcastBackend}'s notes on serialization) and fails the call only when no member can run
 * it. The member learns which class was missing through a context class loader of its own ({@link
 * MissingClasses}) around {@link PoolBackend#runMessage}.
 *
 * <p>{@code nanos} is the time the member spent on the chunk (the busy time of the insights, and
 * the hint for how deep to queue): in clear, but sealed into the response's authenticated data.
 *
 * <p>Hazelcast sees only this class and byte arrays ({@link DataSerializable}: no Java
 * serialization at Hazelcast's layer); the task's own classes are read by pool4j on the member,
 * after the seal verified, so a missing class is an outcome that names it and the member, not a
 * Hazelcast error.
 *
 * <p>Public only because Hazelcast instantiates it by reflection on the member; not API.
 */
public final class ChunkTask implements Callable<byte[]>, DataSerializable, HazelcastInstanceAware {

  static final byte SEALED = 0;
  static final byte REFUSED = 1;
  static final byte MISSING = 2;

  /** The context a {@link #MISSING} reply is sealed with. */
  static final long MISSING_CONTEXT = -1;

  /** The kind byte and the nanos. */
  static final int REPLY_HEAD = 9;

  /** How much of a member's refusal the pool reads. */
  static final int MAX_REFUSAL_CHARS = 500;

  private static final System.Logger LOG = System.getLogger("dev.pool4j.hazelcast");

  private byte[] id;
  private byte[] sealed;
  private transient HazelcastInstance member;

  /** For Hazelcast's deserialization. */
  public ChunkTask() {}

  ChunkTask(byte[] id, byte[] sealed) {
    this.id = id;
    this.sealed = sealed;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.member = instance;
  }

  /** The sealed bytes, as they travel. */
  byte[] sealed() {
    return sealed;
  }

  @Override
  public byte[] call() {
    if (member == null) {
      return refusal("a member with no pool4j cluster secret refused the chunk");
    }
    String where =
        "member "
            + Members.name(member.getCluster().getLocalMember())
            + " of cluster "
            + member.getConfig().getClusterName();
    Object runner = member.getUserContext().get(Members.RUNNER);
    if (!(runner instanceof Runner)) {
      return refusal(
          where + " has no pool4j cluster secret (it was not started by pool4j) and refused it");
    }
    return ((Runner) runner).answer(id, sealed, where);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByteArray(id);
    out.writeByteArray(sealed);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    id = in.readByteArray();
    sealed = in.readByteArray();
  }

  /** A refusal reply. */
  static byte[] refusal(String why) {
    byte[] text = why.getBytes(StandardCharsets.UTF_8);
    byte[] reply = new byte[1 + text.length];
    reply[0] = REFUSED;
    System.arraycopy(text, 0, reply, 1, text.length);
    return reply;
  }

  /**
   * A reply opened by the pool: the member's time and the outcome bytes; or, when {@code
   * missingClass} is not null, only the class the member lacks to read the chunk.
   */
  record Reply(long nanos, byte[] outcome, String missingClass) {}

  /**
   * Opens a member's reply to the chunk sent with {@code id}; reads nothing of the outcome unless
   * its seal verifies.
   *
   * @param reply what the member answered: anything, from a member that is not trusted
   * @throws Seal.Refused if the member refused the chunk, or its reply is not sealed for it
   */
  static Reply open(Seal seal, byte[] id, Object reply) throws Seal.Refused {
    if (!(reply instanceof byte[])) {
      throw new Seal.Refused(
          "its reply is not a pool4j reply but " + (reply == null ? "null" : reply.getClass()));
    }
    byte[] bytes = (byte[]) reply;
    if (bytes.length > 0 && bytes[0] == REFUSED) {
      throw new Seal.Refused("it refused the chunk, saying: " + printable(bytes, 1));
    }
    if (bytes.length > 0 && bytes[0] == MISSING) {
      byte[] name =
          seal.open(Seal.Direction.RESPONSE, id, MISSING_CONTEXT, bytes, 1, bytes.length - 1);
      return new Reply(0, null, printable(name, 0));
    }
    if (bytes.length < REPLY_HEAD || bytes[0] != SEALED) {
      throw new Seal.Refused("its reply is not a sealed pool4j reply");
    }
    long nanos = 0;
    for (int i = 1; i < REPLY_HEAD; i++) {
      nanos = (nanos << 8) | (bytes[i] & 0xFF);
    }
    if (nanos < 0) {
      // no member time is negative; -1 is the context of a missing-class reply, which must not
      // pass for an outcome
      throw new Seal.Refused("its reply is not a sealed pool4j reply (a negative time)");
    }
    byte[] outcome =
        seal.open(Seal.Direction.RESPONSE, id, nanos, bytes, REPLY_HEAD, bytes.length - REPLY_HEAD);
    return new Reply(nanos, outcome, null);
  }

  /**
   * A member's text (from {@code offset}) fit for a log line: bounded, without control characters.
   */
  private static String printable(byte[] bytes, int offset) {
    String text =
        new String(
            bytes,
            offset,
            Math.min(bytes.length - offset, MAX_REFUSAL_CHARS * 4),
            StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder();
    text.codePoints()
        .limit(MAX_REFUSAL_CHARS)
        .forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }

  /**
   * What answers chunk tasks on a member: kept in the member's user context under {@link
   * Members#RUNNER} by pool4j's members, so that each member (several may share a JVM) answers with
   * its own secret.
   */
  interface Runner {
    /** The reply to a chunk sealed for {@code id}; never throws. */
    byte[] answer(byte[] id, byte[] sealed, String where);
  }

  /** The runner of pool4j's members: opens, runs, seals the outcome. */
  static final class SealedRunner implements Runner {

    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Seal seal;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    SealedRunner(Seal seal) {
      this.seal = seal;
    }

    @Override
    public byte[] answer(byte[] id, byte[] sealed, String where) {
      byte[] message;
      try {
        if (id == null || id.length != Seal.ID_BYTES || sealed == null) {
          throw new Seal.Refused("it is not a sealed pool4j chunk");
        }
        message = seal.open(Seal.Direction.REQUEST, id, 0, sealed, 0, sealed.length);
      } catch (Seal.Refused e) {
        String why =
            where
                + " refused a chunk: "
                + e.getMessage()
                + ". Give the pools and the members the same secret: "
                + ClusterSecret.HOW;
        long last = lastWarning.get();
        long now = System.nanoTime();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
          LOG.log(Level.WARNING, why + " (said at most once a minute)");
        }
        return refusal(why);
      }
      Thread thread = Thread.currentThread();
      ClassLoader context = thread.getContextClassLoader();
      MissingClasses recorder = recorder(context);
      String missing;
      long start = System.nanoTime();
      byte[] outcome;
      thread.setContextClassLoader(recorder);
      try {
        outcome = PoolBackend.runMessage(message, where);
      } finally {
        thread.setContextClassLoader(context);
        missing = recorder.take();
      }
      long nanos = System.nanoTime() - start;
      if (missing != null && failed(outcome)) {
        // the chunk failed because this member lacks a class: say which, and let the pool run
        // it elsewhere, rather than fail the call with an outcome any other member could fix
        byte[] name = missing.getBytes(StandardCharsets.UTF_8);
        byte[] reply = seal.seal(Seal.Direction.RESPONSE, id, MISSING_CONTEXT, name, 1);
        reply[0] = MISSING;
        return reply;
      }
      byte[] reply = seal.seal(Seal.Direction.RESPONSE, id, nanos, outcome, REPLY_HEAD);
      reply[0] = SEALED;
      for (int i = 0; i < 8; i++) {
        reply[1 + i] = (byte) (nanos >>> (56 - 8 * i));
      }
      return reply;
    }

    /** The recorder around {@code context}, made once while the context stays the same. */
    private MissingClasses recorder(ClassLoader context) {
      ClassLoader wrapped = context != null ? context : PoolBackend.class.getClassLoader();
      MissingClasses r = recorder;
      if (r == null || r.wrapped != wrapped) {
        r = new MissingClasses(wrapped);
        recorder = r;
      }
      return r;
    }

    /** Last made by {@link #recorder}; a race makes one more, which costs nothing. */
    private volatile MissingClasses recorder;
  }

  /**
   * Whether an outcome of {@link PoolBackend#runMessage} reports a failure: its layout starts with
   * the count of valid results (4 bytes) and a failed flag (1 byte).
   */
  static boolean failed(byte[] outcome) {
    return outcome.length >= 5 && outcome[4] != 0;
  }

  /**
   * The context class loader a member reads a chunk with: it delegates every class to the loader it
   * wraps (the thread's own context class loader), and notes, per thread, the first class that
   * loader could not find while Java serialization was reading (the task or an input). A class that
   * the task itself looks up and does without is not noted, nor is one of a chunk whose outcome is
   * not a failure ({@link #failed}).
   *
   * <p>Cost: one more delegation the first time each class is resolved through it (the JVM then
   * remembers it as an initiating loader); a stack walk only for a class not found.
   */
  static final class MissingClasses extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    private static final java.util.Set<String> PRIMITIVES =
        java.util.Set.of(
            "boolean", "byte", "char", "short", "int", "long", "float", "double", "void");

    final ClassLoader wrapped;

    /** The first class not found on this thread since the last {@link #take}. */
    private final ThreadLocal<String> first = new ThreadLocal<>();

    MissingClasses(ClassLoader wrapped) {
      super("pool4j-chunk", wrapped);
      this.wrapped = wrapped;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      try {
        return super.loadClass(name, resolve);
      } catch (ClassNotFoundException e) {
        // a primitive's name is resolved by serialization's own fallback, never missing
        if (first.get() == null && !PRIMITIVES.contains(name) && readingObjects()) {
          first.set(name);
        }
        throw e;
      }
    }

    /** The first class not found since the last call, or null; forgets it. */
    String take() {
      String name = first.get();
      first.remove();
      return name;
    }

    private static boolean readingObjects() {
      return StackWalker.getInstance()
          .walk(
              frames -> frames.anyMatch(f -> f.getClassName().equals("java.io.ObjectInputStream")));
    }
  }
}
