import dev.pool4j.*;
import dev.pool4j.internal.scheduler.Dbg;
import java.util.*;
public class DbgRun {
  public static void main(String[] a) throws Exception {
    int n = 1_000_000;
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) xs.add(i);
    String[] names = {"enter","submitted","takeReady","read0","read0done","onFinished","recorded","listenerDone","collected","sinkDone","lastDone","S.submit","S.prepared","C.ctor","C.stats","C.window","C.delivery","S.queued","S.signalled","S.unlocked","F.closed"};
    List<long[]> rows = new ArrayList<>();
    try (Pool pool = Pool.builder().workers(2).threads().build()) {
      for (int r = 0; r < Integer.getInteger("calls", 200); r++) {
        if (!Boolean.getBoolean("nogc")) System.gc(); else Thread.sleep(3);
        Dbg.reset();
        long t0 = System.nanoTime();
        List<Integer> out = pool.map(x -> x * x, xs);
        long t1 = System.nanoTime();
        if (r >= Integer.getInteger("calls", 200) - 100) {
          long[] row = new long[22];
          for (int i = 0; i < 21; i++) row[i] = (Dbg.T[i] - t0) / 1000;
          row[21] = (t1 - t0) / 1000;
          rows.add(row);
        }
      }
    }
    for (int i = 0; i < 22; i++) {
      List<Long> v = new ArrayList<>(); for (long[] row : rows) v.add(row[i]); Collections.sort(v);
      System.out.printf("%-14s p10 %6d med %6d p90 %6d us%n", i < 21 ? names[i] : "returned", v.get(10), v.get(50), v.get(90));
    }
  }
}
