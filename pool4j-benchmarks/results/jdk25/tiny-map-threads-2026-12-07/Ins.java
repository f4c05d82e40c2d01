import dev.pool4j.*;
import java.util.*;
public class Ins {
  public static void main(String[] a) throws Exception {
    int n = 1_000_000;
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) xs.add(i);
    try (Pool pool = Pool.builder().workers(2).threads().build()) {
      for (int r = 0; r < 300; r++) {
        System.gc();
        long t0 = System.nanoTime();
        List<Integer> out = pool.map(x -> x * x, xs);
        long t1 = System.nanoTime();
        if (r >= 296) {
          Insights in = pool.insights();
          System.out.println("call ns/item " + (t1 - t0) / (double) n + " chunks " + in.spans().size());
          System.out.println(in);
          for (int w = 1; w <= 2; w++) {
            StringBuilder sb = new StringBuilder("w" + w + ": ");
            for (var s : in.spans()) if (s.workerId() == w) sb.append(s.startNanos()/1000).append('+').append((s.endNanos()-s.startNanos())/1000).append('(').append(s.items()).append(") ");
            System.out.println(sb);
          }
        }
      }
    }
  }
}
