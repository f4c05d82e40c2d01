import dev.pool4j.*;
import java.util.*;
public class AB {
  static int sink;
  public static void main(String[] a) throws Exception {
    int n = 1_000_000;
    String prop = a[0];
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) xs.add(i);
    Map<String, List<Double>> res = new TreeMap<>();
    try (Pool pool = Pool.builder().workers(2).threads().build()) {
      for (int r = 0; r < 160; r++) {
        for (String k : new String[] {"off", "on", "streams"}) {
          System.setProperty(prop, k.equals("off") ? "true" : "false");
          System.gc();
          long t0 = System.nanoTime();
          List<Integer> out = k.equals("streams") ? xs.parallelStream().map(x -> x * x).toList() : pool.map(x -> x * x, xs);
          long t1 = System.nanoTime();
          sink += out.get(n - 1);
          if (r >= 40) res.computeIfAbsent(k, q -> new ArrayList<>()).add((t1 - t0) / (double) n);
        }
      }
    }
    for (var e : res.entrySet()) {
      List<Double> v = e.getValue(); Collections.sort(v);
      System.out.printf("%-8s median %.2f  p25 %.2f  p75 %.2f ns/item%n", e.getKey(), v.get(v.size()/2), v.get(v.size()/4), v.get(v.size()*3/4));
    }
  }
}
