/**
 * pool4j: Python's {@code multiprocessing.Pool} for Java, with {@code tqdm}'s progress bars.
 *
 * <h2>Where to start</h2>
 *
 * <ul>
 *   <li>{@link dev.pool4j.Pool}: the pool and its calls, {@code map}, {@code imap}, {@code
 *       imapUnordered}, {@code starmap}, {@code apply} and their async forms; {@link
 *       dev.pool4j.Pool#builder()} chooses the backend (platform threads, virtual threads, worker
 *       JVMs, or a {@link dev.pool4j.PoolBackend} such as the Hazelcast cluster of {@code
 *       pool4j-hazelcast}) and the settings (workers, chunk size, task timeout, retries,
 *       progress bars).
 *   <li>{@link dev.pool4j.Task} and {@link dev.pool4j.BiTask}: what a call runs; lambdas that may
 *       throw checked exceptions, serializable so that they can travel to worker JVMs.
 *   <li>{@link dev.pool4j.Results}: the lazy results of {@code imap}, an {@link
 *       java.util.Iterator} and {@link java.lang.Iterable} with a timed {@code next}, {@code
 *       stream()} and {@code toList()}.
 *   <li>{@link dev.pool4j.TaskFailedException}: how a failed task reaches the caller, with the
 *       input's index and the task's own exception as its cause ({@link
 *       dev.pool4j.WorkerDiedException} when a worker JVM died, {@link
 *       dev.pool4j.RemoteTaskException} when an exception's class is missing here).
 *   <li>{@link dev.pool4j.Insights}: where the time of a call went, per worker.
 *   <li>{@code dev.pool4j.progress}: {@code Progress.wrap}, tqdm for any {@code Iterable}, and
 *       {@code Progress.formatMeter}, tqdm's meter line character for character.
 * </ul>
 *
 * <pre>{@code
 * try (Pool pool = Pool.create()) {                               // one worker per CPU
 *   List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));  // [1, 4, 9]
 * }
 * }</pre>
 *
 * <p>Everything under {@code dev.pool4j.internal} is private to the library: the module does not
 * export it, and it may change in any release.
 */
package dev.pool4j;
