package dev.pool4j.process;

import dev.pool4j.Pool;
import dev.pool4j.internal.process.ProcessBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A parent JVM for {@link ClassDataSharingTest}, run from jars: a process pool with its archive in
 * the directory given, whose workers may log where their classes come from.
 *
 * <p>Arguments: the cache directory, then JVM options for the workers. Prints {@code archive PATH}
 * or {@code off REASON}, then {@code sum N}.
 */
public final class CdsMain {
  private static long names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  public static void main(String[] args) throws IOException {
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
      // every worker runs a task (each waits until both have one), so both log their classes
      // (beside the cache, in the test's temporary directory)
      String meet =
          Files.createTempDirectory(cache.toAbsolutePath().getParent(), "meet").toString();
      long sum =
          pool
              .map(
                  x -> {
                    Path dir = Path.of(meet);
                    Path mine = dir.resolve(Long.toString(ProcessHandle.current().pid()));
                    if (!Files.exists(mine)) {
                      Files.createFile(mine);
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (names(dir) < 2 && System.nanoTime() < deadline) {
                      Thread.sleep(1);
                    }
                    return x * x;
                  },
                  xs,
                  1)
              .stream()
              .mapToLong(Integer::longValue)
              .sum();
      System.out.println("sum " + sum);
    }
  }
}
