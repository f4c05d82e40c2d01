package dev.pool4j.process;

import dev.pool4j.Pool;
import dev.pool4j.TaskFailedException;
import java.time.Duration;
import java.util.List;

/**
 * A parent JVM for {@link FilterTest}, started with a JVM-wide {@code jdk.serialFilter} and no
 * filter of the pool's own: prints {@code accepted RESULTS}, or {@code refused at INDEX: CAUSE}
 * when a worker refuses an input.
 */
public final class FilterMain {
  public static void main(String[] args) {
    try (Pool pool = Pool.builder().processes().workers(1).retries(0).build()) {
      List<Object> inputs = List.of(1, Duration.ofSeconds(2));
      try {
        System.out.println("accepted " + pool.map(x -> String.valueOf(x), inputs, 2));
      } catch (TaskFailedException e) {
        System.out.println("refused at " + e.index() + ": " + e.getCause());
      }
      System.out.println("then " + pool.map(x -> x + 1, List.of(1, 2)));
    }
  }
}
