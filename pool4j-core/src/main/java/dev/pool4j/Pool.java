package dev.pool4j;

import dev.pool4j.internal.progress.ProgressBar;
import dev.pool4j.internal.progress.Renderer;
import dev.pool4j.internal.scheduler.Call;
import dev.pool4j.internal.scheduler.CallFuture;
import dev.pool4j.internal.scheduler.Cleaners;
import dev.pool4j.internal.scheduler.Input;
import dev.pool4j.internal.scheduler.Mode;
import dev.pool4j.internal.scheduler.ResultsView;
import dev.pool4j.internal.scheduler.Scheduler;
import dev.pool4j.internal.wiring.PoolWiring;
import dev.pool4j.internal.wiring.PoolWiring.Kind;
import dev.pool4j.progress.ProgressOptions;
import dev.pool4j.spi.PoolBackend;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collector;
import java.util.stream.Stream;

/**
 * A pool of workers that runs a task over many inputs in parallel: Python's {@code
 * multiprocessing.Pool} for Java.
 *
 * <pre>{@code
 * try (Pool pool = Pool.create()) {                               // one worker per CPU
 *   List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));  // [1, 4, 9]
 *
 *   for (String page : pool.imap(this::download, urls)) {           // results as they come, in order
 *     System.out.println(page);
 *   }
 * }
 * }</pre>
 *
 * <table border="1">
 *   <caption>Python's calls and their pool4j form</caption>
 *   <tr><th>Python</th><th>pool4j</th></tr>
 *   <tr><td>{@code Pool(4)}</td><td>{@code Pool.create(4)}</td></tr>
 *   <tr><td>{@code pool.map(f, xs)}</td><td>{@code pool.map(f, xs)}</td></tr>
 *   <tr><td>{@code pool.imap(f, xs, chunksize)}</td><td>{@code pool.imap(f, xs, chunksize)}</td></tr>
 *   <tr><td>{@code pool.imap_unordered(f, xs)}</td><td>{@code pool.imapUnordered(f, xs)}</td></tr>
 *   <tr><td>{@code pool.starmap(f, zip(as, bs))}</td><td>{@code pool.starmap(f, as, bs)}</td></tr>
 *   <tr><td>{@code pool.apply(f, (x,))}</td><td>{@code pool.apply(f, x)}</td></tr>
 *   <tr><td>{@code pool.apply_async(f, (x,))}</td><td>{@code pool.applyAsync(f, x)}</td></tr>
 *   <tr><td>{@code pool.map_async(f, xs)}</td><td>{@code pool.mapAsync(f, xs)}</td></tr>
 *   <tr><td>{@code pool.close(); pool.join()}</td><td>{@code pool.close(); pool.join()}</td></tr>
 *   <tr><td>{@code pool.terminate()}</td><td>{@code pool.terminate()}</td></tr>
 * </table>
 *
 * <h2>How a call runs</h2>
 *
 * <p>Inputs are read lazily, by the workers, one chunk at a time; an {@link Iterable}, an {@link
 * Iterator} or a {@link Stream} are all accepted. The chunk size adapts by default: it starts at 1,
 * so that tasks of seconds stream one by one, and grows while tasks are short, so that tasks of
 * nanoseconds are batched; a chunk size given to a call or to the {@link Builder#chunksize builder}
 * fixes it. At most {@link Builder#maxInFlight maxInFlight} chunks of a call are outstanding at
 * once: for {@link #imap imap} and {@link #imapUnordered imapUnordered} until the consumer has
 * taken their results, so an infinite input is fine. Several calls may run at once on one pool,
 * from any threads; they share the workers in turn.
 *
 * <p><b>Failures.</b> A task that throws fails its call with a {@link TaskFailedException} (the
 * cause is the task's exception, {@link TaskFailedException#index()} its input's position): {@code
 * map} throws it and cancels the work not started; {@code imap} first yields every earlier result.
 * An exception thrown by the input's iterator fails the call the same way, at the position it was
 * reading. The pool stays usable. A thread interrupted while it waits for a call (in {@code map},
 * {@code next}, {@code join}) cancels the call, keeps its interrupt flag and gets a {@link
 * CancellationException}.
 *
 * <p><b>Calls from inside tasks.</b> A task may call its own pool, at any depth: on threads and
 * virtual threads a worker whose task waits for such a call ({@code map}, {@code apply}, {@code
 * next}/{@code hasNext} of its results, {@code get}/{@code join} of its future) runs that call's
 * chunks on its own thread meanwhile, so the wait never depends on a free worker. A timed wait
 * there can return late by the length of a chunk it ran. Tasks on worker processes or a cluster
 * cannot reach the pool, which is not serializable.
 *
 * <p><b>Lifecycle.</b> {@link #close()} is graceful (unlike Python's {@code with Pool()}, which
 * terminates): it refuses new calls, and the calls already made run on while their results are
 * consumed. {@link #join()} then waits for them and for the workers to exit. {@link #terminate()}
 * cancels everything. A pool that becomes unreachable is closed. Worker threads are daemon threads,
 * as Python's pool workers are daemon processes: call {@code join()} before {@code main} returns if
 * tasks with side effects must finish.
 *
 * <p><b>Threads and memory.</b> A pool is thread safe. Actions in a thread before it makes a call
 * happen-before the tasks of that call run; the actions of a task happen-before its result is
 * returned by the call.
 */
public final class Pool implements AutoCloseable {

  private final Scheduler engine;
  private final Cleaner.Cleanable closer;

  /** The bar every call of this pool (or view) draws, or null for none. */
  private final ProgressOptions progress;

  /** For a view: the pool it shows, kept reachable so that its cleaner leaves the engine open. */
  private final Pool root;

  /** The per-worker state every task of this pool gets, or null for none. */
  private final WorkerStates.Binding workerState;

  /** Whether tasks run in this JVM (threads, or a plugged backend that does not serialize). */
  private final boolean local;

  private Pool(
      Scheduler engine, ProgressOptions progress, WorkerStates.Binding workerState, boolean local) {
    this.engine = engine;
    this.local = local;
    // the action must not reach this Pool: it closes the engine once the Pool is dropped
    this.closer = Cleaners.register(this, engine::close);
    this.progress = progress;
    this.root = null;
    this.workerState = workerState;
  }

  private Pool(Pool root, ProgressOptions progress) {
    this.engine = root.engine;
    this.closer = root.closer;
    this.progress = progress;
    this.root = root;
    this.workerState = root.workerState;
    this.local = root.local;
  }

  /**
   * Creates a pool of {@link #cpuCount()} platform-thread workers: Python's {@code Pool()}.
   *
   * @return a new pool
   */
  public static Pool create() {
    return builder().build();
  }

  /**
   * Creates a pool of {@code workers} platform-thread workers: Python's {@code Pool(workers)}.
   *
   * @param workers how many tasks run at once, at least 1
   * @return a new pool
   * @throws IllegalArgumentException if {@code workers < 1}
   */
  public static Pool create(int workers) {
    return builder().workers(workers).build();
  }

  /**
   * Returns a builder for a pool with other settings: virtual threads, a task timeout, a fixed
   * chunk size.
   *
   * <pre>{@code
   * Pool pool = Pool.builder().virtualThreads().workers(1_000).taskTimeout(Duration.ofSeconds(30)).build();
   * }</pre>
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the number of processors available to this JVM: Python's {@code os.cpu_count()}, but
   * aware of container limits ({@link Runtime#availableProcessors()}).
   *
   * @return the number of processors, at least 1
   */
  public static int cpuCount() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * Returns the number of workers: how many tasks run at once.
   *
   * @return the number of workers
   */
  public int workers() {
    return engine.config().workers();
  }

  /**
   * Returns where the time of this pool's last finished call went, per worker: start-up, busy and
   * idle time, tasks, mean and max task time, and the call's efficiency. Before any call has
   * finished, insights with no tasks. For one particular lazy call, see {@link Results#insights()}.
   *
   * <pre>{@code
   * pool.map(this::work, inputs);
   * System.err.println(pool.insights());   // a table, one line per worker
   * }</pre>
   *
   * @return the insights of the call that finished last
   */
  public Insights insights() {
    return engine.lastInsights();
  }

  // ------------------------------------------------------------------ progress

  /**
   * Returns this pool with a progress bar on every call: a view that shares this pool's workers and
   * lifecycle (closing either closes both). The bar goes to stderr and looks and behaves as {@code
   * tqdm}'s; it counts done inputs, its total is the input's size when the input is a {@link
   * java.util.Collection}, and it draws its last line before the call returns. {@code apply} and
   * {@code applyAsync} draw none. {@code POOL4J_PROGRESS=0} turns every bar off.
   *
   * <pre>{@code
   * List<Image> thumbnails = pool.withProgress("thumbnails").map(this::shrink, images);
   * // thumbnails:  42%|████▏     | 420/1000 [00:03<00:04, 138.21it/s]
   * }</pre>
   *
   * @return a view of this pool whose calls draw a bar
   */
  public Pool withProgress() {
    return withProgress(ProgressOptions.defaults());
  }

  /**
   * Like {@link #withProgress()}, with a description before the bar.
   *
   * @param description what the bar counts, like tqdm's {@code desc}
   * @return a view of this pool whose calls draw a bar
   */
  public Pool withProgress(String description) {
    Objects.requireNonNull(description, "description");
    return withProgress(ProgressOptions.defaults().desc(description));
  }

  /**
   * Like {@link #withProgress()}, with all of the bar's options: description, unit, unit scaling,
   * ascii, and a total for inputs that are not collections.
   *
   * @param options the bar's options
   * @return a view of this pool whose calls draw a bar
   */
  public Pool withProgress(ProgressOptions options) {
    Objects.requireNonNull(options, "options");
    return new Pool(root == null ? this : root, options);
  }

  /**
   * Returns this pool with no progress bar, for a pool built with {@link Builder#progress()}: a
   * view that shares this pool's workers and lifecycle.
   *
   * @return a view of this pool whose calls draw no bar
   */
  public Pool withoutProgress() {
    return progress == null ? this : new Pool(root == null ? this : root, null);
  }

  private Call.Listener listener(Input input) {
    if (progress == null) {
      return Call.Listener.NONE;
    }
    long total = progress.total().orElse(input.size());
    ProgressBar bar =
        Renderer.forPools()
            .start(
                progress.desc(),
                total,
                progress.unit(),
                progress.unitScale(),
                progress.ascii().orElse(null));
    return new Call.Listener() {
      @Override
      public void completed(long items) {
        bar.add(items);
      }

      @Override
      public void finished() {
        bar.close();
      }
    };
  }

  /** The task as the workers run it: inside the pool's worker state, if it has one. */
  private Task<?, ?> bind(Task<?, ?> task) {
    return workerState == null ? task : new WorkerStates.StateTask(workerState, task);
  }

  private Call submit(Task<?, ?> task, Input input, Mode mode, int chunksize, Call.Sink sink) {
    Call.Listener listener = listener(input);
    try {
      return engine.submit(bind(task), input, mode, chunksize, sink, listener);
    } catch (RuntimeException e) {
      listener.finished();
      throw e;
    }
  }

  // ------------------------------------------------------------------ map

  /**
   * Applies {@code task} to every input in parallel and returns the results in input order,
   * blocking until all are done: Python's {@code pool.map(f, xs)}.
   *
   * <pre>{@code
   * List<Integer> lengths = pool.map(String::length, List.of("a", "bb", "ccc"));   // [1, 2, 3]
   * }</pre>
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily; a {@link java.util.Collection}'s size guides chunking
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order (an empty list for an empty input)
   * @throws TaskFailedException if a task or the input failed; the rest of the call is cancelled
   * @throws CancellationException if the pool was terminated, or the calling thread interrupted
   *     (the call is then cancelled and the interrupt flag kept)
   * @throws IllegalStateException if the pool is closed
   * @throws NullPointerException if {@code task} or {@code inputs} is null
   */
  public <T, R> List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
    return collect(task, Input.of(inputs, "inputs"), 0);
  }

  /**
   * Like {@link #map(Task, Iterable)}, with a fixed chunk size: inputs are sent to workers {@code
   * chunksize} at a time.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   * @throws IllegalArgumentException if {@code chunksize < 1}
   */
  public <T, R> List<R> map(
      Task<? super T, ? extends R> task, Iterable<? extends T> inputs, int chunksize) {
    return collect(task, Input.of(inputs, "inputs"), checkChunksize(chunksize));
  }

  /**
   * Like {@link #map(Task, Iterable)}, over the elements an iterator has left.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   */
  public <T, R> List<R> map(Task<? super T, ? extends R> task, Iterator<? extends T> inputs) {
    return collect(task, Input.of(inputs, "inputs"), 0);
  }

  /**
   * Like {@link #map(Task, Iterable, int)}, over the elements an iterator has left.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   */
  public <T, R> List<R> map(
      Task<? super T, ? extends R> task, Iterator<? extends T> inputs, int chunksize) {
    return collect(task, Input.of(inputs, "inputs"), checkChunksize(chunksize));
  }

  /**
   * Like {@link #map(Task, Iterable)}, over a stream, consumed lazily and closed when the call
   * ends.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   */
  public <T, R> List<R> map(Task<? super T, ? extends R> task, Stream<? extends T> inputs) {
    return collect(task, Input.of(inputs, "inputs"), 0);
  }

  /**
   * Like {@link #map(Task, Iterable, int)}, over a stream, consumed lazily and closed when the call
   * ends.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   */
  public <T, R> List<R> map(
      Task<? super T, ? extends R> task, Stream<? extends T> inputs, int chunksize) {
    return collect(task, Input.of(inputs, "inputs"), checkChunksize(chunksize));
  }

  /**
   * Like {@link #map(Task, Iterable)}, over the results of another call: a pipeline stage.
   *
   * @param task the function to apply
   * @param inputs the results of another call, taken as they come
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   */
  public <T, R> List<R> map(Task<? super T, ? extends R> task, Results<? extends T> inputs) {
    return map(task, (Iterator<? extends T>) inputs);
  }

  /**
   * Like {@link #map(Task, Iterable, int)}, over the results of another call.
   *
   * @param task the function to apply
   * @param inputs the results of another call
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   */
  public <T, R> List<R> map(
      Task<? super T, ? extends R> task, Results<? extends T> inputs, int chunksize) {
    return map(task, (Iterator<? extends T>) inputs, chunksize);
  }

  // ------------------------------------------------------------------ starmap

  /**
   * Applies {@code task} to pairs of inputs, the <i>i</i>-th of {@code firsts} with the <i>i</i>-th
   * of {@code seconds}, and returns the results in order: Python's {@code pool.starmap(f,
   * zip(firsts, seconds))}.
   *
   * <pre>{@code
   * pool.starmap((a, b) -> a * b, List.of(1, 2, 3, 4), List.of(10, 30, 70, 20));   // [10, 60, 210, 80]
   * }</pre>
   *
   * @param task the function of two arguments
   * @param firsts the first arguments, read lazily
   * @param seconds the second arguments, read lazily
   * @param <A> the type of the first arguments
   * @param <B> the type of the second arguments
   * @param <R> the result type
   * @return the results, in input order
   * @throws IllegalArgumentException if the inputs have different lengths: at once when both are
   *     collections, else when the shorter one ends
   * @throws TaskFailedException if a task failed
   */
  public <A, B, R> List<R> starmap(
      BiTask<? super A, ? super B, ? extends R> task,
      Iterable<? extends A> firsts,
      Iterable<? extends B> seconds) {
    Objects.requireNonNull(task, "task");
    return starmap(task, Input.of(firsts, "firsts"), Input.of(seconds, "seconds"));
  }

  /**
   * Like {@link #starmap(BiTask, Iterable, Iterable)}, over two iterators.
   *
   * @param task the function of two arguments
   * @param firsts the first arguments, read lazily
   * @param seconds the second arguments, read lazily
   * @param <A> the type of the first arguments
   * @param <B> the type of the second arguments
   * @param <R> the result type
   * @return the results, in input order
   */
  public <A, B, R> List<R> starmap(
      BiTask<? super A, ? super B, ? extends R> task,
      Iterator<? extends A> firsts,
      Iterator<? extends B> seconds) {
    Objects.requireNonNull(task, "task");
    return starmap(task, Input.of(firsts, "firsts"), Input.of(seconds, "seconds"));
  }

  /**
   * Like {@link #starmap(BiTask, Iterable, Iterable)}, over two streams, closed when the call ends.
   *
   * @param task the function of two arguments
   * @param firsts the first arguments, read lazily
   * @param seconds the second arguments, read lazily
   * @param <A> the type of the first arguments
   * @param <B> the type of the second arguments
   * @param <R> the result type
   * @return the results, in input order
   */
  public <A, B, R> List<R> starmap(
      BiTask<? super A, ? super B, ? extends R> task,
      Stream<? extends A> firsts,
      Stream<? extends B> seconds) {
    Objects.requireNonNull(task, "task");
    return starmap(task, Input.of(firsts, "firsts"), Input.of(seconds, "seconds"));
  }

  /**
   * Like {@link #starmap(BiTask, Iterable, Iterable)}, with a fixed chunk size: pairs are sent to
   * workers {@code chunksize} at a time (Python's {@code pool.starmap(f, zip(as, bs), chunksize)}).
   *
   * <pre>{@code
   * List<Integer> products = pool.starmap((a, b) -> a * b, prices, quantities, 1_000);
   * }</pre>
   *
   * @param task the function of two arguments
   * @param firsts the first arguments, read lazily
   * @param seconds the second arguments, read lazily
   * @param chunksize how many pairs a worker takes at once, at least 1
   * @param <A> the type of the first arguments
   * @param <B> the type of the second arguments
   * @param <R> the result type
   * @return the results, in input order
   * @throws IllegalArgumentException if {@code chunksize < 1}, or the inputs have different lengths
   *     (at once when both are collections, else when the shorter one ends)
   * @throws TaskFailedException if a task failed
   * @throws NullPointerException if {@code task}, {@code firsts} or {@code seconds} is null
   */
  public <A, B, R> List<R> starmap(
      BiTask<? super A, ? super B, ? extends R> task,
      Iterable<? extends A> firsts,
      Iterable<? extends B> seconds,
      int chunksize) {
    Objects.requireNonNull(task, "task");
    return starmap(
        task, Input.of(firsts, "firsts"), Input.of(seconds, "seconds"), checkChunksize(chunksize));
  }

  /**
   * Like {@link #starmap(BiTask, Iterable, Iterable, int)}, over two iterators.
   *
   * @param task the function of two arguments
   * @param firsts the first arguments, read lazily
   * @param seconds the second arguments, read lazily
   * @param chunksize how many pairs a worker takes at once, at least 1
   * @param <A> the type of the first arguments
   * @param <B> the type of the second arguments
   * @param <R> the result type
   * @return the results, in input order
   */
  public <A, B, R> List<R> starmap(
      BiTask<? super A, ? super B, ? extends R> task,
      Iterator<? extends A> firsts,
      Iterator<? extends B> seconds,
      int chunksize) {
    Objects.requireNonNull(task, "task");
    return starmap(
        task, Input.of(firsts, "firsts"), Input.of(seconds, "seconds"), checkChunksize(chunksize));
  }

  /**
   * Like {@link #starmap(BiTask, Iterable, Iterable, int)}, over two streams, closed when the call
   * ends.
   *
   * @param task the function of two arguments
   * @param firsts the first arguments, read lazily
   * @param seconds the second arguments, read lazily
   * @param chunksize how many pairs a worker takes at once, at least 1
   * @param <A> the type of the first arguments
   * @param <B> the type of the second arguments
   * @param <R> the result type
   * @return the results, in input order
   */
  public <A, B, R> List<R> starmap(
      BiTask<? super A, ? super B, ? extends R> task,
      Stream<? extends A> firsts,
      Stream<? extends B> seconds,
      int chunksize) {
    Objects.requireNonNull(task, "task");
    return starmap(
        task, Input.of(firsts, "firsts"), Input.of(seconds, "seconds"), checkChunksize(chunksize));
  }

  /**
   * Like {@link #starmap(BiTask, Iterable, Iterable)}, but returns at once with a future of the
   * results in input order: Python's {@code pool.starmap_async(f, zip(firsts, seconds))}.
   *
   * <p>The future completes on a worker's thread, exceptionally with a {@link TaskFailedException}
   * at the first failure, or with an {@link IllegalArgumentException} when the inputs turn out to
   * have different lengths (at once, from this method, when both are collections). Cancelling it
   * cancels the work not started.
   *
   * <pre>{@code
   * CompletableFuture<List<Double>> totals = pool.starmapAsync((p, q) -> p * q, prices, quantities);
   * totals.thenAccept(this::report);
   * }</pre>
   *
   * @param task the function of two arguments
   * @param firsts the first arguments, read lazily
   * @param seconds the second arguments, read lazily
   * @param <A> the type of the first arguments
   * @param <B> the type of the second arguments
   * @param <R> the result type
   * @return the future results
   * @throws IllegalArgumentException if both inputs are collections of different sizes
   * @throws IllegalStateException if the pool is closed
   * @throws NullPointerException if {@code task}, {@code firsts} or {@code seconds} is null
   */
  public <A, B, R> CompletableFuture<List<R>> starmapAsync(
      BiTask<? super A, ? super B, ? extends R> task,
      Iterable<? extends A> firsts,
      Iterable<? extends B> seconds) {
    Objects.requireNonNull(task, "task");
    return starmapAsync(task, Input.of(firsts, "firsts"), Input.of(seconds, "seconds"), 0);
  }

  /**
   * Like {@link #starmapAsync(BiTask, Iterable, Iterable)}, with a fixed chunk size.
   *
   * @param task the function of two arguments
   * @param firsts the first arguments, read lazily
   * @param seconds the second arguments, read lazily
   * @param chunksize how many pairs a worker takes at once, at least 1
   * @param <A> the type of the first arguments
   * @param <B> the type of the second arguments
   * @param <R> the result type
   * @return the future results
   * @throws IllegalArgumentException if {@code chunksize < 1}
   */
  public <A, B, R> CompletableFuture<List<R>> starmapAsync(
      BiTask<? super A, ? super B, ? extends R> task,
      Iterable<? extends A> firsts,
      Iterable<? extends B> seconds,
      int chunksize) {
    Objects.requireNonNull(task, "task");
    return starmapAsync(
        task, Input.of(firsts, "firsts"), Input.of(seconds, "seconds"), checkChunksize(chunksize));
  }

  /**
   * Like {@link #starmapAsync(BiTask, Iterable, Iterable)}, over two iterators.
   *
   * @param task the function of two arguments
   * @param firsts the first arguments, read lazily
   * @param seconds the second arguments, read lazily
   * @param <A> the type of the first arguments
   * @param <B> the type of the second arguments
   * @param <R> the result type
   * @return the future results
   */
  public <A, B, R> CompletableFuture<List<R>> starmapAsync(
      BiTask<? super A, ? super B, ? extends R> task,
      Iterator<? extends A> firsts,
      Iterator<? extends B> seconds) {
    Objects.requireNonNull(task, "task");
    return starmapAsync(task, Input.of(firsts, "firsts"), Input.of(seconds, "seconds"), 0);
  }

  /**
   * Like {@link #starmapAsync(BiTask, Iterable, Iterable)}, over two streams, closed when the call
   * ends.
   *
   * @param task the function of two arguments
   * @param firsts the first arguments, read lazily
   * @param seconds the second arguments, read lazily
   * @param <A> the type of the first arguments
   * @param <B> the type of the second arguments
   * @param <R> the result type
   * @return the future results
   */
  public <A, B, R> CompletableFuture<List<R>> starmapAsync(
      BiTask<? super A, ? super B, ? extends R> task,
      Stream<? extends A> firsts,
      Stream<? extends B> seconds) {
    Objects.requireNonNull(task, "task");
    return starmapAsync(task, Input.of(firsts, "firsts"), Input.of(seconds, "seconds"), 0);
  }

  private <R> List<R> starmap(BiTask<?, ?, ? extends R> task, Input firsts, Input seconds) {
    return starmap(task, firsts, seconds, 0);
  }

  private <R> List<R> starmap(
      BiTask<?, ?, ? extends R> task, Input firsts, Input seconds, int chunksize) {
    return await(starmapAsync(task, firsts, seconds, chunksize));
  }

  @SuppressWarnings("unchecked")
  private <R> CompletableFuture<List<R>> starmapAsync(
      BiTask<?, ?, ? extends R> task, Input firsts, Input seconds, int chunksize) {
    Input pairs = Input.zip(firsts, seconds);
    CallFuture<List<R>> future = new CallFuture<>(null, Pool::unequalInputs);
    future.bind(submit(new PairTask<>(task), pairs, Mode.COLLECT, chunksize, future));
    return future;
  }

  /** Inputs of unequal lengths are the caller's mistake, not a task's failure. */
  private static RuntimeException unequalInputs(RuntimeException failure) {
    if (failure instanceof TaskFailedException
        && failure.getCause() instanceof Input.UnequalInputsException) {
      return new IllegalArgumentException(failure.getCause().getMessage(), failure.getCause());
    }
    return failure;
  }

  /** A {@link BiTask} as a task over {@code Object[]{first, second}}; serializable like both. */
  private static final class PairTask<R> implements Task<Object[], R> {
    private static final long serialVersionUID = 1L;
    private final BiTask<Object, Object, R> task;

    @SuppressWarnings("unchecked")
    PairTask(BiTask<?, ?, ? extends R> task) {
      this.task = (BiTask<Object, Object, R>) task;
    }

    @Override
    public R apply(Object[] pair) throws Exception {
      return task.apply(pair[0], pair[1]);
    }
  }

  // ------------------------------------------------------------------ imap

  /**
   * Applies {@code task} to every input in parallel and hands out the results lazily, in input
   * order: Python's {@code pool.imap(f, xs)}. Result <i>k</i> is available as soon as results
   * 0..<i>k</i> are done.
   *
   * <p>The call returns at once; work goes on while the results are consumed. The input is read
   * lazily and at most {@link Builder#maxInFlight maxInFlight} chunks are outstanding until their
   * results are taken, so an infinite input is fine. A failing task: every earlier result is handed
   * out, then {@link Results#next()} throws {@link TaskFailedException}.
   *
   * <pre>{@code
   * for (Integer n : pool.imap(Tutorial::waitSec, List.of(1, 5, 3))) {
   *   System.out.println(n);    // 1 after 1 s, 25 after 5 s, 9 right after
   * }
   * }</pre>
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, as they come; close it to cancel the rest
   * @throws IllegalStateException if the pool is closed
   * @throws NullPointerException if {@code task} or {@code inputs} is null
   */
  public <T, R> Results<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.ORDERED, 0);
  }

  /**
   * Like {@link #imap(Task, Iterable)}, with a fixed chunk size. A chunk's results are handed out
   * when the whole chunk is done.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, as they come
   * @throws IllegalArgumentException if {@code chunksize < 1}
   */
  public <T, R> Results<R> imap(
      Task<? super T, ? extends R> task, Iterable<? extends T> inputs, int chunksize) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.ORDERED, checkChunksize(chunksize));
  }

  /**
   * Like {@link #imap(Task, Iterable)}, over the elements an iterator has left.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, as they come
   */
  public <T, R> Results<R> imap(Task<? super T, ? extends R> task, Iterator<? extends T> inputs) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.ORDERED, 0);
  }

  /**
   * Like {@link #imap(Task, Iterable, int)}, over the elements an iterator has left.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, as they come
   */
  public <T, R> Results<R> imap(
      Task<? super T, ? extends R> task, Iterator<? extends T> inputs, int chunksize) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.ORDERED, checkChunksize(chunksize));
  }

  /**
   * Like {@link #imap(Task, Iterable)}, over a stream, consumed lazily and closed when the call
   * ends.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, as they come
   */
  public <T, R> Results<R> imap(Task<? super T, ? extends R> task, Stream<? extends T> inputs) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.ORDERED, 0);
  }

  /**
   * Like {@link #imap(Task, Iterable, int)}, over a stream, consumed lazily and closed when the
   * call ends.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, as they come
   */
  public <T, R> Results<R> imap(
      Task<? super T, ? extends R> task, Stream<? extends T> inputs, int chunksize) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.ORDERED, checkChunksize(chunksize));
  }

  /**
   * Like {@link #imap(Task, Iterable)}, over the results of another call: a pipeline stage.
   *
   * @param task the function to apply
   * @param inputs the results of another call, taken as they come
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, as they come
   */
  public <T, R> Results<R> imap(Task<? super T, ? extends R> task, Results<? extends T> inputs) {
    return imap(task, (Iterator<? extends T>) inputs);
  }

  /**
   * Like {@link #imap(Task, Iterable, int)}, over the results of another call.
   *
   * @param task the function to apply
   * @param inputs the results of another call
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, as they come
   */
  public <T, R> Results<R> imap(
      Task<? super T, ? extends R> task, Results<? extends T> inputs, int chunksize) {
    return imap(task, (Iterator<? extends T>) inputs, chunksize);
  }

  // ------------------------------------------------------------------ imapUnordered

  /**
   * Applies {@code task} to every input in parallel and hands out each result as soon as it is
   * done, in no particular order: Python's {@code pool.imap_unordered(f, xs)}.
   *
   * <p>Lazy like {@link #imap(Task, Iterable)}. A failing task: {@link Results#next()} throws
   * {@link TaskFailedException} as soon as the failure is known, and the rest is cancelled. To stop
   * early, close the results, as in {@link Results}' example.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in completion order
   * @throws IllegalStateException if the pool is closed
   * @throws NullPointerException if {@code task} or {@code inputs} is null
   */
  public <T, R> Results<R> imapUnordered(
      Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.UNORDERED, 0);
  }

  /**
   * Like {@link #imapUnordered(Task, Iterable)}, with a fixed chunk size.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in completion order
   * @throws IllegalArgumentException if {@code chunksize < 1}
   */
  public <T, R> Results<R> imapUnordered(
      Task<? super T, ? extends R> task, Iterable<? extends T> inputs, int chunksize) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.UNORDERED, checkChunksize(chunksize));
  }

  /**
   * Like {@link #imapUnordered(Task, Iterable)}, over the elements an iterator has left.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in completion order
   */
  public <T, R> Results<R> imapUnordered(
      Task<? super T, ? extends R> task, Iterator<? extends T> inputs) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.UNORDERED, 0);
  }

  /**
   * Like {@link #imapUnordered(Task, Iterable, int)}, over the elements an iterator has left.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in completion order
   */
  public <T, R> Results<R> imapUnordered(
      Task<? super T, ? extends R> task, Iterator<? extends T> inputs, int chunksize) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.UNORDERED, checkChunksize(chunksize));
  }

  /**
   * Like {@link #imapUnordered(Task, Iterable)}, over a stream, closed when the call ends.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in completion order
   */
  public <T, R> Results<R> imapUnordered(
      Task<? super T, ? extends R> task, Stream<? extends T> inputs) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.UNORDERED, 0);
  }

  /**
   * Like {@link #imapUnordered(Task, Iterable, int)}, over a stream, closed when the call ends.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in completion order
   */
  public <T, R> Results<R> imapUnordered(
      Task<? super T, ? extends R> task, Stream<? extends T> inputs, int chunksize) {
    return lazy(task, Input.of(inputs, "inputs"), Mode.UNORDERED, checkChunksize(chunksize));
  }

  /**
   * Like {@link #imapUnordered(Task, Iterable)}, over the results of another call.
   *
   * @param task the function to apply
   * @param inputs the results of another call, taken as they come
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in completion order
   */
  public <T, R> Results<R> imapUnordered(
      Task<? super T, ? extends R> task, Results<? extends T> inputs) {
    return imapUnordered(task, (Iterator<? extends T>) inputs);
  }

  /**
   * Like {@link #imapUnordered(Task, Iterable, int)}, over the results of another call.
   *
   * @param task the function to apply
   * @param inputs the results of another call
   * @param chunksize how many inputs a worker takes at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in completion order
   */
  public <T, R> Results<R> imapUnordered(
      Task<? super T, ? extends R> task, Results<? extends T> inputs, int chunksize) {
    return imapUnordered(task, (Iterator<? extends T>) inputs, chunksize);
  }

  // ------------------------------------------------------------------ one input, async

  /**
   * Runs {@code task} on one input on a worker and waits for its result: Python's {@code
   * pool.apply(f, (x,))}.
   *
   * @param task the function to apply
   * @param input its argument (may be null)
   * @param <T> the input type
   * @param <R> the result type
   * @return the task's result
   * @throws TaskFailedException if the task failed (index 0)
   * @throws CancellationException if the pool was terminated or the thread interrupted
   * @throws IllegalStateException if the pool is closed
   */
  public <T, R> R apply(Task<? super T, ? extends R> task, T input) {
    return await(applyAsync(task, input));
  }

  /**
   * Runs {@code task} on one input on a worker: Python's {@code pool.apply_async(f, (x,))}.
   *
   * <p>The future completes on the worker's thread, so dependent stages added without an executor
   * run there; keep them short. It completes exceptionally with a {@link TaskFailedException} when
   * the task fails. Cancelling it cancels the task if it has not started.
   *
   * <pre>{@code
   * CompletableFuture<Report> report = pool.applyAsync(this::buildReport, month);
   * report.thenAccept(this::send);
   * }</pre>
   *
   * @param task the function to apply
   * @param input its argument (may be null)
   * @param <T> the input type
   * @param <R> the result type
   * @return the future result
   * @throws IllegalStateException if the pool is closed
   */
  @SuppressWarnings("unchecked")
  public <T, R> CompletableFuture<R> applyAsync(Task<? super T, ? extends R> task, T input) {
    Objects.requireNonNull(task, "task");
    CallFuture<R> future = new CallFuture<>(list -> (R) list.get(0));
    future.bind(
        engine.submit(
            bind(task), Input.single(input), Mode.COLLECT, 1, future, Call.Listener.NONE));
    return future;
  }

  /**
   * Applies {@code task} to every input in parallel and completes a future with the results in
   * input order: Python's {@code pool.map_async(f, xs)}.
   *
   * <p>The future completes on a worker's thread; it completes exceptionally with a {@link
   * TaskFailedException} at the first failure. Cancelling it cancels the work not started.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the future results
   * @throws IllegalStateException if the pool is closed
   */
  public <T, R> CompletableFuture<List<R>> mapAsync(
      Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
    return collectAsync(task, Input.of(inputs, "inputs"), 0);
  }

  /**
   * Like {@link #mapAsync(Task, Iterable)}, over the elements an iterator has left.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the future results
   */
  public <T, R> CompletableFuture<List<R>> mapAsync(
      Task<? super T, ? extends R> task, Iterator<? extends T> inputs) {
    return collectAsync(task, Input.of(inputs, "inputs"), 0);
  }

  /**
   * Like {@link #mapAsync(Task, Iterable)}, over a stream, closed when the call ends.
   *
   * @param task the function to apply
   * @param inputs the inputs, read lazily
   * @param <T> the input type
   * @param <R> the result type
   * @return the future results
   */
  public <T, R> CompletableFuture<List<R>> mapAsync(
      Task<? super T, ? extends R> task, Stream<? extends T> inputs) {
    return collectAsync(task, Input.of(inputs, "inputs"), 0);
  }

  /**
   * Like {@link #mapAsync(Task, Iterable)}, over the results of another call.
   *
   * @param task the function to apply
   * @param inputs the results of another call
   * @param <T> the input type
   * @param <R> the result type
   * @return the future results
   */
  public <T, R> CompletableFuture<List<R>> mapAsync(
      Task<? super T, ? extends R> task, Results<? extends T> inputs) {
    return mapAsync(task, (Iterator<? extends T>) inputs);
  }

  // ------------------------------------------------------------------ Java idioms

  /**
   * Returns a {@link Collector} that applies {@code task} to a stream's elements on this pool and
   * collects the results in encounter order: {@code stream.collect(pool.mapping(f))}, as {@code
   * map} does for the stream's elements.
   *
   * <pre>{@code
   * List<Integer> lengths = words.stream().filter(w -> !w.isBlank()).collect(pool.mapping(String::length));
   * }</pre>
   *
   * <p>The stream's elements are gathered first (in the calling thread, or by the threads of a
   * parallel stream, whose parts are joined in encounter order), then {@link #map(Task, Iterable)
   * mapped} on the pool when the stream ends, with the chunk size adapting as in {@code map}; so
   * the stream must be finite. An empty stream gives an empty list. The collector may be used any
   * number of times, from any threads.
   *
   * @param task the function to apply
   * @param <T> the element type
   * @param <R> the result type
   * @return a collector of the results, in encounter order
   * @throws NullPointerException if {@code task} is null
   * @throws TaskFailedException from {@code collect}, if a task failed (the index is the element's
   *     position in the stream)
   * @throws IllegalStateException from {@code collect}, if the pool is closed by then
   */
  public <T, R> Collector<T, ?, List<R>> mapping(Task<? super T, ? extends R> task) {
    Objects.requireNonNull(task, "task");
    return collector(task, 0);
  }

  /**
   * Like {@link #mapping(Task)}, with a fixed chunk size.
   *
   * @param task the function to apply
   * @param chunksize how many elements a worker takes at once, at least 1
   * @param <T> the element type
   * @param <R> the result type
   * @return a collector of the results, in encounter order
   * @throws IllegalArgumentException if {@code chunksize < 1}
   */
  public <T, R> Collector<T, ?, List<R>> mapping(Task<? super T, ? extends R> task, int chunksize) {
    Objects.requireNonNull(task, "task");
    return collector(task, checkChunksize(chunksize));
  }

  /** The collector of {@link #mapping(Task)}; {@code chunksize} 0: adaptive. */
  private <T, R> Collector<T, ?, List<R>> collector(Task<? super T, ? extends R> task, int fixed) {
    return Collector.<T, ArrayList<T>, List<R>>of(
        ArrayList::new,
        ArrayList::add,
        (left, right) -> {
          left.addAll(right); // left holds the earlier elements: encounter order is kept
          return left;
        },
        elements -> collect(task, Input.of(elements, "inputs"), fixed));
  }

  /**
   * Returns this pool as an {@link Executor}, for frameworks and APIs that take one ({@code
   * CompletableFuture.supplyAsync(s, executor)}, an HTTP client, a reactive scheduler): each
   * command runs as one task on the pool's workers, beside the pool's other calls. The view starts
   * no thread of its own and holds nothing: it lives and dies with the pool.
   *
   * <pre>{@code
   * Executor executor = pool.asExecutor();
   * CompletableFuture<Page> page = CompletableFuture.supplyAsync(() -> fetch(url), executor);
   * }</pre>
   *
   * <ul>
   *   <li>A command that throws does not harm the pool: as in {@link
   *       java.util.concurrent.ThreadPoolExecutor#execute}, its exception goes to the uncaught
   *       exception handler of the worker thread that ran it (by default, printed to stderr), and
   *       the worker goes on. A command that fails otherwise (past the {@linkplain
   *       Builder#taskTimeout task timeout}, or its worker could not be set up) has its {@link
   *       TaskFailedException} handed to the uncaught exception handler of the thread that learns
   *       of it.
   *   <li>After {@link #close()} or {@link #terminate()}, {@code execute} throws {@link
   *       RejectedExecutionException}. Commands accepted before {@code close()} still run; those
   *       not started when {@code terminate()} is called never run.
   *   <li>Actions in a thread before it calls {@code execute} happen-before the command runs.
   * </ul>
   *
   * <p><b>Note:</b> only for pools whose tasks run in this JVM ({@link Builder#threads()}, {@link
   * Builder#virtualThreads()}, a plugged backend that does not {@linkplain PoolBackend#serializes()
   * serialize}): a command on a worker process or cluster member could change nothing this JVM
   * sees.
   *
   * @return an executor that runs commands on this pool
   * @throws UnsupportedOperationException if this pool runs its tasks in other JVMs
   */
  public Executor asExecutor() {
    if (!local) {
      throw new UnsupportedOperationException(
          "asExecutor() runs Runnables whose effects must be seen in this JVM, and this pool runs"
              + " its tasks in other JVMs ("
              + engine
              + "): use a pool of threads() or virtualThreads() as an Executor");
    }
    return new PoolExecutor(this);
  }

  /** The view {@link #asExecutor()} returns. */
  private static final class PoolExecutor implements Executor {
    private final Pool pool;

    PoolExecutor(Pool pool) {
      this.pool = pool;
    }

    @Override
    public void execute(Runnable command) {
      Objects.requireNonNull(command, "command");
      CompletableFuture<Object> done;
      try {
        if (pool.isClosed()) {
          throw new IllegalStateException("the pool is closed");
        }
        done = pool.applyAsync(PoolExecutor::run, command);
      } catch (IllegalStateException closed) {
        RejectedExecutionException e =
            new RejectedExecutionException(
                "the pool is closed (close() or terminate() was called), so it runs no new"
                    + " command: execute commands before closing it, or use an open pool");
        e.initCause(closed);
        throw e;
      }
      // the command's own exceptions were reported by run(); what is left is a timeout
      done.whenComplete(
          (value, failure) -> {
            if (failure instanceof TaskFailedException) {
              uncaught(failure);
            }
          });
    }

    private static Object run(Runnable command) {
      try {
        command.run();
      } catch (Throwable t) {
        uncaught(t);
      }
      return null;
    }

    private static void uncaught(Throwable t) {
      Thread thread = Thread.currentThread();
      thread.getUncaughtExceptionHandler().uncaughtException(thread, t);
    }

    @Override
    public String toString() {
      return "Executor[" + pool + "]";
    }
  }

  /**
   * Returns the state of the worker running the current task: the value the pool's {@link
   * Builder#workerState(WorkerStateFactory) workerState} factory made for this worker (on the first
   * call of this method by a task of that worker, or before the worker's first task ran). Call it
   * from inside a task; a worker runs one task at a time, so the state needs no locking.
   *
   * <pre>{@code
   * Pool pool = Pool.builder().workerState(() -> new StringBuilder()).build();
   * pool.map(word -> {
   *   StringBuilder scratch = Pool.workerState(StringBuilder.class);   // this worker's own
   *   scratch.setLength(0);
   *   return scratch.append(word).reverse().toString();
   * }, words);
   * }</pre>
   *
   * @param type the state's class, as the factory makes it (or a supertype)
   * @param <S> the state's type
   * @return this worker's state
   * @throws IllegalStateException if the current thread is not running a task of a pool with worker
   *     state
   * @throws ClassCastException if the state is not a {@code type}; the message names both
   * @throws NullPointerException if {@code type} is null
   */
  public static <S> S workerState(Class<S> type) {
    return WorkerStates.current(type);
  }

  /**
   * Returns a task that hands the worker's state ({@link Builder#workerState(WorkerStateFactory)})
   * to {@code task} along with each input: mpire's {@code task(worker_state, x)}. It works with
   * every call ({@code map}, {@code imap}, {@code apply}, {@link #mapping(Task)}, ...) of a pool
   * with worker state; on another pool it fails each input with an {@link IllegalStateException}.
   *
   * <pre>{@code
   * Pool pool = Pool.builder().processes().workerState(() -> Model.load(path)).build();
   * List<Label> labels = pool.map(Pool.withWorkerState(Model.class, (model, image) -> model.classify(image)), images);
   * }</pre>
   *
   * @param type the state's class, as the factory makes it (or a supertype)
   * @param task the task, given the state and the input
   * @param <S> the state's type
   * @param <T> the input type
   * @param <R> the result type
   * @return a task; serializable if {@code task} is
   * @throws NullPointerException if {@code type} or {@code task} is null
   */
  public static <S, T, R> Task<T, R> withWorkerState(
      Class<S> type, StatefulTask<? super S, ? super T, ? extends R> task) {
    return new WorkerStates.WithState<>(type, task);
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Refuses new calls and lets the calls already made finish: Python's {@code pool.close()}.
   * Returns at once and never kills work: {@link Results} taken before it still yield everything.
   * The workers exit when the last call has finished. Idempotent; also what try-with-resources
   * calls, so leaving the block does not cancel anything.
   */
  @Override
  public void close() {
    closer.clean();
  }

  /**
   * Waits until every call has finished and every worker has exited: Python's {@code pool.join()}.
   * Results nobody has consumed yet are kept while it waits (the backpressure window is lifted), so
   * {@code close(); join(); results.toList()} works as in Python.
   *
   * <p><b>Note:</b> with {@code terminate()}, a task that ignores interrupts keeps {@code join()}
   * waiting until it returns: Java cannot kill a thread.
   *
   * @throws IllegalStateException if neither {@link #close()} nor {@link #terminate()} was called,
   *     or if called from one of this pool's tasks
   * @throws CancellationException if the thread is interrupted while waiting: the pool is then
   *     terminated and the interrupt flag kept
   */
  public void join() {
    try {
      engine.join();
    } catch (InterruptedException e) {
      engine.terminate();
      Thread.currentThread().interrupt();
      CancellationException c =
          new CancellationException(
              "interrupted while waiting in join(); the pool was terminated and the thread's"
                  + " interrupt flag is kept");
      c.initCause(e);
      throw c;
    }
  }

  /**
   * Like {@link #join()}, waiting at most {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return {@code true} if the pool terminated, {@code false} if the time ran out
   * @throws IllegalStateException if neither {@link #close()} nor {@link #terminate()} was called
   * @throws CancellationException if interrupted, as {@link #join()}
   */
  public boolean join(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    try {
      return engine.join(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      engine.terminate();
      Thread.currentThread().interrupt();
      CancellationException c =
          new CancellationException("interrupted while waiting in join(); the pool was terminated");
      c.initCause(e);
      throw c;
    }
  }

  /**
   * Stops now: Python's {@code pool.terminate()}. Work not started is cancelled, running tasks are
   * interrupted, and every waiting caller gets a {@link CancellationException}. Returns at once;
   * {@link #join()} waits for the workers to exit. Idempotent.
   */
  public void terminate() {
    closer.clean();
    engine.terminate();
  }

  /**
   * Returns whether {@link #close()} or {@link #terminate()} has been called.
   *
   * @return whether the pool refuses new calls
   */
  public boolean isClosed() {
    return engine.isShutdown();
  }

  /**
   * Returns whether the pool has shut down completely: every call finished, every worker exited.
   *
   * @return whether the pool is terminated
   */
  public boolean isTerminated() {
    return engine.isTerminated();
  }

  @Override
  public String toString() {
    return "Pool[" + engine + "]";
  }

  // ------------------------------------------------------------------ internals

  private <R> List<R> collect(Task<?, ?> task, Input input, int chunksize) {
    return await(collectAsync(task, input, chunksize));
  }

  @SuppressWarnings("unchecked")
  private <R> CompletableFuture<List<R>> collectAsync(Task<?, ?> task, Input input, int chunksize) {
    Objects.requireNonNull(task, "task");
    CallFuture<List<R>> future = new CallFuture<>();
    future.bind(submit(task, input, Mode.COLLECT, chunksize, future));
    return future;
  }

  private <R> Results<R> lazy(Task<?, ?> task, Input input, Mode mode, int chunksize) {
    Objects.requireNonNull(task, "task");
    Call call = submit(task, input, mode, chunksize, null);
    return new ResultsView<>(call);
  }

  /**
   * Waits for a collected call in the caller's thread; failures are rethrown from here, so that
   * their stack trace shows the caller.
   */
  private static <V> V await(CompletableFuture<V> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      CancellationException c =
          new CancellationException(
              "interrupted while waiting for the call; it was cancelled and the thread's"
                  + " interrupt flag is kept");
      c.initCause(e);
      throw c;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TaskFailedException) {
        TaskFailedException failed = (TaskFailedException) cause;
        throw new TaskFailedException(failed.index(), failed.getCause());
      }
      if (cause instanceof CancellationException) {
        CancellationException c = new CancellationException(cause.getMessage());
        c.initCause(cause);
        throw c;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException(cause);
    } catch (CancellationException e) {
      CancellationException c = new CancellationException(e.getMessage());
      c.initCause(e);
      throw c;
    }
  }

  private static int checkChunksize(int chunksize) {
    if (chunksize < 1) {
      throw new IllegalArgumentException(
          "chunksize must be >= 1, was " + chunksize + ": use 1 to send inputs one at a time");
    }
    return chunksize;
  }

  // ------------------------------------------------------------------ builder

  /**
   * Settings for a {@link Pool}. Each setting may be given once; a second time is an {@link
   * IllegalStateException}, so that a mistake in a long chain cannot pass unnoticed.
   *
   * <pre>{@code
   * Pool pool = Pool.builder()
   *     .virtualThreads()
   *     .workers(1_000)
   *     .taskTimeout(Duration.ofSeconds(10))
   *     .build();
   * }</pre>
   */
  public static final class Builder {

    private Kind kind;
    private PoolBackend plugged;
    private int workers;
    private int chunksize;
    private int maxInFlight;
    private Duration taskTimeout;
    private int maxTasksPerWorker;
    private ProgressOptions progress;
    private int retries = -1;
    private List<String> jvmOptions;
    private Map<String, String> environment;
    private String deserializationFilter;
    private WorkerInitializer initializer;
    private WorkerStateFactory<?> workerState;

    /** Null: the default (on, in the default directory). */
    private Boolean classDataSharing;

    private Path cdsDirectory;

    private Builder() {}

    /**
     * Sets the number of workers: how many tasks run at once. Default: {@link #cpuCount()}.
     *
     * @param n at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder workers(int n) {
      if (n < 1) {
        throw new IllegalArgumentException(
            "workers must be >= 1, was " + n + ": use Pool.cpuCount() for one per processor");
      }
      once(workers == 0, "workers", workers);
      workers = n;
      return this;
    }

    /**
     * Runs tasks on platform threads (daemon threads). The default.
     *
     * @return this builder
     */
    public Builder threads() {
      return kind(Kind.THREADS);
    }

    /**
     * Runs tasks on virtual threads (Java 21 and later): cheap enough to have thousands of workers
     * for tasks that mostly wait (I/O, sleeps). Set {@link #workers(int)} to how many should wait
     * at once; the default is still {@link #cpuCount()}.
     *
     * @return this builder; on Java 17 to 20, {@link #build()} throws {@link
     *     UnsupportedOperationException}
     */
    public Builder virtualThreads() {
      return kind(Kind.VIRTUAL_THREADS);
    }

    /**
     * Runs tasks in worker JVMs, one per worker: Python's process pool, for isolation. A task can
     * crash, leak, call {@code System.exit} or run out of memory without harming this JVM or the
     * other workers, and one past the {@link #taskTimeout task timeout} is really stopped (its JVM
     * is killed).
     *
     * <pre>{@code
     * try (Pool pool = Pool.builder().processes().workers(4).jvmOptions("-Xmx512m").build()) {
     *   List<Report> reports = pool.map(Analysis::run, files);
     * }
     * }</pre>
     *
     * <p>Each worker JVM runs this JVM's {@code java} launcher with this JVM's class path (and
     * module path), the {@link #jvmOptions JVM options} and {@link #environment environment} given
     * here, and {@code -XX:+ExitOnOutOfMemoryError}. Workers start in parallel; a call runs as soon
     * as the first one is ready. Tasks, inputs and results travel by Java serialization over a
     * loopback connection (a {@link Task} is {@code Serializable}, so a lambda is too, if what it
     * captures is). The task is sent once per call and worker.
     *
     * <p><b>Failures.</b> A task that cannot be serialized is refused by the call at once, with an
     * {@link IllegalArgumentException} naming the class at fault; an input or result that cannot be
     * serialized fails the call at its index. A task's exception comes back with its class, message
     * and the worker's stack trace, or as a {@link RemoteTaskException} when its class cannot be
     * rebuilt here. A worker that dies is replaced, and its chunk runs again ({@link
     * #retries(int)}) or fails with a {@link WorkerDiedException} cause that gives the exit code
     * and the worker's last lines on stderr. A call never hangs on a dead worker.
     *
     * <p><b>Output.</b> Each line a worker writes to stdout or stderr appears on this JVM's {@code
     * System.out} or {@code System.err}, prefixed with the worker's label ({@code [worker-2] ...};
     * a replacement is {@code worker-2.2}).
     *
     * <p><b>Lifetime.</b> No worker outlives {@code close()} and {@code join()}, {@code
     * terminate()} (which kills them) or this JVM, even when this JVM is killed with {@code kill
     * -9}: a worker whose parent is gone exits within a second.
     *
     * <p><b>Trust.</b> The workers are this JVM's own children; each connects back to a port on the
     * loopback address that accepts one connection, and proves itself with a secret token. Both
     * sides deserialize what the other sends; restrict what with {@link
     * #deserializationFilter(String)}.
     *
     * @return this builder
     */
    public Builder processes() {
      return kind(Kind.PROCESSES);
    }

    /**
     * Runs chunks on a backend from outside pool4j-core, such as a cluster: see {@link PoolBackend}
     * for the seam. The pool's scheduler stays the same (order, chunks, window, failures, retries,
     * progress, insights); the backend only runs chunks.
     *
     * <pre>{@code
     * try (Pool pool = Pool.builder().backend(HazelcastBackend.embedded()).build()) {
     *   List<Integer> squares = pool.map(x -> x * x, inputs);
     * }
     * }</pre>
     *
     * <p>{@link #build()} starts the backend; {@link #workers(int)}, when not set, becomes the
     * capacity the backend reports. {@link #taskTimeout}, {@link #maxTasksPerWorker} and the
     * settings of worker processes do not apply, and {@code build()} refuses them.
     *
     * @param backend a backend not yet started; it serves this pool only
     * @return this builder
     * @throws NullPointerException if {@code backend} is null
     */
    public Builder backend(PoolBackend backend) {
      Objects.requireNonNull(backend, "backend");
      kind(Kind.PLUGGED);
      plugged = backend;
      return this;
    }

    /**
     * Fixes how many inputs a worker takes at once, for every call that does not give its own.
     * Default: adaptive, starting at 1 and growing while tasks are short.
     *
     * @param n at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder chunksize(int n) {
      checkChunksize(n);
      once(chunksize == 0, "chunksize", chunksize);
      chunksize = n;
      return this;
    }

    /**
     * Sets the most chunks one call may have outstanding: read from its input and not yet consumed
     * ({@code imap}, {@code imapUnordered}) or not yet done ({@code map}). It bounds the memory of
     * a call over a huge input. Default: {@code max(16, 4 * workers)} chunks, or 256 inputs when
     * chunks are so small that this allows more (what keeps workers and consumer from waiting on
     * each other is buffered inputs). A value set here is a strict bound. The results of {@code
     * imap} and {@code imapUnordered} are bounded in bytes as well: those held or running stay
     * under an eighth of the heap ({@code -Dpool4j.maxBytesInFlight=BYTES} sets another budget),
     * give or take one chunk, whatever this bound allows.
     *
     * @param n at least 1; fewer than {@code workers} leaves workers idle
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder maxInFlight(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxInFlight must be >= 1, was " + n);
      }
      once(maxInFlight == 0, "maxInFlight", maxInFlight);
      maxInFlight = n;
      return this;
    }

    /**
     * Sets the longest one task may run. A task past it fails its call with a {@link
     * TaskFailedException} whose cause is a {@link java.util.concurrent.TimeoutException}, and its
     * thread is interrupted (a worker process is killed) and replaced, so the pool keeps its
     * workers. Default: no limit.
     *
     * @param d a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code d} is zero or negative
     */
    public Builder taskTimeout(Duration d) {
      Objects.requireNonNull(d, "taskTimeout");
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("taskTimeout must be positive, was " + d);
      }
      once(taskTimeout == null, "taskTimeout", taskTimeout);
      taskTimeout = d;
      return this;
    }

    /**
     * Replaces a worker after it has run {@code n} tasks: Python's {@code maxtasksperchild}, for
     * tasks that leak (a worker JVM, or a thread and its thread locals). Default: never.
     *
     * @param n at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder maxTasksPerWorker(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxTasksPerWorker must be >= 1, was " + n);
      }
      once(maxTasksPerWorker == 0, "maxTasksPerWorker", maxTasksPerWorker);
      maxTasksPerWorker = n;
      return this;
    }

    /**
     * Sets how many times a chunk whose worker died runs again, on a fresh worker, before it fails
     * with a {@link TaskFailedException} whose cause is a {@link WorkerDiedException}. Default: 1.
     * Only worker processes die, and the workers of a {@linkplain #backend(PoolBackend) plugged
     * backend} (a cluster member that leaves); on threads the setting has no effect.
     *
     * <p>A chunk that runs again reports item by item, so a task that kills its worker every time
     * is pinned down to its own index; the results before it stand.
     *
     * <p><b>Note:</b> with retries, a worker process may answer short chunks queued to it together,
     * in one write (results wait at most 1 ms for the next chunk's). When it dies with several of
     * them unanswered, which one it ran is unknown: each runs again, item by item, without using a
     * retry, so a task that kills its worker every time runs once more than {@code n} says before
     * it fails. With {@code 0} a worker answers each chunk at once, and a task runs at most once.
     *
     * @param n at least 0; 0 fails at the first death
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public Builder retries(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("retries must be >= 0, was " + n);
      }
      once(retries < 0, "retries", retries);
      retries = n;
      return this;
    }

    /**
     * Sets options for each worker JVM, such as {@code -Xmx512m} or {@code -Dkey=value}; {@link
     * #processes()} only. They follow the defaults ({@code -XX:+UseSerialGC} unless they choose a
     * collector, {@code -XX:+ExitOnOutOfMemoryError}, {@code -XX:-UsePerfData}), so they win.
     *
     * @param options JVM options, one per element
     * @return this builder
     * @throws NullPointerException if {@code options} or an element is null
     */
    public Builder jvmOptions(String... options) {
      Objects.requireNonNull(options, "options");
      once(jvmOptions == null, "jvmOptions", jvmOptions);
      jvmOptions = List.of(options);
      return this;
    }

    /**
     * Adds environment variables for each worker JVM, to those it inherits from this one; {@link
     * #processes()} only.
     *
     * @param variables names and values
     * @return this builder
     * @throws NullPointerException if {@code variables}, a name or a value is null
     */
    public Builder environment(Map<String, String> variables) {
      Objects.requireNonNull(variables, "environment");
      once(environment == null, "environment", environment);
      environment = Map.copyOf(variables);
      return this;
    }

    /**
     * Sets the filter that both this JVM and the worker JVMs apply when they deserialize what the
     * other sent (tasks and inputs in the workers; results and exceptions here), in the syntax of
     * {@link java.io.ObjectInputFilter.Config#createFilter(String)}; {@link #processes()} only.
     * Default: the JVM-wide filter, in both: this JVM's ({@code -Djdk.serialFilter}, the {@code
     * jdk.serialFilter} security property, or a filter of {@code
     * ObjectInputFilter.Config.createFilter} set with {@code setSerialFilter}) is passed on to each
     * worker JVM as {@code -Djdk.serialFilter}. A JVM-wide filter that is not made from a pattern
     * (a class of your own, a {@code jdk.serialFilterFactory}) cannot be passed on: give its
     * pattern here.
     *
     * <p>A lambda task travels as a {@code java.lang.invoke.SerializedLambda} that names the class
     * the lambda is written in, with the values it captures: the pattern must let in that class
     * (and so, usually, your application's packages), not only the classes of your inputs and
     * results. Your own exception classes the pattern refuses come back as {@link
     * RemoteTaskException}s.
     *
     * <pre>{@code
     * // java.base, and the application's own packages: its lambdas, inputs and results
     * Pool.builder().processes().deserializationFilter("java.base/*;com.example.**;!*").build();
     * }</pre>
     *
     * <p>A refused task fails every index of its call; a refused input or result fails its index,
     * and the pool stays usable.
     *
     * @param pattern a filter pattern
     * @return this builder
     * @throws IllegalArgumentException if the pattern is malformed
     */
    public Builder deserializationFilter(String pattern) {
      Objects.requireNonNull(pattern, "deserializationFilter");
      java.io.ObjectInputFilter.Config.createFilter(pattern);
      once(deserializationFilter == null, "deserializationFilter", deserializationFilter);
      deserializationFilter = pattern;
      return this;
    }

    /**
     * Sets an action that each worker runs once, before its first task: Python's {@code
     * initializer}, for {@link #processes()} (each worker JVM runs it) and for {@link #threads()}
     * and {@link #virtualThreads()} (each worker thread runs it on itself, as Python's {@code
     * ThreadPool(initializer=...)}: thread locals it sets are the worker's); not for a {@linkplain
     * #backend(PoolBackend) plugged backend}, where {@link #workerState(WorkerStateFactory)} does
     * the job. On a worker process, static fields the action sets are per-worker state that tasks
     * can read (see {@link WorkerInitializer}). A worker that replaces another ({@link
     * #maxTasksPerWorker(int)}, a task timeout, a dead process) runs it again.
     *
     * <pre>{@code
     * Pool.builder().processes().initializer(() -> Models.model = Model.load(path)).build();
     * Pool.builder().threads().initializer(() -> Locale.setDefault(Locale.ROOT)).build();
     * }</pre>
     *
     * <p><b>If it throws</b>, on every backend alike: that worker runs no task. The chunk it took
     * runs again on another worker ({@link #retries(int)}), and after the last try the call fails
     * with a {@link TaskFailedException} whose cause is a {@link WorkerDiedException} whose message
     * names the initializer and whose causes include the initializer's exception; the pool stays
     * usable. The failed worker is replaced by a fresh one (a worker thread) or tried again on the
     * next chunk (a worker process), so that an initializer that failed once, on a network error
     * say, may succeed later.
     *
     * @param action the action; serializable for processes
     * @return this builder
     * @throws IllegalArgumentException if the action cannot be serialized (the message names the
     *     class at fault); for processes, when the pool is built
     */
    public Builder initializer(WorkerInitializer action) {
      Objects.requireNonNull(action, "initializer");
      once(initializer == null, "initializer", initializer);
      initializer = action;
      return this;
    }

    /**
     * Gives every worker its own state: a value {@code factory} makes once per worker, the first
     * time the worker runs a task of this pool, and that every task the worker runs then reads with
     * {@link Pool#workerState(Class)}, or takes as an argument through {@link
     * Pool#withWorkerState(Class, StatefulTask)}: mpire's {@code worker_state}. For what is costly
     * to make and not safe to share between threads, or not serializable at all (a parser, a
     * connection, a model with a scratch buffer, a cache), on every backend.
     *
     * <pre>{@code
     * try (Pool pool = Pool.builder().workers(4)
     *     .workerState(() -> MessageDigest.getInstance("SHA-256"))   // one per worker
     *     .build()) {
     *   List<byte[]> hashes = pool.map(
     *       Pool.withWorkerState(MessageDigest.class, (md, file) -> md.digest(Files.readAllBytes(file))),
     *       files);
     * }
     * }</pre>
     *
     * <p><b>What a worker is.</b> On {@link #threads()} and {@link #virtualThreads()}, each worker
     * thread (a worker that replaces another makes its own); in {@link #processes()}, each worker
     * JVM (the factory travels there serialized, with each call's task); on a cluster ({@link
     * #backend(PoolBackend)}), each executor thread of each member, which keeps the states of the
     * last {@value WorkerStates#STATES_PER_THREAD} pools it served. A task that runs a call of its
     * own pool sees the same state in the inner tasks it runs on its thread. The state is only ever
     * used by one task at a time, so it needs no locking; it is not closed by the pool.
     *
     * <p><b>If the factory throws</b> (or returns null), the task that needed the state fails with
     * a {@link TaskFailedException} at its index, whose cause is an {@link IllegalStateException}
     * (a {@link NullPointerException} for null) whose cause is the factory's exception; the next
     * task on that worker tries to make the state again.
     *
     * <p><b>Note:</b> on worker processes and a cluster, a {@linkplain #deserializationFilter
     * deserialization filter} must let in {@code dev.pool4j.*} (the task travels inside a pool4j
     * class) and the factory's classes.
     *
     * @param factory makes one worker's state; serializable for processes and clusters
     * @return this builder
     * @throws NullPointerException if {@code factory} is null
     */
    public Builder workerState(WorkerStateFactory<?> factory) {
      Objects.requireNonNull(factory, "workerState");
      once(workerState == null, "workerState", workerState);
      workerState = factory;
      return this;
    }

    /**
     * Turns the worker JVMs' class-data sharing archive on or off; {@link #processes()} only.
     * Default: on, in {@code $XDG_CACHE_HOME/pool4j}, else {@code ~/.cache/pool4j}.
     *
     * <p>The first worker process of a class path writes the archive when it exits (a dynamic
     * archive of the classes it loaded: {@code -XX:ArchiveClassesAtExit}); every later worker of
     * that class path, in this JVM or another, maps it and starts faster. It is made only when the
     * class path holds nothing but jar files (the JVM archives no classes from directories, so
     * there is none when running from an IDE or from {@code target/classes}) and there is no module
     * path. A jar that changes gets a new archive; the old one is deleted. A worker that cannot use
     * the archive runs without it. The archive is written as the first worker exits on its own (the
     * pool closed and joined, or this JVM exiting); one that {@link Pool#terminate()} or a task
     * timeout kills writes none, and a later worker tries again.
     *
     * <p>Since a worker runs the classes an archive holds, the archive is mapped (or written) only
     * when the account running this JVM owns it and its directory and nobody else may write them,
     * neither is a symbolic link, and every directory above is this account's or root's and
     * writable by nobody else unless it has the sticky bit (as {@code /tmp}); this is checked when
     * the pool is built and again before every worker starts. Otherwise the workers run without the
     * archive, and the pool logs one warning ({@code System.Logger} {@code dev.pool4j.process}; its
     * other archive decisions go there at DEBUG).
     *
     * @param enabled whether the workers use an archive
     * @return this builder
     */
    public Builder classDataSharing(boolean enabled) {
      once(classDataSharing == null, "classDataSharing", classDataSharing);
      classDataSharing = enabled;
      return this;
    }

    /**
     * Keeps the worker JVMs' class-data sharing archive in {@code directory} (created, owner only,
     * if missing), instead of the default cache directory; see {@link #classDataSharing(boolean)};
     * {@link #processes()} only.
     *
     * @param directory the cache directory
     * @return this builder
     * @throws NullPointerException if {@code directory} is null
     */
    public Builder classDataSharing(Path directory) {
      Objects.requireNonNull(directory, "directory");
      once(classDataSharing == null, "classDataSharing", classDataSharing);
      classDataSharing = true;
      cdsDirectory = directory;
      return this;
    }

    /**
     * Draws a progress bar on every call of the pool (see {@link Pool#withProgress()}); {@link
     * Pool#withoutProgress()} gives a view without. Default: no bar.
     *
     * @return this builder
     */
    public Builder progress() {
      return progress(ProgressOptions.defaults());
    }

    /**
     * Draws a progress bar with these options on every call of the pool.
     *
     * @param options the bar's options
     * @return this builder
     */
    public Builder progress(ProgressOptions options) {
      Objects.requireNonNull(options, "options");
      once(progress == null, "progress", progress);
      progress = options;
      return this;
    }

    /**
     * Creates the pool and starts its workers.
     *
     * @return a new pool
     * @throws UnsupportedOperationException for {@link #virtualThreads()} on a JVM older than 21
     */
    public Pool build() {
      PoolWiring.Wired wired =
          PoolWiring.wire(
              new PoolWiring.Settings(
                  kind,
                  plugged,
                  workers,
                  chunksize,
                  maxInFlight,
                  taskTimeout,
                  maxTasksPerWorker,
                  retries,
                  jvmOptions,
                  environment,
                  deserializationFilter,
                  initializer,
                  classDataSharing,
                  cdsDirectory));
      return new Pool(wired.scheduler(), progress, binding(), wired.inThisJvm());
    }

    private WorkerStates.Binding binding() {
      return workerState == null ? null : new WorkerStates.Binding(workerState);
    }

    private Builder kind(Kind k) {
      if (kind != null) {
        throw new IllegalStateException(
            "the backend was already set to "
                + (kind == Kind.PLUGGED ? plugged : kind)
                + "; choose one of threads(), virtualThreads(), processes(), backend(...)");
      }
      kind = k;
      return this;
    }

    private static void once(boolean unset, String name, Object current) {
      if (!unset) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }
  }
}
