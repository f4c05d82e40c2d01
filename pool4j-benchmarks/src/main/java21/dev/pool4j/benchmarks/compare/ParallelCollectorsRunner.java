package dev.pool4j.benchmarks.compare;

import com.pivovarit.collectors.ParallelCollectors;
import dev.pool4j.Task;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.stream.Collector;
import java.util.stream.Stream;

/**
 * {@code com.pivovarit:parallel-collectors} as a contender: {@code ParallelCollectors.parallel(f,
 * executor, parallelism)} for map and {@code parallelToOrderedStream} for imap, or their {@code
 * Batching} forms. Compiled only on a JDK 21+ (the library is Java 21 bytecode) and created by name
 * from {@link Runners#create}.
 */
final class ParallelCollectorsRunner extends Runner {
  private final ExecutorService executor;
  private final int parallelism;
  private final boolean batching;

  ParallelCollectorsRunner(int parallelism, boolean virtual, boolean batching) {
    this.executor =
        virtual
            ? Executors.newVirtualThreadPerTaskExecutor()
            : Executors.newFixedThreadPool(parallelism);
    this.parallelism = parallelism;
    this.batching = batching;
  }

  @Override
  <T> List<? extends Number> map(Task<T, ? extends Number> task, List<T> inputs) {
    Function<T, Number> f = x -> call(task, x);
    Collector<T, ?, java.util.concurrent.CompletableFuture<Stream<Number>>> collector =
        batching
            ? ParallelCollectors.Batching.parallel(f, executor, parallelism)
            : ParallelCollectors.parallel(f, executor, parallelism);
    return inputs.stream().collect(collector).join().toList();
  }

  @Override
  <T> void imap(Task<T, ? extends Number> task, List<T> inputs, int chunksize, LongConsumer sink) {
    ordered(inputs.stream(), x -> call(task, x)).forEach(r -> sink.accept(r.longValue()));
  }

  @Override
  void lazySquares(Iterator<Integer> inputs, long n, LongConsumer sink) {
    Stream<Integer> source = Stream.iterate(0, i -> i + 1).limit(n);
    ordered(source, x -> x * x).forEach(r -> sink.accept(r.longValue()));
  }

  private <T> Stream<Number> ordered(Stream<T> source, Function<T, Number> f) {
    if (batching) {
      return source.collect(
          ParallelCollectors.Batching.parallelToOrderedStream(f, executor, parallelism));
    }
    return source.collect(ParallelCollectors.parallelToOrderedStream(f, executor, parallelism));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
