package dev.pool4j.process;

import dev.pool4j.Pool;
import java.util.List;

/**
 * A parent JVM for {@link ModulePathTest}: maps over a process pool and prints, for each item, the
 * result and the module that {@code dev.pool4j} is in, as the worker process sees it.
 */
public final class ModulePathMain {
  public static void main(String[] args) throws Exception {
    try (Pool pool = Pool.builder().processes().workers(2).build()) {
      System.out.println("parent " + Pool.class.getModule());
      List<String> out =
          pool.map(
              x ->
                  x * 2
                      + " in worker "
                      + Pool.class.getModule()
                      + " pid "
                      + ProcessHandle.current().pid(),
              List.of(1, 2, 3));
      out.forEach(System.out::println);
    }
    System.out.println("done");
  }
}
