package dev.pool4j;

import dev.pool4j.internal.observe.StartLog;
import dev.pool4j.internal.scheduler.CallClasses;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Run by {@link FirstCallClassesTest} in a fresh JVM with {@code -Xlog:class+load}: builds a pool
 * of {@code args[0]} ({@code threads} or {@code virtual}), waits until its workers' start-up chores
 * are done (the call's classes loaded, the logger of their start lines set up), then runs a first
 * {@code map} between the lines {@code first call: start} and {@code first call: end}. Exits 1 on a
 * wrong result, 2 if the classes were never loaded.
 */
public final class FirstCallClassesMain {

  private FirstCallClassesMain() {}

  public static void main(String[] args) throws Exception {
    List<Integer> xs = IntStream.range(0, 20_000).boxed().collect(Collectors.toList());
    List<Integer> squares = xs.stream().map(x -> x * x).collect(Collectors.toList());
    Task<Integer, Integer> square = x -> x * x;
    Pool.Builder builder = Pool.builder().workers(2);
    try (Pool pool =
        (args[0].equals("virtual") ? builder.virtualThreads() : builder.threads()).build()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      // the workers' start-up chores: the call's classes, then the logger their start lines set up
      while (!CallClasses.loaded() || !StartLog.ready()) {
        if (System.nanoTime() > deadline) {
          System.out.println("the start-up chores never ended");
          System.exit(2);
        }
        Thread.sleep(1);
      }
      System.out.println("loaded: " + CallClasses.count());
      System.out.println("first call: start");
      List<Integer> results = pool.map(square, xs);
      System.out.println("first call: end");
      if (!results.equals(squares)) {
        System.out.println("wrong results");
        System.exit(1);
      }
    }
  }
}
