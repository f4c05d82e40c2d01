package dev.pool4j.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.List;

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

  private Members() {}

  /**
   * A member that does pool work: TCP/IP join with the given member list (no multicast, no
   * auto-detection), phone-home and Jet off, and the executor and attribute of pool work.
   *
   * @param bind the only address to listen on, or null for Hazelcast's default (every interface)
   * @param port the first port to try; with {@code autoIncrement} the next ones too
   */
  static Config config(
      String clusterName,
      List<String> members,
      String bind,
      int port,
      boolean autoIncrement,
      int workers) {
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
    return forPoolWork(config, workers);
  }

  /** Adds the executor and the attribute of pool work to a configuration. */
  static Config forPoolWork(Config config, int workers) {
    if (workers > 0) {
      config.getMemberAttributeConfig().setAttribute(WORKERS_ATTRIBUTE, Integer.toString(workers));
      config.addExecutorConfig(new ExecutorConfig(EXECUTOR).setPoolSize(workers));
    }
    return config;
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
