package dev.pool4j.process;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A parent JVM for {@link NoOrphanTest}: starts a process pool of two workers, keeps both busy,
 * prints their pids and "ready", and waits to be killed.
 */
public final class ParentMain {
  /** Held so that neither is cleaned while the parent waits. */
  static Pool pool;

  static Results<Integer> results;

  public static void main(String[] args) throws Exception {
    pool = Pool.builder().processes().workers(2).build();
    results =
        pool.imap(
            x -> {
              Thread.sleep(600_000);
              return x;
            },
            List.of(1, 2),
            1);
    List<ProcessHandle> workers;
    do {
      TimeUnit.MILLISECONDS.sleep(10);
      workers = Children.workers();
    } while (workers.size() < 2);
    for (ProcessHandle w : workers) {
      System.out.println("pid " + w.pid());
    }
    System.out.println("ready");
    System.out.flush();
    TimeUnit.MINUTES.sleep(10);
  }
}
