package dev.pool4j.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import dev.pool4j.PoolBackend;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What travels to a member through the executor service: one chunk message (the call's task and
 * the chunk's inputs, serialized as for worker processes), sealed with the cluster secret ({@link
 * Seal}), and the id it was sealed for. The member opens it with its own secret and, only if the
 * seal verifies, runs it with {@link PoolBackend#runMessage(byte[], String)} on one of its
 * executor threads (its local workers).
 *
 * <pre>
 * reply  0 | nanos (8) | outcome sealed as a response to the id, with nanos as its context
 *        1 | why the member refused, UTF-8 (its seal failed, or it has no secret)
 * </pre>
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

  /** A reply opened by the pool: the member's time and the outcome bytes. */
  record Reply(long nanos, byte[] outcome) {}

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
      throw new Seal.Refused("it refused the chunk, saying: " + printable(bytes));
    }
    if (bytes.length < REPLY_HEAD || bytes[0] != SEALED) {
      throw new Seal.Refused("its reply is not a sealed pool4j reply");
    }
    long nanos = 0;
    for (int i = 1; i < REPLY_HEAD; i++) {
      nanos = (nanos << 8) | (bytes[i] & 0xFF);
    }
    byte[] outcome =
        seal.open(
            Seal.Direction.RESPONSE, id, nanos, bytes, REPLY_HEAD, bytes.length - REPLY_HEAD);
    return new Reply(Math.max(0, nanos), outcome);
  }

  /** A member's refusal as text fit for a log line: bounded, without control characters. */
  private static String printable(byte[] refusal) {
    String text =
        new String(
            refusal, 1, Math.min(refusal.length - 1, MAX_REFUSAL_CHARS * 4), StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder();
    text.codePoints()
        .limit(MAX_REFUSAL_CHARS)
        .forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }

  /**
   * What answers chunk tasks on a member: kept in the member's user context under {@link
   * Members#RUNNER} by pool4j's members, so that each member (several may share a JVM) answers
   * with its own secret.
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
      long start = System.nanoTime();
      byte[] outcome = PoolBackend.runMessage(message, where);
      long nanos = System.nanoTime() - start;
      byte[] reply = seal.seal(Seal.Direction.RESPONSE, id, nanos, outcome, REPLY_HEAD);
      reply[0] = SEALED;
      for (int i = 0; i < 8; i++) {
        reply[1 + i] = (byte) (nanos >>> (56 - 8 * i));
      }
      return reply;
    }
  }
}
