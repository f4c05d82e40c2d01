package dev.pool4j.process;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import dev.pool4j.Task;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A JVM for {@link BoundedMemoryTest}, run with a small heap: {@code imap} over {@code n} lazy
 * inputs (an iterator, never a list) whose results are strings, each consumed and dropped; prints
 * {@code count C checksum S} when it completes.
 *
 * <p>Arguments: {@code processes|threads}, the number of inputs, and the length of each result:
 * {@code 0} for {@code "v" + x}, else a string of that many copies of {@code 'a' + x % 26}.
 *
 * <p>The consumer pauses for half a second after its first result, so that the workers fill the
 * call's window to whatever bounds it (a consumer slower than its workers, as most are): what must
 * fit in the heap is the window at its fullest.
 */
public final class BoundedMemoryMain {

  public static void main(String[] args) throws Exception {
    boolean processes = args[0].equals("processes");
    long n = Long.parseLong(args[1]);
    int length = Integer.parseInt(args[2]);
    Pool.Builder builder = Pool.builder().workers(2);
    if (processes) {
      builder.processes();
    }
    Task<Integer, String> task =
        length == 0
            ? x -> "v" + x
            : x -> {
              char[] chars = new char[length];
              Arrays.fill(chars, (char) ('a' + x % 26));
              return new String(chars);
            };
    long count = 0;
    long checksum = 0;
    try (Pool pool = builder.build()) {
      Results<String> results = pool.imap(task, () -> naturals(n));
      for (String s : results) {
        checksum += checksum(count, s.length(), s.charAt(s.length() - 1));
        if (count++ == 0) {
          Thread.sleep(500);
        }
      }
    }
    System.out.println("count " + count + " checksum " + checksum);
  }

  /** What one result adds: its length and last character, weighted by its position. */
  static long checksum(long index, int length, char last) {
    return length + (index + 1) * last;
  }

  private static Iterator<Integer> naturals(long n) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < n;
      }

      @Override
      public Integer next() {
        if (next >= n) {
          throw new NoSuchElementException();
        }
        return next++;
      }
    };
  }
}
