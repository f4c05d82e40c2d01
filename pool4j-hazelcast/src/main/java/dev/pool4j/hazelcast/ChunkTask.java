package dev.pool4j.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import dev.pool4j.PoolBackend;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * What travels to a member through the executor service: one chunk message (the call's task and
 * the chunk's inputs, serialized as for worker processes), run by {@link
 * PoolBackend#runMessage(byte[], String)} on one of the member's executor threads, which are the
 * member's local workers. The reply is the time the member spent on it (8 bytes, nanoseconds:
 * the busy time of the insights, and the hint for how deep to queue) and the outcome bytes.
 *
 * <p>Hazelcast sees only this class and two byte arrays ({@link DataSerializable}: no Java
 * serialization of the wrapper); the task's own classes are read by pool4j on the member, so a
 * missing class is an outcome that names it and the member, not a Hazelcast error.
 *
 * <p>Public only because Hazelcast instantiates it by reflection on the member; not API.
 */
public final class ChunkTask implements Callable<byte[]>, DataSerializable, HazelcastInstanceAware {

  private byte[] message;
  private transient HazelcastInstance member;

  /** For Hazelcast's deserialization. */
  public ChunkTask() {}

  ChunkTask(byte[] message) {
    this.message = message;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.member = instance;
  }

  @Override
  public byte[] call() {
    String where =
        member == null
            ? "a cluster member"
            : "member "
                + member.getCluster().getLocalMember().getAddress()
                + " of cluster "
                + member.getConfig().getClusterName();
    long start = System.nanoTime();
    byte[] outcome = PoolBackend.runMessage(message, where);
    long nanos = System.nanoTime() - start;
    byte[] reply = new byte[8 + outcome.length];
    for (int i = 0; i < 8; i++) {
      reply[i] = (byte) (nanos >>> (56 - 8 * i));
    }
    System.arraycopy(outcome, 0, reply, 8, outcome.length);
    return reply;
  }

  /** The time the member spent on the chunk, from a reply. */
  static long nanos(byte[] reply) {
    long nanos = 0;
    for (int i = 0; i < 8; i++) {
      nanos = (nanos << 8) | (reply[i] & 0xFF);
    }
    return nanos;
  }

  /** The outcome, from a reply. */
  static byte[] outcome(byte[] reply) {
    return java.util.Arrays.copyOfRange(reply, 8, reply.length);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByteArray(message);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    message = in.readByteArray();
  }
}
