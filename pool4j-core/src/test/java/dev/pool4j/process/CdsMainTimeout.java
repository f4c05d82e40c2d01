package dev.pool4j.process;

import dev.pool4j.Pool;
import dev.pool4j.internal.process.ProcessBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A parent JVM for {@link ClassDataSharingTimeoutTest}, run from jars: {@link CdsMain}'s pool with
 * a task timeout, closed and joined, as a program ends that waits for its pool.
 *
 * <p>Arguments: the cache directory. Prints {@code archive PATH} or {@code off REASON}, then {@code
 * sum N}.
 */
public final class CdsMainTimeout {
  public static void main(String[] args) {
    Path cache = Path.of(args[0]);
    List<Integer> xs = IntStream.range(0, 100).boxed().collect(Collectors.toList());
    Pool pool =
        Pool.builder()
            .processes()
            .workers(2)
            .classDataSharing(cache)
            .taskTimeout(Duration.ofMinutes(1))
            .build();
    ProcessBackend backend = Internals.backend(pool);
    System.out.println(
        backend.cdsArchive() != null
            ? "archive " + backend.cdsArchive()
            : "off " + backend.cdsOffReason());
    long sum = pool.map(x -> x * x, xs, 1).stream().mapToLong(Integer::longValue).sum();
    System.out.println("sum " + sum);
    pool.close();
    pool.join();
  }
}
