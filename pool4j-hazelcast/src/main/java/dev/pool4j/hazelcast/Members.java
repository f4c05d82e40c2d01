package dev.pool4j.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** The member configuration shared by the embedded member and the worker command. */
final class Members {

  /** The executor service the chunks go through; each pool member sizes it to its workers. */
  static final String EXECUTOR = "pool4j";

  /** The member attribute that says how many local workers a member gives to pool work. */
  static final String WORKERS_ATTRIBUTE = "pool4j.workers";

  /** The cluster name when none is given. */
  static final String DEFAULT_CLUSTER = "pool4j";

  /** The first port a member tries. */
  static final int DEFAULT_PORT = 5701;

  /** The key of the member's {@link ChunkTask.Runner} in its user context. */
  static final String RUNNER = "pool4j.runner";

  /**
   * The one class Hazelcast's Java deserialization may resolve: one that does not exist. A
   * whitelist that is empty would switch the whitelist off (Hazelcast then checks only its
   * blacklist), so it names this instead, and nothing passes.
   */
  static final String NO_CLASS = "dev.pool4j.hazelcast.NothingIsJavaSerializedAtHazelcastsLayer";

  /**
   * Keeps the logger whose level {@link #quietLogging} set, and so the level, from being collected.
   */
  private static volatile Logger hazelcastLogger;

  private Members() {}

  /**
   * Makes Hazelcast log only warnings and errors (no banner, no INFO lines at start and stop),
   * unless the user chose its logging: the {@code hazelcast.logging.type} system property, or a
   * level for {@code com.hazelcast} in the {@code java.util.logging} configuration or set before.
   * Hazelcast's default logging is {@code java.util.logging}; this sets the level of its {@code
   * com.hazelcast} logger to WARNING.
   */
  static synchronized void quietLogging() {
    if (hazelcastLogger != null || System.getProperty("hazelcast.logging.type") != null) {
      return;
    }
    if (LogManager.getLogManager().getProperty("com.hazelcast.level") != null) {
      return;
    }
    Logger logger = Logger.getLogger("com.hazelcast");
    if (logger.getLevel() == null) {
      logger.setLevel(Level.WARNING);
      hazelcastLogger = logger;
    }
  }

  /**
   * A member that does pool work: TCP/IP join with the given member list (no multicast, no
   * auto-detection), phone-home and Jet off, and the executor and attribute of pool work.
   *
   * @param bind the only address to listen on (resolved by {@link Network#resolve}), or null for
   *     every interface
   * @param port the first port to try; with {@code autoIncrement} the next ones too
   */
  static Config config(
      String clusterName,
      List<String> members,
      String bind,
      int port,
      boolean autoIncrement,
      int workers,
      Seal seal) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getJetConfig().setEnabled(false);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(autoIncrement).setPortCount(autoIncrement ? 20 : 1);
    if (bind != null) {
      network.getInterfaces().setEnabled(true).addInterface(bind);
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    return forPoolWork(config, workers, seal);
  }

  /**
   * Adds the executor and the attribute of pool work to a configuration, the runner that opens
   * chunks with the cluster secret, and Hazelcast's Java deserialization filter.
   */
  static Config forPoolWork(Config config, int workers, Seal seal) {
    ConcurrentMap<String, Object> context = config.getUserContext();
    if (context == null) {
      context = new ConcurrentHashMap<>();
    } else {
      context = new ConcurrentHashMap<>(context);
    }
    context.put(RUNNER, new ChunkTask.SealedRunner(seal));
    config.setUserContext(context);
    refuseJavaSerialization(config.getSerializationConfig());
    if (workers > 0) {
      config.getMemberAttributeConfig().setAttribute(WORKERS_ATTRIBUTE, Integer.toString(workers));
      config.addExecutorConfig(new ExecutorConfig(EXECUTOR).setPoolSize(workers));
    }
    return config;
  }

  /**
   * Makes Hazelcast's own Java deserialization (of objects that are {@code Serializable} but none
   * of its own formats) refuse every class: the pool sends only {@link ChunkTask} and byte arrays,
   * so nothing at that layer needs it, and a stranger's object is refused before its {@code
   * readObject} runs. A configuration that has a filter of its own keeps it.
   */
  static void refuseJavaSerialization(SerializationConfig serialization) {
    if (serialization.getJavaSerializationFilterConfig() == null) {
      JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
      filter.setDefaultsDisabled(true);
      filter.getWhitelist().addClasses(NO_CLASS);
      serialization.setJavaSerializationFilterConfig(filter);
    }
  }

  /**
   * A member as the insights and the messages name it: its address and the first 8 hex digits of
   * its instance's UUID, {@code [10.0.0.7]:5701/3f2a1b2c}. A member restarted on the same address
   * is another instance, and so another name: its figures are its own, not the dead one's.
   */
  static String name(Member member) {
    return member.getAddress() + "/" + member.getUuid().toString().substring(0, 8);
  }

  /** How many workers a member gives to pool work; 0 for one that does none. */
  static int workers(Member member) {
    String value = member.getAttribute(WORKERS_ATTRIBUTE);
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
