package dev.pool4j.benchmarks.compare;
import dev.pool4j.*;
import java.util.*;
public class Scale {
  public static void main(String[] a) throws Exception {
    int workers = Integer.parseInt(a[0]);
    int n = Integer.parseInt(a[1]);
    int chunk = a.length > 2 ? Integer.parseInt(a[2]) : 0;
    List<Integer> xs = new ArrayList<>();
    for (int i = 0; i < n; i++) xs.add(i);
    try (Pool pool = Pool.builder().workers(workers).threads().build()) {
      for (int r = 0; r < 4; r++) {
        long t0 = System.nanoTime();
        Task<Integer,Integer> t = x -> { Thread.sleep(1); return x; };
        List<Integer> out = chunk > 0 ? pool.map(t, xs, chunk) : pool.map(t, xs);
        long t1 = System.nanoTime();
        double ideal = n * 1e-3 / workers;
        Insights in = pool.insights();
        TreeMap<Integer,Integer> sizes = new TreeMap<>();
        for (Insights.Span s : in.spans()) sizes.merge(s.items(), 1, Integer::sum);
        System.out.printf("run %d: %.3f s, eff %.1f%%, spans %d, sizes %s%n", r, (t1-t0)/1e9, 100*ideal/((t1-t0)/1e9), in.spans().size(), sizes);
      }
    }
  }
}
