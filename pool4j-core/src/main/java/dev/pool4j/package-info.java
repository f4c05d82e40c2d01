/**
 * pool4j: Python's {@code multiprocessing.Pool} for Java, with {@code tqdm}'s progress bars.
 *
 * <h2>Where to start</h2>
 *
 * <ul>
 *   <li>{@link dev.pool4j.Pool}: the pool and its calls, {@code map}, {@code imap}, {@code
 *       imapUnordered}, {@code starmap}, {@code apply} and their async forms; {@link
 *       dev.pool4j.Pool#builder()} chooses the backend (platform threads, virtual threads, worker
 *       JVMs, or a {@link dev.pool4j.spi.PoolBackend} such as the Hazelcast cluster of {@code
 *       pool4j-hazelcast}) and the settings (workers, chunk size, task timeout, retries, progress
 *       bars).
 *   <li>{@link dev.pool4j.Task} and {@link dev.pool4j.BiTask}: what a call runs; lambdas that may
 *       throw checked exceptions, serializable so that they can travel to worker JVMs.
 *   <li>{@link dev.pool4j.Results}: the lazy results of {@code imap}, an {@link java.util.Iterator}
 *       and {@link java.lang.Iterable} with a timed {@code next}, {@code stream()} and {@code
 *       toList()}.
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
 * <h2>Logging and the flight recorder</h2>
 *
 * <p>The pool logs through {@link java.lang.System.Logger} (so SLF4J, Log4j or {@code
 * java.util.logging} get the records through their {@code System.LoggerFinder}) under three names:
 * {@code dev.pool4j} (retries, task timeouts on threads, thread workers started and replaced),
 * {@code dev.pool4j.process} (worker processes started, died, killed at a timeout; the class-data
 * sharing archive) and {@code dev.pool4j.hazelcast} (cluster members joining and leaving). A death
 * or a timeout is a {@code WARNING}; a retry, which the pool recovers from by itself, {@code INFO};
 * routine starts and stops {@code DEBUG}. Nothing is logged per item or per chunk.
 *
 * <p>JDK Flight Recorder events, category {@code pool4j}, go to any recording: {@code
 * dev.pool4j.Call} (task class, backend, items, duration, outcome), {@code dev.pool4j.Chunk} (call,
 * first index, size, worker, run time, outcome; by default only chunks of 100 us or more, and a
 * call whose chunks run under an eighth of that has them not timed at all: {@code
 * dev.pool4j.Chunk#threshold=0ms} records every one), {@code dev.pool4j.WorkerStarted}, {@code
 * dev.pool4j.WorkerDied} and {@code dev.pool4j.TaskTimedOut}: {@code java
 * -XX:StartFlightRecording=filename=rec.jfr ...}, then {@code jfr print --events 'dev.pool4j.*'
 * rec.jfr} or JDK Mission Control. Without a recording they cost a flag check.
 *
 * <p>Everything under {@code dev.pool4j.internal} is private to the library: the module does not
 * export it, and it may change in any release.
 */
package dev.pool4j;
