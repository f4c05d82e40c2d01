package dev.pool4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the time of one pool call went, per worker: after {@code mpire}'s insights.
 *
 * <p>Always on: recording costs one update per chunk. Get it with {@link Pool#insights()} (the
 * pool's last finished call) or {@link Results#insights()} (one lazy call, also while it runs).
 * {@link #toString()} is a readable table; this one is from the tutorial's {@code imap} of tasks of
 * 0.3, 1.5 and 0.9 s on 4 workers:
 *
 * <pre>
 * call: 3 tasks in 1.50 s on 4 workers, efficiency 45.0%
 * worker  start-up      tasks   busy       idle       mean task  max task
 *      1  16.01 ms          1   900.11 ms  603.49 ms  900.11 ms  900.11 ms
 *      2  413.07 us         1   1.50 s     294.70 us  1.50 s     1.50 s
 *      3  185.28 us         1   300.16 ms  1.20 s     300.16 ms  300.16 ms
 *      4  186.88 us         0   0.00 us    1.50 s     -          -
 * </pre>
 *
 * <p><b>Note:</b> a task's time is measured one by one in chunks of up to 16 inputs (what the
 * adaptive chunk size gives tasks longer than about 30 microseconds); in larger chunks, the slowest
 * chunk's mean stands for the max task time.
 *
 * <p><b>Timeline.</b> Each call also keeps one small {@link Span} per chunk (who ran it, when, how
 * many items, and how it ended), and {@link #timelineSvg()} draws them: one row per worker, one bar
 * per chunk, idle time as empty space, failures, retries and time-outs in colours of their own. The
 * picture is a self-contained SVG file (no scripts, no external resources) that any browser shows;
 * hovering a bar shows its items and duration:
 *
 * <pre>{@code
 * List<Integer> out = pool.map(task, inputs);
 * pool.insights().writeTimeline(Path.of("target/timeline.svg"));
 * }</pre>
 *
 * <p>So that an endless {@code imap} holds bounded memory, a call keeps the spans of its last
 * {@value #MAX_SPANS} chunks only; {@link #droppedSpans()} counts the older ones, and the picture
 * says so.
 */
public final class Insights {

  /** The most chunk spans a call keeps for its timeline: those of its last chunks. */
  public static final int MAX_SPANS = 10_000;

  private final Duration wallTime;
  private final int poolWorkers;
  private final List<WorkerStats> workers;
  private final List<Span> spans;
  private final long droppedSpans;

  /**
   * Creates a snapshot; for the library's use.
   *
   * @param wallTime from the call's start to its end (or to now, while it runs)
   * @param poolWorkers the pool's number of workers
   * @param workers the workers' figures, by id
   */
  public Insights(Duration wallTime, int poolWorkers, List<WorkerStats> workers) {
    this(wallTime, poolWorkers, workers, List.of(), 0);
  }

  /**
   * Creates a snapshot with the chunks' spans; for the library's use.
   *
   * @param wallTime from the call's start to its end (or to now, while it runs)
   * @param poolWorkers the pool's number of workers
   * @param workers the workers' figures, by id
   * @param spans the spans of the call's last chunks, at most {@link #MAX_SPANS}
   * @param droppedSpans how many older spans were not kept
   */
  public Insights(
      Duration wallTime,
      int poolWorkers,
      List<WorkerStats> workers,
      List<Span> spans,
      long droppedSpans) {
    this.wallTime = wallTime;
    this.poolWorkers = poolWorkers;
    this.workers = Collections.unmodifiableList(new ArrayList<>(workers));
    this.spans = List.copyOf(spans);
    this.droppedSpans = droppedSpans;
  }

  /**
   * Returns the spans of the call's chunks, in the order the scheduler heard of them: of the last
   * {@value #MAX_SPANS} chunks at most (see {@link #droppedSpans()}).
   *
   * @return one span per chunk run (a chunk run again after its worker was lost has one per run)
   */
  public List<Span> spans() {
    return spans;
  }

  /**
   * Returns how many chunk spans of the call were not kept, beyond the last {@value #MAX_SPANS}.
   *
   * @return the count of older spans left out of {@link #spans()}
   */
  public long droppedSpans() {
    return droppedSpans;
  }

  /**
   * Returns the call's wall time, from its start to its last task (or to now while it runs).
   *
   * @return the wall time
   */
  public Duration wallTime() {
    return wallTime;
  }

  /**
   * Returns the figures of every worker of the pool during the call, by worker id; a worker that
   * ran nothing of it shows zero tasks.
   *
   * @return one entry per worker
   */
  public List<WorkerStats> workers() {
    return workers;
  }

  /**
   * Returns the number of tasks run.
   *
   * @return the sum of the workers' task counts
   */
  public long tasks() {
    long n = 0;
    for (WorkerStats w : workers) {
      n += w.tasks();
    }
    return n;
  }

  /**
   * Returns the time the workers spent running the call's tasks, added up.
   *
   * @return the total busy time
   */
  public Duration busyTime() {
    Duration d = Duration.ZERO;
    for (WorkerStats w : workers) {
      d = d.plus(w.busy());
    }
    return d;
  }

  /**
   * Returns busy time / (workers x wall time): 1.0 when every worker ran the call's tasks all
   * along; low values mean idle workers (too few inputs, a slow input, a slow consumer, or a long
   * tail).
   *
   * @return the efficiency, from 0 to 1
   */
  public double efficiency() {
    double wall = wallTime.toNanos();
    if (wall <= 0 || poolWorkers == 0) {
      return 0;
    }
    return Math.min(1.0, busyTime().toNanos() / (poolWorkers * wall));
  }

  /** Returns the figures as a table, one line per worker. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "call: %d %s in %s on %d workers, efficiency %.1f%%%n",
            tasks(),
            tasks() == 1 ? "task" : "tasks",
            format(wallTime),
            poolWorkers,
            100 * efficiency()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%6s  %-10s %8s   %-10s %-10s %-10s %-10s%n",
            "worker",
            "start-up",
            "tasks",
            "busy",
            "idle",
            "mean task",
            "max task"));
    for (WorkerStats w : workers) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%6s  %-10s %8d   %-10s %-10s %-10s %-10s%n",
              // a place a plugged backend names (a member's address) is shown by its name
              w.name().equals("worker-" + w.id()) ? Integer.toString(w.id()) : w.name(),
              // a worker that was never ready has no start-up time to show
              w.startup().isZero() ? "-" : format(w.startup()),
              w.tasks(),
              format(w.busy()),
              format(w.idle()),
              w.tasks() == 0 ? "-" : format(w.meanTask()),
              w.tasks() == 0 ? "-" : format(w.maxTask())));
    }
    // no line ends in the padding of its last column
    return sb.toString().replaceAll("(?m) +$", "");
  }

  /**
   * Draws the call's chunks as a timeline: a self-contained SVG document, one row per worker (named
   * as in {@link #workers()}), one bar per {@linkplain #spans() span}, coloured by its {@link
   * Outcome}, idle time as empty space, a time axis from the call's start, and a legend. Each bar's
   * {@code <title>} (a browser's tooltip) gives its items, duration and outcome. Names and all
   * other text are XML-escaped: a name a cluster member gives cannot break the document.
   *
   * @return the SVG document
   */
  public String timelineSvg() {
    return Timeline.svg(this);
  }

  /**
   * Writes {@link #timelineSvg()} to a file, in UTF-8, replacing it; open it in a browser.
   *
   * <pre>{@code
   * pool.insights().writeTimeline(Path.of("target/timeline.svg"));
   * }</pre>
   *
   * @param file where to write; its folder must exist
   * @throws IOException if the file cannot be written
   */
  public void writeTimeline(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Files.writeString(file, timelineSvg(), StandardCharsets.UTF_8);
  }

  /** How a run of a chunk ended, as the timeline colours it. */
  public enum Outcome {
    /** Every item of the chunk ran (or those the call still needed). */
    OK,
    /** An item failed: the chunk's results stop before it. */
    FAILED,
    /** Its worker was lost (a worker process died) and the chunk was handed back to run again. */
    RETRIED,
    /** An item ran past the pool's task timeout. */
    TIMED_OUT
  }

  /**
   * One run of one chunk: where it ran, when, how many items, how it ended. Times are nanoseconds
   * from the call's start; the end is when the scheduler heard of the outcome, the start that less
   * the time the chunk took where it ran.
   *
   * @param worker where the chunk ran, as {@link WorkerStats#name()} names it
   * @param workerId the worker's id in its pool, as {@link WorkerStats#id()}
   * @param startNanos when the chunk began, from the call's start
   * @param endNanos when it ended, from the call's start
   * @param items the items it ran (up to and including a failed one)
   * @param outcome how it ended
   */
  public record Span(
      String worker, int workerId, long startNanos, long endNanos, int items, Outcome outcome) {
    /**
     * Checks the span.
     *
     * @throws NullPointerException if {@code worker} or {@code outcome} is null
     */
    public Span {
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * Returns how long the chunk ran.
     *
     * @return {@code endNanos - startNanos}
     */
    public Duration duration() {
      return Duration.ofNanos(endNanos - startNanos);
    }
  }

  static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
    if (nanos >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f us", nanos / 1e3);
  }

  /** One worker's figures during a call. */
  public static final class WorkerStats {
    private final int id;
    private final String name;
    private final Duration startup;
    private final Duration busy;
    private final Duration idle;
    private final long tasks;
    private final Duration maxTask;

    /**
     * Creates the figures; for the library's use.
     *
     * @param id the worker's id in its pool
     * @param startup from the pool's creation until the worker was ready
     * @param busy time spent running the call's tasks
     * @param idle the call's wall time less {@code busy}
     * @param tasks tasks run
     * @param maxTask the longest task
     */
    public WorkerStats(
        int id, Duration startup, Duration busy, Duration idle, long tasks, Duration maxTask) {
      this("worker-" + id, id, startup, busy, idle, tasks, maxTask);
    }

    /**
     * Creates the figures of a named worker; for the library's use. A {@linkplain
     * dev.pool4j.spi.PoolBackend plugged backend} names where a chunk ran (a cluster member's
     * address, say), and each name gets its own figures.
     *
     * @param name where the tasks ran
     * @param id the worker's id in its pool
     * @param startup from the pool's creation until the worker was ready; zero for a worker not
     *     ready yet (shown as {@code -})
     * @param busy time spent running the call's tasks
     * @param idle the call's wall time less {@code busy}
     * @param tasks tasks run
     * @param maxTask the longest task; taken as the mean task time when below it
     */
    public WorkerStats(
        String name,
        int id,
        Duration startup,
        Duration busy,
        Duration idle,
        long tasks,
        Duration maxTask) {
      this.name = java.util.Objects.requireNonNull(name, "name");
      this.id = id;
      this.startup = startup;
      this.busy = busy;
      this.idle = idle;
      this.tasks = tasks;
      // the busy time holds a little of the chunks' own cost besides their tasks': the longest
      // task is shown as at least the mean, which it always is
      Duration mean = mean(busy, tasks);
      this.maxTask = maxTask.compareTo(mean) < 0 ? mean : maxTask;
    }

    /**
     * Returns the worker's id in its pool (a replaced worker gets a new one).
     *
     * @return the id
     */
    public int id() {
      return id;
    }

    /**
     * Returns the worker's name: {@code worker-<id>} for the built-in backends, or what a plugged
     * backend calls the place a chunk ran ({@code [10.0.0.7]:5701} for a cluster member).
     *
     * @return the name
     */
    public String name() {
      return name;
    }

    /**
     * Returns how long the worker took to be ready, from the pool's creation (or its own start, for
     * a replacement).
     *
     * @return the start-up time
     */
    public Duration startup() {
      return startup;
    }

    /**
     * Returns the time the worker spent running the call's tasks.
     *
     * @return the busy time
     */
    public Duration busy() {
      return busy;
    }

    /**
     * Returns the call's wall time less the busy time: waiting for work, or for the consumer.
     *
     * @return the idle time
     */
    public Duration idle() {
      return idle;
    }

    /**
     * Returns the number of the call's tasks the worker ran.
     *
     * @return the task count
     */
    public long tasks() {
      return tasks;
    }

    /**
     * Returns the mean task time.
     *
     * @return busy time / tasks, or zero without tasks
     */
    public Duration meanTask() {
      return mean(busy, tasks);
    }

    /**
     * {@code total / count}, rounded toward zero; zero when {@code count} is 0. Not {@link
     * Duration#dividedBy(long)}, which divides a {@code BigDecimal}: in a fresh JVM, loading and
     * interpreting it took about 20 ms at the end of the first call, every call making these stats.
     */
    private static Duration mean(Duration total, long count) {
      if (count == 0) {
        return Duration.ZERO;
      }
      try {
        return Duration.ofNanos(total.toNanos() / count);
      } catch (ArithmeticException overflow) {
        // over 292 years: only a hand-made WorkerStats gets here
        return total.dividedBy(count);
      }
    }

    /**
     * Returns the longest task (see the note on {@link Insights} for large chunks).
     *
     * @return the max task time
     */
    public Duration maxTask() {
      return maxTask;
    }

    @Override
    public String toString() {
      return name + ": " + tasks + " tasks, busy " + format(busy);
    }
  }
}
