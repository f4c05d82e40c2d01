package dev.pool4j;

import dev.pool4j.spi.ChunkJob;
import dev.pool4j.spi.PoolBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Platform threads behind the public seam ({@link PoolBackend}): the thread backend written as a
 * user would write one, so that the behaviour suites can run through the seam ({@link
 * PoolFactory#seam()}). {@code workers} threads of its own, each running one chunk at a time, item
 * by item, stopping at the call's limit; {@link #run} waits for a free thread.
 */
final class SeamBackend implements PoolBackend {

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private Semaphore room;
  private volatile boolean terminating;

  @Override
  public int start(int workers) {
    int n = workers > 0 ? workers : Pool.cpuCount();
    room = new Semaphore(n);
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(this::loop, "seam-worker-" + (i + 1));
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    return n;
  }

  @Override
  public void run(ChunkJob job) throws InterruptedException {
    room.acquire();
    if (terminating) {
      room.release();
      job.returned();
      return;
    }
    queue.add(job);
  }

  private void loop() {
    String name = Thread.currentThread().getName();
    for (; ; ) {
      // checked before every wait: a terminate() that came while a task ran may have had its
      // interrupt cleared below, and must still end the thread
      if (terminating) {
        drain();
        return;
      }
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        continue;
      }
      if (!(next instanceof ChunkJob)) {
        return;
      }
      ChunkJob job = (ChunkJob) next;
      try {
        if (terminating) {
          job.returned();
          continue;
        }
        Object[] items = job.items();
        Object[] results = new Object[items.length];
        int valid = 0;
        Throwable failure = null;
        long t0 = System.nanoTime();
        for (; valid < items.length && job.start() + valid < job.limit(); valid++) {
          try {
            results[valid] = job.task().apply(items[valid]);
          } catch (Throwable t) {
            failure = t;
            break;
          }
        }
        job.done(results, valid, failure, name, System.nanoTime() - t0);
        // a task's interrupt must not leak into the next one
        if (!terminating) {
          Thread.interrupted();
        }
      } finally {
        room.release();
      }
    }
  }

  private void drain() {
    for (Object o; (o = queue.poll()) != null; ) {
      if (o instanceof ChunkJob) {
        ((ChunkJob) o).returned();
      }
    }
  }

  @Override
  public void terminate() {
    terminating = true;
    for (Thread t : threads) {
      t.interrupt();
    }
    drain();
  }

  @Override
  public void close() {
    for (int i = 0; i < threads.size(); i++) {
      queue.add(Boolean.FALSE);
    }
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public long targetChunkNanos() {
    return 1_000_000L;
  }

  @Override
  public boolean serializes() {
    return false;
  }

  @Override
  public String toString() {
    return "threads behind the seam";
  }
}
