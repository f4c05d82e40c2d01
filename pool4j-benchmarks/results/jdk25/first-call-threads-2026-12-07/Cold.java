import dev.pool4j.Pool;
import dev.pool4j.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The cold first map of 1M tiny items on 2 platform threads (or, with the argument "streams",
 * parallel streams), timed between two marker classes (Cold$MarkA, Cold$MarkB), so that
 * -Xlog:class+load shows what the call itself loads. Properties: -Dspans=true prints the call's
 * chunk count, first chunk start, last chunk end, wall and busy time from Pool.insights();
 * -Dchunk=N a fixed chunk size; -Dlogfirst=true sets System.Logger up before the pool;
 * -Dpreload=FILE loads the classes named in FILE first (-Dlink=true: loaded and linked only).
 */
public class Cold {
  static class MarkA {}
  static class MarkB {}
  public static void main(String[] a) throws Exception {
    boolean streams = a.length > 0 && a[0].equals("streams");
    if (Boolean.getBoolean("logfirst")) System.getLogger("dev.pool4j").log(System.Logger.Level.DEBUG, "x");
    Task<Integer, Integer> sq = x -> x * x;
    Pool pool = streams ? null : Pool.builder().workers(2).threads().build();
    List<Integer> xs = new ArrayList<>(1_000_000);
    for (int i = 0; i < 1_000_000; i++) xs.add(i);
    if (System.getProperty("preload") != null) {
      for (String c : java.nio.file.Files.readAllLines(java.nio.file.Path.of(System.getProperty("preload")))) {
        try { if (Boolean.getBoolean("link")) Class.forName(c, false, Cold.class.getClassLoader()).getDeclaredConstructors(); else Class.forName(c, true, Cold.class.getClassLoader()); } catch (Throwable e) { System.out.println("skip " + c); }
      }
    }
    new MarkA();
    long t0 = System.nanoTime();
    List<Integer> r;
    if (streams) {
      r = xs.parallelStream().map(x -> x * x).collect(java.util.stream.Collectors.toList());
    } else {
      int cs = Integer.getInteger("chunk", 0);
      r = cs > 0 ? pool.map(sq, xs, cs) : pool.map(sq, xs);
    }
    long t1 = System.nanoTime();
    new MarkB();
    System.out.printf("%s %.1f ms n=%d%n", streams ? "streams" : "pool4j", (t1 - t0) / 1e6, r.size());
    if (pool != null && Boolean.getBoolean("spans")) {
      dev.pool4j.Insights in = pool.insights();
      long first = Long.MAX_VALUE, last = 0; int n = 0;
      for (dev.pool4j.Insights.Span s : in.spans()) { first = Math.min(first, s.startNanos()); last = Math.max(last, s.endNanos()); n++; }
      System.out.printf("chunks=%d firstStart=%.1f lastEnd=%.1f wall=%.1f busy=%.1f%n", n, first/1e6, last/1e6, in.wallTime().toNanos()/1e6, in.busyTime().toNanos()/1e6);
    }
    if (pool != null) pool.close();
  }
}
