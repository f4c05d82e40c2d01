import dev.pool4j.*;
import java.util.*;
public class First {
  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) xs.add(i);
    List<Long> firsts = new ArrayList<>(), walls = new ArrayList<>(), lasts = new ArrayList<>();
    try (Pool pool = Pool.builder().workers(2).threads().build()) {
      for (int r = 0; r < 200; r++) {
        System.gc();
        long t0 = System.nanoTime();
        List<Integer> out = pool.map(x -> x * x, xs);
        long t1 = System.nanoTime();
        if (r >= 100) {
          Insights in = pool.insights();
          long f = Long.MAX_VALUE, l = 0;
          for (var s : in.spans()) { f = Math.min(f, s.startNanos()); l = Math.max(l, s.endNanos()); }
          firsts.add(f / 1000); lasts.add(l/1000); walls.add((t1 - t0) / 1000);
        }
      }
    }
    Collections.sort(firsts); Collections.sort(walls); Collections.sort(lasts);
    System.out.println("first span start us: p10 " + firsts.get(10) + " med " + firsts.get(50) + " p90 " + firsts.get(90));
    System.out.println("last span end us: p10 " + lasts.get(10) + " med " + lasts.get(50) + " p90 " + lasts.get(90));
    System.out.println("wall us: p10 " + walls.get(10) + " med " + walls.get(50) + " p90 " + walls.get(90));
  }
}
