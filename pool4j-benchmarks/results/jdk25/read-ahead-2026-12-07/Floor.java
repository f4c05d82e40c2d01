import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
public class Floor {
  public static void main(String[] a) throws Exception {
    int workers = Integer.parseInt(a[0]);
    int n = Integer.parseInt(a[1]);
    boolean virtual = a.length > 2 && a[2].equals("v");
    ThreadFactory tf = virtual ? Thread.ofVirtual().factory() : Thread.ofPlatform().factory();
    // persistent workers claiming items by CAS on a cursor, barrier per round
    for (int r = 0; r < Integer.getInteger("rounds", 6); r++) {
      AtomicInteger cursor = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(workers);
      Thread[] ts = new Thread[workers];
      for (int w = 0; w < workers; w++) {
        ts[w] = tf.newThread(() -> {
          try {
            start.await();
            while (cursor.getAndIncrement() < n) Thread.sleep(1);
          } catch (InterruptedException e) {}
          done.countDown();
        });
        ts[w].start();
      }
      Thread.sleep(200);
      long t0 = System.nanoTime();
      start.countDown();
      done.await();
      long t1 = System.nanoTime();
      double ideal = n * 1e-3 / workers;
      System.out.printf("cas-cursor %s %d workers: %.4f s, eff %.1f%%%n", virtual ? "virtual" : "platform", workers, (t1-t0)/1e9, 100*ideal/((t1-t0)/1e9));
      for (Thread t : ts) t.join();
    }
    // fixed thread pool, invokeAll
    ExecutorService ex = virtual ? Executors.newThreadPerTaskExecutor(tf) : Executors.newFixedThreadPool(workers);
    List<Callable<Integer>> cs = new ArrayList<>();
    for (int i = 0; i < n; i++) { int x = i; cs.add(() -> { Thread.sleep(1); return x; }); }
    for (int r = 0; r < Integer.getInteger("rounds", 6); r++) {
      long t0 = System.nanoTime();
      for (Future<Integer> f : ex.invokeAll(cs)) f.get();
      long t1 = System.nanoTime();
      double ideal = n * 1e-3 / workers;
      System.out.printf("executor %s %d: %.4f s, eff %.1f%%%n", virtual ? "per-task" : "fixed", workers, (t1-t0)/1e9, 100*ideal/((t1-t0)/1e9));
    }
    ex.shutdown();
  }
}
