import dev.pool4j.*;
import java.util.*;
public class Scale {
  public static void main(String[] a) throws Exception {
    int workers = Integer.parseInt(a[0]);
    int n = Integer.parseInt(a[1]);
    boolean virtual = a.length > 2 && a[2].equals("v");
    List<Integer> xs = new ArrayList<>();
    for (int i = 0; i < n; i++) xs.add(i);
    Pool.Builder b = Pool.builder().workers(workers);
    try (Pool pool = virtual ? b.virtualThreads().build() : b.threads().build()) {
      double best = 0; List<String> effs = new ArrayList<>();
      for (int r = 0; r < Integer.getInteger("rounds", 6); r++) {
        long t0 = System.nanoTime();
        Task<Integer,Integer> t = x -> { Thread.sleep(1); return x; };
        List<Integer> out = pool.map(t, xs);
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) if (out.get(i) != i) throw new AssertionError();
        double ideal = n * 1e-3 / workers;
        effs.add(String.format("%.1f", 100*ideal/((t1-t0)/1e9)));
      }
      System.out.println((virtual ? "virtual " : "platform ") + workers + ": eff% " + effs + " cpu s " + java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime() / 1e9);
    }
  }
}
