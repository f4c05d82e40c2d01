import dev.pool4j.*;
import java.util.*;
public class Three {
  static int sink;
  public static void main(String[] a) throws Exception {
    int n = 1_000_000;
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) xs.add(i);
    Map<String, List<Double>> res = new TreeMap<>();
    try (Pool pool = Pool.builder().workers(2).threads().build()) {
      for (int r = 0; r < 60; r++) {
        for (String k : new String[] {"seq", "streams", "pool4j"}) {
          System.gc();
          long t0 = System.nanoTime();
          List<Integer> out;
          if (k.equals("seq")) {
            out = new ArrayList<>(n);
            for (Integer x : xs) out.add(x * x);
          } else if (k.equals("streams")) {
            out = xs.parallelStream().map(x -> x * x).toList();
          } else {
            out = pool.map(x -> x * x, xs);
          }
          long t1 = System.nanoTime();
          sink += out.get(n - 1);
          if (r >= 20) res.computeIfAbsent(k, q -> new ArrayList<>()).add((t1 - t0) / (double) n);
        }
      }
    }
    for (var e : res.entrySet()) {
      List<Double> v = e.getValue(); Collections.sort(v);
      System.out.printf("%-8s median %.2f  p10 %.2f  p90 %.2f ns/item%n", e.getKey(), v.get(v.size()/2), v.get(v.size()/10), v.get(v.size()*9/10));
    }
  }
}
