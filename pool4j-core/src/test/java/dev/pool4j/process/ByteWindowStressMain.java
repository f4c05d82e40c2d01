package dev.pool4j.process;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A JVM for {@link BoundedMemoryTest}, run with a small byte budget ({@code
 * -Dpool4j.maxBytesInFlight}): many lazy calls with random workers, chunk sizes, result lengths,
 * orders and consumer pauses, each checked for every result; a window that stalled for good would
 * hang here. Arguments: the seed, the iterations on threads, those on worker processes. Prints
 * {@code ok N} when every call gave every result.
 */
public final class ByteWindowStressMain {

  public static void main(String[] args) throws Exception {
    Random random = new Random(Long.parseLong(args[0]));
    int onThreads = Integer.parseInt(args[1]);
    int onProcesses = Integer.parseInt(args[2]);
    int calls = 0;
    for (int i = 0; i < onThreads + onProcesses; i++) {
      boolean processes = i >= onThreads;
      int workers = 1 + random.nextInt(4);
      Pool.Builder builder = Pool.builder().workers(workers);
      if (processes) {
        builder.processes();
      }
      try (Pool pool = builder.build()) {
        for (int c = 0; c < (processes ? 10 : 3); c++) {
          call(pool, random);
          calls++;
        }
      }
    }
    System.out.println("ok " + calls);
  }

  private static void call(Pool pool, Random random) throws InterruptedException {
    int n = random.nextInt(3_000);
    int chunksize = random.nextBoolean() ? 0 : 1 + random.nextInt(64);
    int longest = random.nextBoolean() ? 8 : 4_000;
    boolean unordered = random.nextBoolean();
    int pauseAt = random.nextInt(Math.max(1, n));
    List<Integer> inputs = IntStream.range(0, n).boxed().collect(Collectors.toList());
    Iterable<Integer> lazy = () -> inputs.iterator(); // no size: as an unknown input
    dev.pool4j.Task<Integer, String> task = x -> "x".repeat(x % longest) + x;
    Results<String> results =
        unordered
            ? (chunksize > 0
                ? pool.imapUnordered(task, lazy, chunksize)
                : pool.imapUnordered(task, lazy))
            : (chunksize > 0 ? pool.imap(task, lazy, chunksize) : pool.imap(task, lazy));
    List<Integer> got = new ArrayList<>();
    for (String r : results) {
      got.add(Integer.parseInt(r.substring(r.lastIndexOf('x') + 1)));
      if (got.size() == pauseAt) {
        Thread.sleep(20); // let the window fill
      }
    }
    if (unordered) {
      Collections.sort(got);
    }
    if (!got.equals(inputs)) {
      throw new AssertionError(
          "n=" + n + " chunksize=" + chunksize + " unordered=" + unordered + ": got " + got.size());
    }
  }
}
