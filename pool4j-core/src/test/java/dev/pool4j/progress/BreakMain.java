package dev.pool4j.progress;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A program for {@link ExitTest}: leaves a wrapped loop by {@code break}, closes nothing, prints
 * "done" and ends.
 */
public final class BreakMain {
  public static void main(String[] args) {
    List<Integer> items = IntStream.range(0, 200).boxed().collect(Collectors.toList());
    for (int item : Progress.wrap(items)) {
      if (item == 50) {
        break;
      }
    }
    System.out.println("done");
  }
}
