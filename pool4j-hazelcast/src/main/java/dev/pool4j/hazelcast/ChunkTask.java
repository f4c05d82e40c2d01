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
 * member's local workers. The reply is the outcome bytes.
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
    return PoolBackend.runMessage(message, where);
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
