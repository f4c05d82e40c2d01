import dev.pool4j.*;
import java.util.*;
public class Imap {
  public static void main(String[] a) throws Exception {
    int n = 20000;
    boolean virtual = a.length > 0 && a[0].equals("v");
    List<Integer> xs = new ArrayList<>();
    for (int i = 0; i < n; i++) xs.add(i);
    Pool.Builder b = Pool.builder().workers(2);
    try (Pool pool = virtual ? b.virtualThreads().build() : b.threads().build()) {
      List<String> res = new ArrayList<>();
      for (int r = 0; r < 12; r++) {
        long calls = 0; long t0 = System.nanoTime(); long end = t0 + 1_000_000_000L;
        long sum = 0;
        while (System.nanoTime() < end) {
          for (Integer y : pool.imap(x -> x * x, xs, 1)) sum += y;
          calls++;
        }
        long t1 = System.nanoTime();
        if (sum != calls * 2666466670000L) throw new AssertionError(sum);
        res.add(String.format("%.0f", (t1 - t0) / (double) (calls * n)));
      }
      System.out.println("imap(1) ns/item: " + res);
    }
  }
}
