package dev.pool4j.process;

import dev.pool4j.Pool;
import java.util.List;

/**
 * An application for {@link WorkerClassPathTest}: maps a lambda of its own class over one worker
 * process, so that the worker must load this class, and prints the results.
 */
public final class ClassPathMain {
  public static void main(String[] args) {
    try (Pool pool = Pool.builder().processes().workers(1).build()) {
      List<Integer> doubled = pool.map(x -> x * 2, List.of(1, 2, 3));
      System.out.println("doubled " + doubled);
    }
  }
}
