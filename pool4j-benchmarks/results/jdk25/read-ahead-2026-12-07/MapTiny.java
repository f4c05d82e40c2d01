import dev.pool4j.*;
import java.util.*;
public class MapTiny {
  public static void main(String[] a) throws Exception {
    int n = 1_000_000;
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) xs.add(i);
    try (Pool pool = Pool.builder().workers(2).threads().build()) {
      List<String> res = new ArrayList<>();
      for (int r = 0; r < 40; r++) {
        long t0 = System.nanoTime();
        List<Integer> out = pool.map(x -> x * x, xs);
        long t1 = System.nanoTime();
        if (out.size() != n) throw new AssertionError();
        if (r >= 10) res.add(String.format("%.2f", (t1 - t0) / (double) n));
      }
      Collections.sort(res, Comparator.comparingDouble(Double::parseDouble));
      System.out.println("map ns/item sorted: " + res);
    }
  }
}
