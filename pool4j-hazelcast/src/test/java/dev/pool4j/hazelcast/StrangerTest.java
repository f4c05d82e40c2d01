package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import dev.pool4j.Insights;
import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Strangers in the cluster: Hazelcast members in this JVM that join a loopback cluster with its
 * name, say they do pool work (the attribute and the executor, with more workers than anyone, so
 * that the pool sends them chunks first), and do not have the pool's secret. One has no secret at
 * all, one captures what it is sent and answers results sealed with a secret of its own, one sends
 * the sealed chunk back as its result. None reads an input, no forged result is accepted, and the
 * call completes on the pool's own member.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StrangerTest {

  /** In every input: the stranger must not find it in what it was sent. */
  static final String MARK = "plaintext-input-XYZZY";

  /** What the strangers were sent, as Hazelcast delivered it: the id and the sealed bytes. */
  final List<byte[]> captured = new CopyOnWriteArrayList<>();

  final Seal strangersSeal = new Seal(TestCluster.randomSecret().getBytes(StandardCharsets.UTF_8));

  /** Captures, then answers "results" sealed with the stranger's own secret. */
  final ChunkTask.Runner forger =
      (id, chunk, where) -> {
        captured.add(chunk);
        return SealTest.reply(strangersSeal, id, 1, "forged".getBytes(StandardCharsets.UTF_8));
      };

  /** Captures, then sends the sealed chunk back as if it were the sealed result. */
  final ChunkTask.Runner reflector =
      (id, chunk, where) -> {
        captured.add(chunk);
        byte[] reply = new byte[ChunkTask.REPLY_HEAD + chunk.length];
        System.arraycopy(chunk, 0, reply, ChunkTask.REPLY_HEAD, chunk.length);
        return reply;
      };

  static HazelcastInstance stranger(
      String cluster, int port, String[] members, ChunkTask.Runner runner) {
    Config config = new Config().setClusterName(cluster);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getJetConfig().setEnabled(false);
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config
        .getNetworkConfig()
        .getJoin()
        .getTcpIpConfig()
        .setEnabled(true)
        .setMembers(List.of(members));
    config.getMemberAttributeConfig().setAttribute(Members.WORKERS_ATTRIBUTE, "8");
    config.addExecutorConfig(new ExecutorConfig(Members.EXECUTOR).setPoolSize(8));
    if (runner != null) {
      config.getUserContext().put(Members.RUNNER, runner);
    }
    return Hazelcast.newHazelcastInstance(config);
  }

  @Test
  void strangersWithoutTheSecretReadNoInputAndTheirResultsAreRefused() throws Exception {
    String cluster = "pool4j-test-" + UUID.randomUUID();
    String[] members = new String[4];
    int[] ports = new int[4];
    for (int i = 0; i < 4; i++) {
      ports[i] = TestCluster.freePort();
      members[i] = "127.0.0.1:" + ports[i];
    }
    List<HazelcastInstance> strangers = new ArrayList<>();
    Pool pool = null;
    try {
      strangers.add(stranger(cluster, ports[1], members, null));
      strangers.add(stranger(cluster, ports[2], members, forger));
      strangers.add(stranger(cluster, ports[3], members, reflector));
      // the default embedded pool: loopback, and a random secret (no environment variable here)
      HazelcastBackend backend =
          HazelcastBackend.embedded()
              .clusterName(cluster)
              .members(members)
              .port(ports[0])
              .localWorkers(1);
      backend.environment = name -> null;
      pool = Pool.builder().backend(backend).build();
      TestCluster.await().until(() -> backend.instance().getCluster().getMembers().size() == 4);

      List<String> inputs =
          IntStream.range(0, 400).mapToObj(i -> MARK + "-" + i).collect(Collectors.toList());
      Results<String> results = pool.imap(s -> s.toUpperCase(java.util.Locale.ROOT), inputs, 4);
      assertThat(results.toList())
          .isEqualTo(
              inputs.stream()
                  .map(s -> s.toUpperCase(java.util.Locale.ROOT))
                  .collect(Collectors.toList()));

      // the strangers were sent chunks, and found neither the inputs nor the task's class in them
      assertThat(captured).isNotEmpty();
      for (byte[] sealed : captured) {
        assertThat(SealTest.indexOf(sealed, MARK.getBytes(StandardCharsets.UTF_8))).isNegative();
        assertThat(SealTest.indexOf(sealed, "XYZZY".getBytes(StandardCharsets.UTF_8))).isNegative();
        assertThat(SealTest.indexOf(sealed, "StrangerTest".getBytes(StandardCharsets.UTF_8)))
            .isNegative();
      }
      // every result came from the pool's own member
      Insights insights = results.insights();
      assertThat(insights.workers())
          .allSatisfy(
              w ->
                  assertThat(w.name())
                      .isEqualTo(Members.name(backend.instance().getCluster().getLocalMember()))
                      .startsWith("[127.0.0.1]:" + ports[0] + "/"));
      assertThat(insights.workers().stream().mapToLong(Insights.WorkerStats::tasks).sum())
          .isEqualTo(400);
    } finally {
      if (pool != null) {
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
      }
      for (HazelcastInstance s : strangers) {
        s.shutdown();
      }
    }
  }

  /** Set when an instance is deserialized. */
  static final AtomicBoolean READ = new AtomicBoolean();

  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      READ.set(true);
    }
  }

  @Test
  void hazelcastsOwnJavaDeserializationRefusesEveryClassOnThePoolsMember() {
    HazelcastBackend backend = EmbeddedTest.embedded().localWorkers(1);
    Pool pool = Pool.builder().backend(backend).build();
    try {
      SerializationService ours =
          ((SerializationServiceSupport) backend.instance()).getSerializationService();
      READ.set(false);
      Object data = ours.toData(new Gadget());
      assertThatThrownBy(() -> ours.toObject(data)).hasStackTraceContaining("is not allowed");
      assertThat(READ).isFalse();
      // the same bytes, read by a member without the filter, do run readObject
      int port = TestCluster.freePort();
      HazelcastInstance plain =
          stranger(
              "pool4j-test-" + UUID.randomUUID(), port, new String[] {"127.0.0.1:" + port}, null);
      try {
        ((SerializationServiceSupport) plain).getSerializationService().toObject(data);
        assertThat(READ).isTrue();
      } finally {
        plain.shutdown();
      }
    } finally {
      pool.terminate();
      assertThat(pool.join(Duration.ofSeconds(60))).isTrue();
    }
  }
}
