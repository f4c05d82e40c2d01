package dev.pool4j.benchmarks.compare;

import dev.pool4j.Insights;
import dev.pool4j.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cold first map of 1M tiny items on 2 worker processes, every worker ready first (excluded).
 * Args: retries (-1: the default), then JVM options for the workers. With -Dspans=true it prints
 * the call's insights and every chunk's span too.
 */
public class FirstCall {
  public static void main(String[] a) throws Exception {
    int retries = Integer.parseInt(a[0]);
    Pool.Builder b = Pool.builder().workers(2).processes();
    if (retries >= 0) {
      b.retries(retries);
    }
    if (a.length > 1) {
      b.jvmOptions(Arrays.copyOfRange(a, 1, a.length));
    }
    try (Pool pool = Runners.awaitReady(b.build())) {
      List<Integer> xs = new ArrayList<>(1_000_000);
      for (int i = 0; i < 1_000_000; i++) {
        xs.add(i);
      }
      long t0 = System.nanoTime();
      List<Integer> r = pool.map(x -> x * x, xs);
      long t1 = System.nanoTime();
      System.out.printf("retries=%d first=%.1f ms n=%d%n", retries, (t1 - t0) / 1e6, r.size());
      if (Boolean.getBoolean("spans")) {
        Insights in = pool.insights();
        System.out.println(in);
        for (Insights.Span s : in.spans()) {
          System.out.println(s);
        }
      }
    }
  }
}
