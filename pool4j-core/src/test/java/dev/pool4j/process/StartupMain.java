package dev.pool4j.process;

import dev.pool4j.Pool;
import dev.pool4j.internal.process.ProcessBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Measures how long a process pool of 2 workers takes until both are ready, and the per-item cost
 * of imap with chunk size 1. Run from the module directory:
 *
 * <pre>
 * java -cp target/classes:target/test-classes dev.pool4j.process.StartupMain [runs] [items] [jvm options...]
 * </pre>
 *
 * <p>The workers use a class-data sharing archive only when the class path holds jar files alone
 * (see {@code Pool.Builder#classDataSharing}); {@code -Dcds=false} turns it off, {@code
 * -Dcds.dir=DIR} keeps it in DIR.
 */
public final class StartupMain {
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 11;
    int items = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    String[] options =
        args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length) : new String[0];
    List<Double> firsts = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Pool.Builder builder = Pool.builder().processes().workers(2).jvmOptions(options);
      String cdsDir = System.getProperty("cds.dir");
      if (cdsDir != null) {
        builder.classDataSharing(java.nio.file.Path.of(cdsDir));
      } else {
        builder.classDataSharing(Boolean.parseBoolean(System.getProperty("cds", "true")));
      }
      Pool pool = builder.build();
      if (i == 0) {
        ProcessBackend b = Internals.backend(pool);
        System.out.println(
            b.cdsArchive() != null
                ? "archive " + b.cdsArchive()
                : "no archive: " + b.cdsOffReason());
      }
      ProcessBackend backend = Internals.backend(pool);
      while (backend.readyNanos().size() < 2) {
        Thread.onSpinWait();
      }
      List<Long> ready = backend.readyNanos();
      Collections.sort(ready);
      firsts.add(ready.get(0) / 1e6);
      seconds.add(ready.get(1) / 1e6);
      pool.close();
      pool.join();
    }
    Collections.sort(firsts);
    Collections.sort(seconds);
    System.out.printf(
        "2 workers: first ready median %.1f ms, both ready median %.1f ms (min %.1f, max %.1f) over %d runs%n",
        firsts.get(runs / 2), seconds.get(runs / 2), seconds.get(0), seconds.get(runs - 1), runs);

    if (items > 0) {
      try (Pool pool = Pool.builder().processes().workers(2).build()) {
        List<Integer> inputs = IntStream.range(0, items).boxed().collect(Collectors.toList());
        for (int round = 0; round < 5; round++) {
          long t0 = System.nanoTime();
          long sum = 0;
          for (int v : pool.imap(x -> x + 1, inputs, 1)) {
            sum += v;
          }
          long t1 = System.nanoTime();
          long t2 = System.nanoTime();
          List<Integer> mapped = pool.map(x -> x + 1, inputs);
          long t3 = System.nanoTime();
          System.out.printf(
              "imap chunksize 1: %.2f us/item; map adaptive: %.3f us/item (%d, %d)%n",
              (t1 - t0) / 1e3 / items, (t3 - t2) / 1e3 / items, sum, mapped.size());
        }
      }
    }
    TimeUnit.MILLISECONDS.sleep(10);
  }
}
