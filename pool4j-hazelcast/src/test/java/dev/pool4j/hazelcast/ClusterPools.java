package dev.pool4j.hazelcast;

import dev.pool4j.Pool;
import java.util.function.Supplier;

/**
 * The cluster of pool4j-core's behaviour matrix: builders of client pools of one loopback cluster
 * of two member JVMs, started on first use and killed when this JVM exits.
 *
 * <p>The module's surefire execution {@code contract-on-cluster} runs pool4j-core's contract tests
 * (tag {@code contract}) with {@code -Dpool4j.backends=cluster} and {@code
 * -Dpool4j.cluster=dev.pool4j.hazelcast.ClusterPools}; the core test's {@code PoolFactory} makes
 * one of these and asks it for a builder per pool. Each pool is a client of its own, so a test that
 * closes or terminates its pool leaves the members to the next test. A pool's {@code workers(n)}
 * caps how many chunks it runs at once, as on the other backends; the members have {@value
 * #WORKERS_PER_MEMBER} workers each, more than any contract test asks for.
 *
 * <p>The members get this JVM's class path, so the core tests' tasks, gates and marks (owner-only
 * files under this JVM's temporary directory) are theirs too.
 */
public final class ClusterPools implements Supplier<Pool.Builder> {

  /** Workers of each member JVM. */
  static final int WORKERS_PER_MEMBER = 4;

  private static TestCluster cluster;

  /** Made by name, through {@code -Dpool4j.cluster}. */
  public ClusterPools() {}

  /** Starts the members on first use; the same two serve every pool of this JVM. */
  private static synchronized TestCluster cluster() {
    if (cluster == null) {
      TestCluster started = new TestCluster(2);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "pool4j-test-cluster-stop"));
      started.start(WORKERS_PER_MEMBER);
      started.start(WORKERS_PER_MEMBER);
      cluster = started;
    }
    return cluster;
  }

  @Override
  public Pool.Builder get() {
    return Pool.builder().backend(cluster().client());
  }
}
