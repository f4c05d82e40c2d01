import dev.pool4j.*;
import java.util.*;
public class Prof {
  public static void main(String[] a) throws Exception {
    int n = 1_000_000;
    List<Integer> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) xs.add(i);
    int sink = 0;
    try (Pool pool = Pool.builder().workers(2).threads().build()) {
      for (int r = 0; r < Integer.parseInt(a[0]); r++) {
        System.gc();
        Thread.sleep(2);
        sink += pool.map(x -> x * x, xs).size();
      }
    }
    System.out.println(sink);
  }
}
