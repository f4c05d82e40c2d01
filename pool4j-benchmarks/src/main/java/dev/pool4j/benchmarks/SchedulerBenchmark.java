package dev.pool4j.benchmarks;

import dev.pool4j.Pool;
import dev.pool4j.Task;
import dev.pool4j.spi.ChunkJob;
import dev.pool4j.spi.PoolBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The scheduler alone: how long pool4j takes to hand out, run and collect one chunk whose task does
 * nothing ({@code x -> x}, chunk size 1, so one chunk per item), in nanoseconds per chunk; {@code
 * 1e9 / score} is the chunks per second one pool can hand out. Issue 17, item 3: what one scheduler
 * can feed, on this machine and beyond it (see the README's "The scheduler's ceiling").
 *
 * <p>Through the public API only, so the figure is what a user's call pays:
 *
 * <ul>
 *   <li>{@code backend=threads}: {@code Pool.builder().threads().workers(n)}. A thread worker runs
 *       the chunk on its own thread, so with a no-op task the worker loop is nothing but the
 *       scheduler's path: take a call (the scheduler's lock), read one input (the call's lock),
 *       give the call back (the scheduler's lock), run {@code x -> x}, report (the call's lock, the
 *       delivery to the consumer). Every worker contends for the same two locks.
 *   <li>{@code backend=plugged}: a {@link PoolBackend} that reports each chunk inside {@link
 *       PoolBackend#run}, on the caller's thread: the one dispatcher thread of a plugged backend (a
 *       cluster's), and nothing else. {@code workers} is the capacity it declares (window and chunk
 *       sizes follow it; there is one dispatcher whatever it is).
 *   <li>{@code backend=pluggedQueued}: a {@link PoolBackend} whose {@link PoolBackend#run} puts the
 *       chunk on a bounded queue ({@code 8 * workers}, the depth a cluster keeps per member for
 *       short chunks) that {@code workers} "member" threads take from and report: the dispatcher
 *       and replies from other threads, as with a cluster, without network or serialization.
 * </ul>
 *
 * <p>{@link #map} collects the results ({@code map(task, inputs, 1)}); {@link #imap} takes them in
 * order on the benchmark thread ({@code imap(task, inputs, 1)}). 20,000 chunks per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SchedulerBenchmark.CHUNKS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class SchedulerBenchmark {

  static final int CHUNKS = 20_000;

  /** The no-op task: a static field, no captured state. */
  static final Task<Integer, Integer> IDENTITY = x -> x;

  /** {@code threads}, {@code plugged} or {@code pluggedQueued}: see the class notes. */
  @Param({"threads", "plugged", "pluggedQueued"})
  public String backend;

  /** Thread workers, or the plugged backend's declared capacity (and its member threads). */
  @Param({"1", "2", "4", "8"})
  public int workers;

  private List<Integer> inputs;
  private Pool pool;

  @Setup(Level.Trial)
  public void setUp() {
    inputs = Pools.inputs(CHUNKS);
    switch (backend) {
      case "threads":
        pool = Pool.builder().threads().workers(workers).build();
        break;
      case "plugged":
        pool = Pool.builder().backend(new Inline()).workers(workers).build();
        break;
      case "pluggedQueued":
        pool = Pool.builder().backend(new Queued(workers)).workers(workers).build();
        break;
      default:
        throw new IllegalArgumentException(
            "backend must be threads, plugged or pluggedQueued, was " + backend);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Pools.shutdown(pool);
  }

  /** The pool of the trial, for the test. */
  Pool pool() {
    return pool;
  }

  /** The inputs of every call, for the test. */
  List<Integer> inputs() {
    return inputs;
  }

  @Benchmark
  public List<Integer> map() {
    return pool.map(IDENTITY, inputs, 1);
  }

  @Benchmark
  public void imap(Blackhole bh) {
    for (Integer r : pool.imap(IDENTITY, inputs, 1)) {
      bh.consume(r);
    }
  }

  /** Runs the chunk's no-op task and reports it at once, on the dispatcher's thread. */
  static void runNow(ChunkJob job) {
    Task<Object, Object> task = job.task();
    Object[] items = job.items();
    int n = job.size();
    Object[] results = new Object[n];
    for (int i = 0; i < n; i++) {
      try {
        results[i] = task.apply(items[i]);
      } catch (Exception e) {
        job.done(results, i, e, "no-op", 0);
        return;
      }
    }
    job.done(results, n, null, "no-op", 0);
  }

  /** A plugged backend that runs each chunk inside {@code run}: the dispatcher alone. */
  static final class Inline implements PoolBackend {
    @Override
    public int start(int workers) {
      return Math.max(1, workers);
    }

    @Override
    public void run(ChunkJob job) {
      runNow(job);
    }

    @Override
    public boolean serializes() {
      return false;
    }

    @Override
    public void terminate() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "no-op inline backend";
    }
  }

  /**
   * A plugged backend whose {@code members} threads take chunks from a bounded queue and report
   * them: {@code run} blocks while the queue is full, which paces the dispatcher.
   */
  static final class Queued implements PoolBackend {
    private final int members;
    private final BlockingQueue<ChunkJob> queue;
    private final List<Thread> threads = new ArrayList<>();

    Queued(int members) {
      this.members = members;
      this.queue = new ArrayBlockingQueue<>(8 * members);
    }

    @Override
    public int start(int workers) {
      for (int i = 0; i < members; i++) {
        Thread t = new Thread(this::serve, "no-op-member-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      return members;
    }

    private void serve() {
      try {
        for (; ; ) {
          runNow(queue.take());
        }
      } catch (InterruptedException e) {
        // close(): the pool reported every chunk already
      }
    }

    @Override
    public void run(ChunkJob job) throws InterruptedException {
      queue.put(job);
    }

    @Override
    public boolean serializes() {
      return false;
    }

    @Override
    public void terminate() {
      for (ChunkJob job = queue.poll(); job != null; job = queue.poll()) {
        job.returned();
      }
    }

    @Override
    public void close() {
      for (Thread t : threads) {
        t.interrupt();
      }
      for (Thread t : threads) {
        try {
          t.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    @Override
    public String toString() {
      return "no-op queued backend, " + members + " member threads";
    }
  }
}
