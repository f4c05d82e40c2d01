package dev.pool4j.examples;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Python {@code multiprocessing.Pool} tutorial pool4j grew from, step by step, in Java.
 *
 * <p>Each step prints what it does, its results and the time it took. The tasks sleep, so the
 * timings read the same on any machine: sequential {@code map} about 9 s, {@code Pool.map} about 5
 * s, {@code imap} yielding 1, 25, 9 at about 1, 5, 5 s, {@code imapUnordered} 1, 9, 25 at about 1,
 * 3, 5 s, {@code starmap} about 4 s, and an {@code imap} with a progress bar (3/3 after about 5 s)
 * followed by the insights of that call; last, a map of 20 uneven tasks draws its timeline to
 * {@code target/timeline.svg} (or {@code -Dtutorial.timeline}), one row per worker.
 *
 * <pre>
 * mvn -q -pl pool4j-examples -am package -DskipTests exec:java
 * </pre>
 *
 * <p>Pass a scale as the first argument (or {@code -Dtutorial.scale}) to shrink every sleep: {@code
 * 0.1} runs the whole tutorial in about 2.5 s.
 */
public final class Tutorial {

  /** Seconds of sleep per unit of input; 1.0 is the real tutorial. */
  private static double scale = 1.0;

  private Tutorial() {}

  /**
   * Sleeps {@code n} seconds and returns {@code n * n}: the tutorial's stand-in for slow work.
   * {@code Thread.sleep} throws the checked {@link InterruptedException}; a pool4j task may throw
   * it as it is, with no wrapper.
   */
  static int waitSec(int n) throws InterruptedException {
    Thread.sleep(Math.round(n * 1000 * scale));
    return n * n;
  }

  /** Sleeps {@code n} tenths of a second and returns {@code n}. */
  static int waitTenths(int n) throws InterruptedException {
    Thread.sleep(Math.round(n * 100 * scale));
    return n;
  }

  /** Sleeps {@code a} seconds and returns {@code a * b}. */
  static int multiply(int a, int b) throws InterruptedException {
    Thread.sleep(Math.round(a * 1000 * scale));
    return a * b;
  }

  /**
   * Runs the tutorial.
   *
   * @param args optional: the time scale (1.0 = real seconds)
   */
  public static void main(String[] args) {
    String given = args.length > 0 ? args[0] : System.getProperty("tutorial.scale", "1.0");
    run(Double.parseDouble(given), System.out);
  }

  static void run(double timeScale, PrintStream out) {
    run(timeScale, out, Path.of(System.getProperty("tutorial.timeline", "target/timeline.svg")));
  }

  static void run(double timeScale, PrintStream out, Path timeline) {
    scale = timeScale;
    List<Integer> inputs = List.of(1, 5, 3);

    out.println("pool4j tutorial: Python's multiprocessing.Pool, in Java");
    out.println();
    out.println("Step 1. How many workers? Pool.cpuCount() = " + Pool.cpuCount());
    out.println();

    out.println("Step 2. A sequential map of waitSec over " + inputs);
    long start = System.nanoTime();
    List<Integer> sequential = new ArrayList<>();
    for (int n : inputs) {
      try {
        sequential.add(waitSec(n));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    out.println("  " + sequential + " in " + seconds(start) + "  (the sum of the sleeps)");
    out.println();

    // the tasks sleep rather than compute, so more workers than cores is right here
    try (Pool pool = Pool.create(4)) {
      out.println("Step 3. Pool.map: the same work in parallel");
      start = System.nanoTime();
      List<Integer> parallel = pool.map(Tutorial::waitSec, inputs);
      out.println("  " + parallel + " in " + seconds(start) + "  (the longest sleep)");
      out.println();

      out.println("Step 4. Pool.imap: results in input order, each as soon as it can be given");
      start = System.nanoTime();
      for (int result : pool.imap(Tutorial::waitSec, inputs)) {
        out.println("  " + result + " at " + seconds(start));
      }
      out.println();

      out.println("Step 5. Pool.imapUnordered: each result as soon as it is done");
      start = System.nanoTime();
      try (Results<Integer> results = pool.imapUnordered(Tutorial::waitSec, inputs)) {
        for (int result : results) {
          out.println("  " + result + " at " + seconds(start));
        }
      }
      out.println();

      List<Integer> firsts = List.of(1, 2, 3, 4);
      List<Integer> seconds = List.of(10, 30, 70, 20);
      out.println("Step 6. Pool.starmap of multiply over " + firsts + " and " + seconds);
      start = System.nanoTime();
      List<Integer> products = pool.starmap(Tutorial::multiply, firsts, seconds);
      out.println("  " + products + " in " + seconds(start));
      out.println();

      out.println("Step 7. A progress bar, as tqdm(pool.imap(...)) draws it (on stderr)");
      start = System.nanoTime();
      List<Integer> withBar = pool.withProgress("waitSec").imap(Tutorial::waitSec, inputs).toList();
      out.println("  " + withBar + " in " + seconds(start) + "  (the bar says 3/3)");
      out.println();

      out.println("Step 8. Where the time went: the insights of that call");
      out.print(pool.insights().toString().replaceAll("(?m)^", "  "));
      out.println();

      out.println(
          "Step 9. A picture of where the time went: the timeline of a map of uneven tasks");
      List<Integer> uneven = List.of(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4);
      start = System.nanoTime();
      pool.map(Tutorial::waitTenths, uneven, 2);
      out.println("  20 tasks in chunks of 2 in " + seconds(start));
      try {
        if (timeline.toAbsolutePath().getParent() != null) {
          Files.createDirectories(timeline.toAbsolutePath().getParent());
        }
        pool.insights().writeTimeline(timeline);
      } catch (IOException e) {
        throw new UncheckedIOException("could not write " + timeline, e);
      }
      out.println(
          "  " + timeline + ": one row per worker, one bar per chunk; open it in a browser");
    }
  }

  private static String seconds(long startNanos) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    return String.format(Locale.ROOT, "%.2f s", s);
  }
}
