package dev.pool4j.process;

import dev.pool4j.Pool;
import dev.pool4j.internal.process.ProcessBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A parent JVM for {@link ClassDataSharingTest}, run from jars: a process pool with its archive in
 * the directory given, whose workers may log where their classes come from.
 *
 * <p>Arguments: the cache directory, then JVM options for the workers. Prints {@code archive
 * PATH} or {@code off REASON}, then {@code sum N}.
 */
public final class CdsMain {
  public static void main(String[] args) {
    Path cache = Path.of(args[0]);
    String[] options = java.util.Arrays.copyOfRange(args, 1, args.length);
    List<Integer> xs = IntStream.range(0, 100).boxed().collect(Collectors.toList());
    try (Pool pool =
        Pool.builder().processes().workers(2).classDataSharing(cache).jvmOptions(options).build()) {
      ProcessBackend backend = Internals.backend(pool);
      System.out.println(
          backend.cdsArchive() != null
              ? "archive " + backend.cdsArchive()
              : "off " + backend.cdsOffReason());
      long sum = pool.map(x -> x * x, xs, 1).stream().mapToLong(Integer::longValue).sum();
      System.out.println("sum " + sum);
    }
  }
}
