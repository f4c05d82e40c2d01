package dev.pool4j.internal.scheduler;

import dev.pool4j.Task;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A scheduler's backend and calls for tests of the scheduler alone: a backend whose workers run
 * each chunk with a function of the test, and a collected call whose outcome is a future.
 */
final class TestBackends {

  private TestBackends() {}

  /** A call started by {@link #collect}, and its outcome. */
  record Started(Call call, CompletableFuture<List<Object>> outcome) {}

  /** Settings with {@code workers} workers, a window of 16 chunks, and {@code retries}. */
  static SchedulerConfig config(int workers, int retries) {
    return new SchedulerConfig(workers, 0, 16, 0, null, 0, retries);
  }

  /** A backend whose workers run each chunk with {@code execute}. */
  static Backend backend(Function<Chunk, Integer> execute) {
    return backend(execute, worker -> {});
  }

  /**
   * A backend whose workers run each chunk with {@code execute}, and call {@code stopped} from
   * {@link Worker#stopped()}.
   */
  static Backend backend(Function<Chunk, Integer> execute, Consumer<Worker> stopped) {
    return backend(execute, stopped, false);
  }

  /**
   * {@link #backend(Function, Consumer)}, which {@linkplain Backend#queuesChunks() queues chunks}
   * when {@code queuesChunks}.
   */
  static Backend backend(
      Function<Chunk, Integer> execute, Consumer<Worker> stopped, boolean queuesChunks) {
    return new Backend() {
      @Override
      public boolean queuesChunks() {
        return queuesChunks;
      }

      @Override
      public Worker newWorker(Scheduler scheduler, int id) {
        return new Worker(scheduler, id) {
          @Override
          protected int execute(Chunk chunk) {
            return execute.apply(chunk);
          }

          @Override
          protected void stopped() {
            stopped.accept(this);
          }
        };
      }

      @Override
      public long targetChunkNanos() {
        return 1_000_000;
      }
    };
  }

  /**
   * Starts a collected call over {@code input} in chunks of {@code chunksize}; {@code completed}
   * counts the inputs reported done.
   */
  static Started collect(
      Scheduler scheduler, Iterator<?> input, int chunksize, AtomicLong completed) {
    return collect(scheduler, Input.of(input, "inputs"), chunksize, completed);
  }

  /** {@link #collect(Scheduler, Iterator, int, AtomicLong)} over any input (a list, say). */
  static Started collect(Scheduler scheduler, Input input, int chunksize, AtomicLong completed) {
    CompletableFuture<List<Object>> outcome = new CompletableFuture<>();
    Task<Object, Object> unused = x -> x;
    Call call =
        scheduler.submit(
            unused, input, Mode.COLLECT, chunksize, sink(outcome), listener(completed));
    return new Started(call, outcome);
  }

  /** A collected call's sink that completes {@code outcome}. */
  static Call.Sink sink(CompletableFuture<List<Object>> outcome) {
    return new Call.Sink() {
      @Override
      public void succeeded(List<Object> results) {
        outcome.complete(results);
      }

      @Override
      public void failed(RuntimeException failure) {
        outcome.completeExceptionally(failure);
      }
    };
  }

  /** A call's listener that counts the inputs reported done in {@code completed}. */
  static Call.Listener listener(AtomicLong completed) {
    return new Call.Listener() {
      @Override
      public void completed(long items) {
        completed.addAndGet(items);
      }

      @Override
      public void finished() {}
    };
  }
}
