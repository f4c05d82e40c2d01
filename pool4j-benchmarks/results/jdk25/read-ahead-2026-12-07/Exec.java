import java.util.*;
import java.util.concurrent.*;
public class Exec {
  public static void main(String[] a) throws Exception {
    int n = 20000;
    ExecutorService ex = Executors.newFixedThreadPool(2);
    List<String> res = new ArrayList<>();
    for (int r = 0; r < 12; r++) {
      long calls = 0; long t0 = System.nanoTime(); long end = t0 + 1_000_000_000L; long sum = 0;
      while (System.nanoTime() < end) {
        List<Future<Integer>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) { int x = i; fs.add(ex.submit(() -> x * x)); }
        for (Future<Integer> f : fs) sum += f.get();
        calls++;
      }
      long t1 = System.nanoTime();
      res.add(String.format("%.0f", (t1 - t0) / (double) (calls * n)));
    }
    ex.shutdown();
    System.out.println("executor ns/item: " + res);
  }
}
