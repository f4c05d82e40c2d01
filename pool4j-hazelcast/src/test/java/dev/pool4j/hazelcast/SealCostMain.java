package dev.pool4j.hazelcast;

import dev.pool4j.Task;
import dev.pool4j.spi.PoolBackend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What sealing costs a tiny map on the cluster, in CPU time per item, free of the noise of a shared
 * machine: the chunk messages and outcomes of {@code map(x -> x * x)} over 1,000,000 Integers (as
 * the pool and the members make them), sealed and opened both ways as the cluster does: the pool
 * seals each chunk and opens its reply, a member opens the chunk and seals the reply. Measured in
 * this process's CPU time (all its threads: the JIT and the GC included), so other processes on the
 * machine do not count, as they do in wall-clock time. Prints the median and the range over the
 * rounds, the bytes per item, and the CPU time of each of the first passes over the million items
 * in this fresh JVM: what a cluster's JVMs pay while the JIT compiles the cipher (the JDK's AES-GCM
 * is fast only once compiled with its intrinsics; see {@link Seal} on frames).
 *
 * <pre>
 * java -cp pool4j-hazelcast/target/classes:pool4j-hazelcast/target/test-classes:\
 *     pool4j-core/target/classes:$HOME/.m2/repository/com/hazelcast/hazelcast/5.7.0/hazelcast-5.7.0.jar \
 *     dev.pool4j.hazelcast.SealCostMain [rounds] [chunk size]
 * </pre>
 */
public final class SealCostMain {

  private static final int PASSES = 50;

  /** Passes over the million items timed one by one at the start. */
  private static final int FIRST_PASSES = 10;

  private SealCostMain() {}

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }

  /** Seals and opens every chunk both ways once; returns the bytes opened. */
  private static long pass(Seal seal, List<byte[]> messages, List<byte[]> outcomes) {
    long opened = 0;
    for (int i = 0; i < messages.size(); i++) {
      byte[] id = Seal.newId();
      byte[] sealed = seal.seal(Seal.Direction.REQUEST, id, 0, messages.get(i), 0);
      try {
        opened += seal.open(Seal.Direction.REQUEST, id, 0, sealed, 0, sealed.length).length;
        byte[] reply = SealTest.reply(seal, id, 1000, outcomes.get(i));
        opened += ChunkTask.open(seal, id, reply).outcome().length;
      } catch (Seal.Refused e) {
        throw new AssertionError(e);
      }
    }
    return opened;
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int chunk = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int items = 1_000_000;
    Task<Integer, Integer> square = x -> x * x;
    List<byte[]> messages = new ArrayList<>();
    List<byte[]> outcomes = new ArrayList<>();
    for (int start = 0; start < items; start += chunk) {
      List<Integer> inputs =
          IntStream.range(start, Math.min(items, start + chunk))
              .boxed()
              .collect(Collectors.toList());
      byte[] message = SealTest.chunkMessage(square, inputs);
      messages.add(message);
      outcomes.add(PoolBackend.runMessage(message, "here"));
    }
    long bytes = 0;
    for (int i = 0; i < messages.size(); i++) {
      bytes += messages.get(i).length + outcomes.get(i).length;
    }
    Seal seal = new Seal("a secret of more than sixteen bytes".getBytes(StandardCharsets.UTF_8));
    List<Double> perItem = new ArrayList<>();
    // the first passes one by one: what a fresh JVM pays while the JIT compiles the cipher
    List<String> first = new ArrayList<>();
    long sink = 0;
    for (int pass = 0; pass < FIRST_PASSES; pass++) {
      long t0 = cpuNanos();
      sink += pass(seal, messages, outcomes);
      first.add(String.format(Locale.ROOT, "%.0f", (cpuNanos() - t0) / (double) items));
    }
    for (int round = 0; round < rounds + 5; round++) {
      long t0 = cpuNanos();
      // passes enough that the process's CPU clock (10 ms ticks) is read to 1%
      for (int pass = 0; pass < PASSES; pass++) {
        sink += pass(seal, messages, outcomes);
      }
      long nanos = cpuNanos() - t0;
      if (round >= 5) {
        perItem.add(nanos / (double) items / PASSES);
      }
    }
    Collections.sort(perItem);
    System.out.printf(
        Locale.ROOT,
        "seal + open, both ways, chunks of %d: %.2f ns/item CPU (%.2f .. %.2f), %d rounds;"
            + " %.1f bytes/item sealed each way on average; %s (check %d);"
            + " a fresh JVM's first %d passes: %s ns/item CPU%n",
        chunk,
        perItem.get(perItem.size() / 2),
        perItem.get(0),
        perItem.get(perItem.size() - 1),
        rounds,
        bytes / 2.0 / items,
        System.getProperty("java.version"),
        sink,
        FIRST_PASSES,
        String.join(", ", first));
  }
}
