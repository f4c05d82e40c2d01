package dev.pool4j.benchmarks.compare;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import dev.pool4j.Task;
import dev.pool4j.hazelcast.HazelcastBackend;
import dev.pool4j.internal.process.ProcessBackend;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The Java contenders a child JVM can run, each in its natural form. */
final class Runners {

  private Runners() {}

  /** Whether this JVM has virtual threads (Java 21+). */
  static boolean hasVirtualThreads() {
    return Runtime.version().feature() >= 21;
  }

  /** A new executor that starts a virtual thread per task, found at run time (Java 21+). */
  static ExecutorService virtualThreadPerTaskExecutor() {
    try {
      Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) m.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new UnsupportedOperationException("virtual threads need Java 21", e);
    }
  }

  /**
   * The runner for a contender id.
   *
   * @param workers workers or parallelism; 0 for the contender's default (the CPU count)
   * @param virtual for the executor and parallel-collectors: a virtual thread per task
   * @param cluster the cluster name, member list and secret file, for {@code pool4j-cluster}
   */
  static Runner create(String id, int workers, boolean virtual, String[] cluster)
      throws ReflectiveOperationException, InterruptedException {
    int cpus = Runtime.getRuntime().availableProcessors();
    switch (id) {
      case "sequential":
        return new Sequential();
      case "pool4j-threads":
        return new Pool4j(builder(workers).threads().build());
      case "pool4j-virtual":
        return new Pool4j(builder(workers).virtualThreads().build());
      case "pool4j-processes":
        return new Pool4j(awaitReady(builder(workers).processes().build()));
      case "pool4j-cluster":
        return new Pool4j(
            Pool.builder()
                .backend(
                    HazelcastBackend.client()
                        .clusterName(cluster[0])
                        .members(cluster[1].split(","))
                        .secretFile(Path.of(cluster[2])))
                .build());
      case "parallel-streams":
        return new Streams();
      case "executor":
        return new OneTaskPerItem(
            virtual
                ? virtualThreadPerTaskExecutor()
                : Executors.newFixedThreadPool(workers > 0 ? workers : cpus));
      case "parallel-collectors":
      case "parallel-collectors-batching":
        // compiled from src/main/java21 only on a JDK 21+; loaded by name so that this class
        // never links against parallel-collectors
        Class<?> type = Class.forName("dev.pool4j.benchmarks.compare.ParallelCollectorsRunner");
        return (Runner)
            type.getDeclaredConstructor(int.class, boolean.class, boolean.class)
                .newInstance(workers > 0 ? workers : cpus, virtual, id.endsWith("-batching"));
      default:
        throw new IllegalArgumentException("unknown contender " + id);
    }
  }

  /**
   * Returns the pool once every worker JVM is ready (started and connected), without running a
   * call: the pool takes work as soon as its first worker is up, a measurement must not include the
   * others' start-up, and the first-call table's call must be the pool's first. Polls every
   * millisecond, which the start-up table's figures rely on.
   *
   * <p>The library states readiness in a call's {@link dev.pool4j.Insights} only (each worker's
   * start-up); without a call, it counts the workers ready in its process backend ({@link
   * ProcessBackend#readyCount()}), reached by reflection as pool4j-core's {@code StartupMain} does
   * (the benchmarks run on the class path).
   */
  static Pool awaitReady(Pool pool) throws InterruptedException {
    ProcessBackend backend = processBackend(pool);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (backend.readyCount() < pool.workers()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only "
                + backend.readyCount()
                + " of "
                + pool.workers()
                + " worker processes were"
                + " ready after 60 s");
      }
      Thread.sleep(1);
    }
    return pool;
  }

  private static ProcessBackend processBackend(Pool pool) {
    try {
      Field engine = Pool.class.getDeclaredField("engine");
      engine.setAccessible(true);
      Object scheduler = engine.get(pool);
      Field backend = scheduler.getClass().getDeclaredField("backend");
      backend.setAccessible(true);
      return (ProcessBackend) backend.get(scheduler);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "cannot reach the pool's process backend (Pool.engine, Scheduler.backend): has"
              + " pool4j-core's internal layout changed? Update Runners.processBackend",
          e);
    }
  }

  private static Pool.Builder builder(int workers) {
    Pool.Builder b = Pool.builder();
    return workers > 0 ? b.workers(workers) : b;
  }

  /** The baseline: a plain for-loop in this thread. */
  static final class Sequential extends Runner {
    @Override
    <T> List<? extends Number> map(Task<T, ? extends Number> task, List<T> inputs) {
      List<Number> out = new ArrayList<>(inputs.size());
      for (T x : inputs) {
        out.add(call(task, x));
      }
      return out;
    }

    @Override
    <T> void imap(
        Task<T, ? extends Number> task, List<T> inputs, int chunksize, LongConsumer sink) {
      for (T x : inputs) {
        sink.accept(call(task, x).longValue());
      }
    }

    @Override
    void lazySquares(Iterator<Integer> inputs, long n, LongConsumer sink) {
      while (inputs.hasNext()) {
        int x = inputs.next();
        sink.accept(x * x);
      }
    }
  }

  /** pool4j on any backend: {@code map}, {@code imap}. */
  static final class Pool4j extends Runner {
    private final Pool pool;

    Pool4j(Pool pool) {
      this.pool = pool;
    }

    @Override
    <T> List<? extends Number> map(Task<T, ? extends Number> task, List<T> inputs) {
      return pool.map(task, inputs);
    }

    @Override
    <T> void imap(
        Task<T, ? extends Number> task, List<T> inputs, int chunksize, LongConsumer sink) {
      Results<? extends Number> results =
          chunksize > 0 ? pool.imap(task, inputs, chunksize) : pool.imap(task, inputs);
      for (Number r : results) {
        sink.accept(r.longValue());
      }
    }

    @Override
    void lazySquares(Iterator<Integer> inputs, long n, LongConsumer sink) {
      for (Integer r : pool.imap(x -> x * x, inputs)) {
        sink.accept(r);
      }
    }

    /**
     * Closes the pool as a program's try-with-resources does: its calls are done, so the workers
     * exit on their own, and the worker JVM that was writing the class-data sharing archive (the
     * first of a class path, see {@link Pool.Builder#classDataSharing(boolean)}) writes it. {@code
     * terminate()}, used here before, kills worker JVMs: no archive was ever written, and every
     * worker process of every table started without one.
     */
    @Override
    public void close() {
      pool.close();
      pool.join();
    }
  }

  /** Java's parallel streams on the common fork-join pool. */
  static final class Streams extends Runner {
    @Override
    <T> List<? extends Number> map(Task<T, ? extends Number> task, List<T> inputs) {
      return inputs.parallelStream().map(x -> call(task, x)).toList();
    }

    @Override
    <T> void imap(
        Task<T, ? extends Number> task, List<T> inputs, int chunksize, LongConsumer sink) {
      inputs.parallelStream()
          .map(x -> call(task, x))
          .forEachOrdered(r -> sink.accept(r.longValue()));
    }

    @Override
    void lazySquares(Iterator<Integer> inputs, long n, LongConsumer sink) {
      Stream<Integer> source =
          StreamSupport.stream(
              Spliterators.spliteratorUnknownSize(inputs, Spliterator.ORDERED), true);
      source.map(x -> x * x).forEach(sink::accept);
    }
  }

  /**
   * An {@code ExecutorService}, one task per item: {@code invokeAll} for map; for imap every item
   * submitted as it is read, then the futures taken in order.
   */
  static final class OneTaskPerItem extends Runner {
    private final ExecutorService executor;

    OneTaskPerItem(ExecutorService executor) {
      this.executor = executor;
    }

    @Override
    <T> List<? extends Number> map(Task<T, ? extends Number> task, List<T> inputs)
        throws Exception {
      List<Callable<Number>> calls = new ArrayList<>(inputs.size());
      for (T x : inputs) {
        calls.add(() -> task.apply(x));
      }
      List<Number> out = new ArrayList<>(inputs.size());
      for (Future<Number> f : executor.invokeAll(calls)) {
        out.add(f.get());
      }
      return out;
    }

    @Override
    <T> void imap(Task<T, ? extends Number> task, List<T> inputs, int chunksize, LongConsumer sink)
        throws Exception {
      drain(submitAll(task, inputs.iterator()), sink);
    }

    @Override
    void lazySquares(Iterator<Integer> inputs, long n, LongConsumer sink) throws Exception {
      // invokeAll takes a collection: the natural form needs every task in a list first
      List<Callable<Integer>> calls = new ArrayList<>();
      while (inputs.hasNext()) {
        int x = inputs.next();
        calls.add(() -> x * x);
      }
      for (Future<Integer> f : executor.invokeAll(calls)) {
        sink.accept(f.get());
      }
    }

    private <T> List<Future<? extends Number>> submitAll(
        Task<T, ? extends Number> task, Iterator<T> inputs) {
      List<Future<? extends Number>> futures = new ArrayList<>();
      while (inputs.hasNext()) {
        T x = inputs.next();
        futures.add(executor.submit(() -> task.apply(x)));
      }
      return futures;
    }

    private static void drain(List<Future<? extends Number>> futures, LongConsumer sink)
        throws Exception {
      for (Future<? extends Number> f : futures) {
        sink.accept(f.get().longValue());
      }
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
