package dev.pool4j.process;

import dev.pool4j.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A parent JVM for {@link ClassDataSharingTest}, run from jars: a first pool writes the archive; a
 * second one's first worker maps it, then the cache directory is swapped for a symbolic link (to
 * the same directory, moved), and the workers started after that must not map it.
 *
 * <p>Argument: the cache directory. Prints {@code before OPTION}, then {@code after OPTIONS}: the
 * {@code -XX:SharedArchiveFile} option of each task's worker, or {@code none}.
 */
public final class CdsMainSwap {
  public static void main(String[] args) throws Exception {
    Path cache = Path.of(args[0]);
    try (Pool pool = Pool.builder().processes().workers(1).classDataSharing(cache).build()) {
      pool.map(x -> x + 1, List.of(1, 2));
      // the worker writes the archive as it exits: in place once join() returns
      pool.close();
      pool.join();
    }
    try (Pool pool =
        Pool.builder()
            .processes()
            .workers(1)
            .retries(0)
            .maxTasksPerWorker(1)
            .classDataSharing(cache)
            .build()) {
      System.out.println("before " + pool.apply(x -> archiveOption(), 0));
      Path moved = Files.move(cache, cache.resolveSibling(cache.getFileName() + ".moved"));
      Files.createSymbolicLink(cache, moved);
      // a worker for every task: the first may have started before the swap, the others after
      System.out.println("after " + pool.map(x -> archiveOption(), List.of(1, 2, 3), 1));
    }
  }

  /** This worker's archive option, or "none". */
  static String archiveOption() {
    return Arrays.stream(ProcessHandle.current().info().arguments().orElseThrow())
        .filter(a -> a.startsWith("-XX:SharedArchiveFile="))
        .findFirst()
        .orElse("none");
  }
}
