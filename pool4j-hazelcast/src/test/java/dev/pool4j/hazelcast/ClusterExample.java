package dev.pool4j.hazelcast;

import dev.pool4j.Insights;
import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The README's three ways onto a cluster, runnable. From the module directory, after {@code mvn -q
 * -pl pool4j-hazelcast -am test-compile} at the root and {@code mvn -q dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt} here:
 *
 * <pre>
 * CP=target/classes:target/test-classes:$(cat target/cp.txt)
 * # one secret for the pool and its workers (without it, an embedded pool makes a random one
 * # that no worker knows, and a client refuses to start)
 * umask 077; openssl rand -base64 32 &gt; ~/.pool4j-secret
 * export POOL4J_CLUSTER_SECRET=$(cat ~/.pool4j-secret)    # in every terminal below
 * # 1. embedded: this JVM is a member and works; start workers (3.) to share the work
 * java -cp $CP dev.pool4j.hazelcast.ClusterExample embedded
 * # 3. a worker, in other terminals or on other machines (same class path)
 * java -cp $CP dev.pool4j.hazelcast.Worker --cluster pool4j --members 127.0.0.1
 * # 2. a client of the cluster the workers form
 * java -cp $CP dev.pool4j.hazelcast.ClusterExample client 127.0.0.1:5701
 * </pre>
 */
public final class ClusterExample {

  private ClusterExample() {}

  /**
   * Runs the example.
   *
   * @param args {@code embedded}, or {@code client} and the members' addresses
   */
  public static void main(String[] args) {
    String way = args.length > 0 ? args[0] : "embedded";
    HazelcastBackend backend =
        way.equals("client")
            ? HazelcastBackend.client()
                .members(args.length > 1 ? args[1].split(",") : new String[] {"127.0.0.1"})
            : HazelcastBackend.embedded();
    try (Pool pool = Pool.builder().backend(backend).build()) {
      System.out.println("sum of squares: " + sumOfSquares(pool, 100_000));
      Results<String> slow = pool.imap(ClusterExample::slowHello, range(40), 1);
      System.out.println(slow.toList().size() + " greetings; where they ran:");
      for (Insights.WorkerStats w : slow.insights().workers()) {
        System.out.println("  " + w.name() + ": " + w.tasks() + " tasks");
      }
    }
  }

  /** The sum of the squares of 0..n-1, computed on the pool's members. */
  static long sumOfSquares(Pool pool, int n) {
    List<Long> squares = pool.map(x -> (long) x * x, range(n));
    return squares.stream().mapToLong(Long::longValue).sum();
  }

  static String slowHello(Integer x) throws InterruptedException {
    Thread.sleep(50);
    return "hello " + x;
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }
}
