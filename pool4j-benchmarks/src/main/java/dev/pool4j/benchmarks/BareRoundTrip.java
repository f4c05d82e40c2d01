package dev.pool4j.benchmarks;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The floor a cluster pool's {@code imap} with chunk size 1 is measured against (issue 17): a plain
 * Hazelcast client that submits a trivial {@link Callable} ({@link Echo}, which returns its {@code
 * Integer} input) to a member's {@link IExecutorService} and waits for its answer, item by item,
 * with at most {@code inFlight} submitted and not yet taken, taken in input order (as {@code imap}
 * hands results over), the members in turn. No pool4j code runs on either side: no seal, no chunk
 * message, no Java serialization of a task, no dispatcher or results thread.
 *
 * <p>It uses the executor service the members' pool work uses ({@code pool4j}, as many threads as
 * the member has workers), so that a member runs the round trip's tasks on the same threads as a
 * pool's chunks. The members must have this class on their class path ({@link LoopbackCluster}'s
 * have: the benchmark JVM's class path); {@link Echo} is a {@link DataSerializable}, which the
 * members' refusal of Hazelcast's Java deserialization lets through, as it lets pool4j's own {@code
 * ChunkTask} through.
 */
public final class BareRoundTrip implements AutoCloseable {

  /** The executor service of the members' pool work (pool4j-hazelcast's {@code Members}). */
  static final String EXECUTOR = "pool4j";

  private final HazelcastInstance client;
  private final IExecutorService executor;
  private final Member[] members;

  /**
   * Connects a client to the cluster and waits, at most 60 s, until it sees {@code members}
   * members.
   */
  public BareRoundTrip(String clusterName, String[] addresses, int members) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(clusterName);
    config.getNetworkConfig().setAddresses(new ArrayList<>(Arrays.asList(addresses)));
    config
        .getConnectionStrategyConfig()
        .getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(60_000);
    client = HazelcastClient.newHazelcastClient(config);
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (client.getCluster().getMembers().size() < members) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the client saw "
                  + client.getCluster().getMembers().size()
                  + " of "
                  + members
                  + " members after 60 s");
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      client.shutdown();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
    List<Member> list = new ArrayList<>(client.getCluster().getMembers());
    list.sort(Comparator.comparing(m -> m.getUuid().toString()));
    this.members = list.toArray(new Member[0]);
    this.executor = client.getExecutorService(EXECUTOR);
  }

  /**
   * Runs {@code items} round trips, item {@code i} on member {@code i mod members}, with at most
   * {@code inFlight} submitted and not yet taken, each taken in order.
   *
   * @return the sum of the answers, {@code 0 + 1 + ... + items - 1}
   */
  public long run(int items, int inFlight) throws InterruptedException, ExecutionException {
    if (inFlight < 1) {
      throw new IllegalArgumentException("inFlight must be >= 1, was " + inFlight);
    }
    @SuppressWarnings("unchecked")
    Future<Integer>[] window = new Future[inFlight];
    long sum = 0;
    for (int i = 0; i < items; i++) {
      int slot = i % inFlight;
      if (i >= inFlight) {
        sum += window[slot].get();
      }
      window[slot] = executor.submitToMember(new Echo(i), members[i % members.length]);
    }
    for (int i = Math.max(0, items - inFlight); i < items; i++) {
      sum += window[i % inFlight].get();
    }
    return sum;
  }

  @Override
  public void close() {
    client.shutdown();
  }

  /**
   * The trivial task: returns its input. Public with a public constructor because Hazelcast
   * instantiates it by reflection on the member.
   */
  public static final class Echo implements Callable<Integer>, DataSerializable {
    private int value;

    /** For Hazelcast's deserialization. */
    public Echo() {}

    Echo(int value) {
      this.value = value;
    }

    @Override
    public Integer call() {
      return value;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeInt(value);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      value = in.readInt();
    }
  }
}
