package dev.pool4j.benchmarks.compare;
import dev.pool4j.*;
import java.util.*;
public class Spans {
  public static void main(String[] a) throws Exception {
    int retries = Integer.parseInt(a[0]);
    Pool.Builder b = Pool.builder().workers(2).processes();
    if (retries >= 0) b.retries(retries);
    try (Pool pool = Runners.awaitReady(b.build())) {
      List<Integer> xs = new ArrayList<>(1_000_000);
      for (int i = 0; i < 1_000_000; i++) xs.add(i);
      long t0 = System.nanoTime();
      List<Integer> r = pool.map(x -> x * x, xs);
      long t1 = System.nanoTime();
      System.out.printf("retries=%d first=%.1f ms n=%d%n", retries, (t1 - t0) / 1e6, r.size());
      Insights in = pool.insights();
      System.out.println(in);
      for (Insights.Span s : in.spans()) System.out.println(s);
    }
  }
}
