package dev.pool4j.progress;

import static java.util.Objects.requireNonNull;

import dev.pool4j.internal.progress.Meter;
import dev.pool4j.internal.progress.ProgressBar;
import dev.pool4j.internal.progress.Renderer;
import java.util.Collection;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * tqdm for Java: wrap anything you iterate and a progress bar follows it on standard error.
 *
 * <pre>{@code
 * for (Path file : Progress.wrap(files)) {          // tqdm(files)
 *   resize(file);
 * }
 * //  42%|████▏     | 42/100 [00:05<00:07,  8.21it/s]
 *
 * for (Row row : Progress.wrap(rows, ProgressOptions.defaults().desc("Loading").unit("rows"))) {
 *   load(row);
 * }
 * // Loading: 7613rows [00:02, 3805.12rows/s]        (an Iterable of unknown size: no bar)
 *
 * long words = Progress.wrap(Files.lines(book)).filter(l -> !l.isBlank()).count();
 * }</pre>
 *
 * <p><b>What is counted.</b> As in tqdm, an item counts once the loop is done with it: when the
 * next item is asked for (iterables, iterators), or when the stream's later stages have consumed it
 * (streams). The total is a {@link Collection}'s size, a sized stream's size, the total set in
 * {@link ProgressOptions#total(long)}, or unknown; with no total the line shows the count and the
 * rate but no bar and no estimate. A bar starts when iteration starts: each call to the wrapped
 * iterable's {@code iterator()} draws a bar of its own.
 *
 * <p><b>When it closes.</b> The bar draws its final line and stops when the input is exhausted or
 * throws. A loop left part way ({@code break}, {@code return}, an exception of its body) ends its
 * bar when the wrapped iterable or iterator is closed: what {@code wrap} returns is {@link
 * AutoCloseable} ({@link ProgressIterable}, {@link ProgressIterator}, and a stream's bar closes
 * with {@link Stream#close()}), so try-with-resources ends the bar where the loop left it, and what
 * the program prints next lands on a line of its own:
 *
 * <pre>{@code
 * try (ProgressIterable<Job> queue = Progress.wrap(jobs)) {
 *   for (Job job : queue) {
 *     if (!job.run()) {
 *       break;
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>A bar nobody closes ends when its iterator is garbage collected (as tqdm's bar ends when its
 * iterator is deleted), and at the latest when the JVM shuts down: at a normal exit, {@code
 * System.exit}, or Ctrl-C (SIGINT, SIGTERM), a shutdown hook draws every live bar's final line and
 * ends it with a newline, on a terminal and off one (where a bar shorter than five seconds would
 * otherwise print nothing at all).
 *
 * <p><b>A bar of your own.</b> {@link #bar(long, String)} gives tqdm's manual bar: {@link
 * Bar#update(long)}, {@link Bar#setPostfix(java.util.Map)}, {@link Bar#close()}. {@link
 * #write(String)} prints a line above the live bars, like {@code tqdm.write}.
 *
 * <p><b>Where it draws.</b> On a terminal, the line is redrawn in place at most ten times a second,
 * {@code COLUMNS} wide (else the terminal's width, else 80); several bars at once each keep a line
 * of their own. Off a terminal (a log, a pipe, CI), a plain line at most every five seconds and a
 * final line, with no carriage returns. Counting costs one {@link
 * java.util.concurrent.atomic.LongAdder} increment per item; the drawing happens on one shared
 * daemon thread.
 *
 * <p><b>Switching bars off.</b> {@code POOL4J_PROGRESS=0} (or {@code false}, {@code off}, {@code
 * no}) in the environment turns every bar off, wrapped or drawn by a pool; so does tqdm's {@code
 * TQDM_DISABLE=1} when {@code POOL4J_PROGRESS} is unset. The wrapped input is then iterated as it
 * would be unwrapped.
 *
 * <p><b>Threads.</b> A wrapped iterable may be iterated by several threads at once, each with its
 * own iterator and bar; one iterator, like any iterator, is for one thread at a time. A wrapped
 * parallel stream counts from all its threads.
 */
public final class Progress {

  private Progress() {}

  /**
   * Wraps {@code items} so that iterating them draws a progress bar, like {@code tqdm(items)}.
   *
   * <pre>{@code
   * for (String url : Progress.wrap(urls)) {
   *   fetch(url);
   * }
   * }</pre>
   *
   * @param items what to iterate; a {@link Collection} gives the total, anything else draws no bar
   *     but a count and a rate
   * @param <T> the type of the items
   * @return a view of {@code items} that draws a bar on each iteration; closing it ends the bars of
   *     the iterations still running
   * @throws NullPointerException if {@code items} is null
   */
  public static <T> ProgressIterable<T> wrap(Iterable<T> items) {
    return wrap(items, ProgressOptions.defaults());
  }

  /**
   * Wraps {@code items} with a known total, like {@code tqdm(items, total=total)}.
   *
   * <pre>{@code
   * Iterable<Line> lines = log::lines;                      // knows no size
   * for (Line line : Progress.wrap(lines, lineCount)) {
   *   parse(line);
   * }
   * }</pre>
   *
   * @param items what to iterate
   * @param total the number of items expected; negative when unknown
   * @param <T> the type of the items
   * @return a view of {@code items} that draws a bar on each iteration; closing it ends the bars of
   *     the iterations still running
   * @throws NullPointerException if {@code items} is null
   */
  public static <T> ProgressIterable<T> wrap(Iterable<T> items, long total) {
    return wrap(items, ProgressOptions.defaults().total(total));
  }

  /**
   * Wraps {@code items} with a description, a unit or other options, like {@code tqdm(items,
   * desc=..., unit=...)}.
   *
   * <pre>{@code
   * ProgressOptions opts = ProgressOptions.defaults().desc("Resizing").unit("img");
   * for (Path image : Progress.wrap(images, opts)) {
   *   resize(image);
   * }
   * // Resizing:  42%|████▏     | 42/100 [00:05<00:07,  8.21img/s]
   * }</pre>
   *
   * @param items what to iterate
   * @param options how the bar looks, and its total if the input cannot tell
   * @param <T> the type of the items
   * @return a view of {@code items} that draws a bar on each iteration; closing it ends the bars of
   *     the iterations still running
   * @throws NullPointerException if an argument is null
   */
  public static <T> ProgressIterable<T> wrap(Iterable<T> items, ProgressOptions options) {
    return wrap(items, options, Renderer.standard());
  }

  /**
   * Wraps an iterator, like {@code tqdm(iterator)}. The total is unknown unless set in the options;
   * the bar starts now.
   *
   * <pre>{@code
   * Iterator<Record> records = reader.records();
   * Iterator<Record> counted = Progress.wrap(records);
   * while (counted.hasNext()) {
   *   store(counted.next());
   * }
   * }</pre>
   *
   * @param items the iterator to follow; {@link Iterator#remove()} is passed through
   * @param <T> the type of the items
   * @return an iterator over the same items that draws a bar; closing it ends the bar
   * @throws NullPointerException if {@code items} is null
   */
  public static <T> ProgressIterator<T> wrap(Iterator<T> items) {
    return wrap(items, ProgressOptions.defaults());
  }

  /**
   * Wraps an iterator with options; set {@link ProgressOptions#total(long)} when you know how many
   * items it holds.
   *
   * <pre>{@code
   * Iterator<Row> rows = Progress.wrap(cursor, ProgressOptions.defaults().total(rowCount));
   * }</pre>
   *
   * @param items the iterator to follow
   * @param options how the bar looks, and its total
   * @param <T> the type of the items
   * @return an iterator over the same items that draws a bar; closing it ends the bar
   * @throws NullPointerException if an argument is null
   */
  public static <T> ProgressIterator<T> wrap(Iterator<T> items, ProgressOptions options) {
    return wrap(items, options, Renderer.standard());
  }

  /**
   * Wraps a stream, like {@code tqdm} over a generator. The total is the stream's size when it is
   * known ({@code list.stream()}, {@code IntStream.range(...).boxed()}), else unknown. The bar
   * starts when the terminal operation starts, and counts elements after the later stages have
   * consumed them; parallel streams count from every thread.
   *
   * <pre>{@code
   * List<Thumbnail> thumbs = Progress.wrap(images.parallelStream())
   *     .map(Thumbnail::of)
   *     .collect(Collectors.toList());
   * }</pre>
   *
   * <p><b>Note:</b> a short-circuiting stream ({@code findFirst}, {@code anyMatch}, {@code limit})
   * may end before its source does; its bar closes when the stream is closed (use
   * try-with-resources) or garbage collected.
   *
   * @param items the stream to follow; it is consumed, use the returned one
   * @param <T> the type of the elements
   * @return a stream of the same elements, sequential or parallel as {@code items} was
   * @throws NullPointerException if {@code items} is null
   * @throws IllegalStateException if {@code items} was already operated upon
   */
  public static <T> Stream<T> wrap(Stream<T> items) {
    return wrap(items, ProgressOptions.defaults());
  }

  /**
   * Wraps a stream with options.
   *
   * <pre>{@code
   * long bytes = Progress.wrap(Files.lines(log), ProgressOptions.defaults().unit("lines"))
   *     .mapToLong(String::length)
   *     .sum();
   * }</pre>
   *
   * @param items the stream to follow; it is consumed, use the returned one
   * @param options how the bar looks, and its total
   * @param <T> the type of the elements
   * @return a stream of the same elements
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if {@code items} was already operated upon
   */
  public static <T> Stream<T> wrap(Stream<T> items, ProgressOptions options) {
    return wrap(items, options, Renderer.standard());
  }

  /**
   * Starts a bar that you move yourself, like {@code tqdm(total=total, desc=desc)} used by hand.
   * Close it (try-with-resources) to draw its final line.
   *
   * <pre>{@code
   * try (Bar bar = Progress.bar(bytes.length, "Uploading")) {
   *   for (int off = 0; off < bytes.length; off += 4096) {
   *     int n = send(bytes, off, Math.min(4096, bytes.length - off));
   *     bar.update(n);
   *   }
   * }
   * // Uploading: 100%|██████████| 81920/81920 [00:02<00:00, 40112.34it/s]
   * }</pre>
   *
   * @param total the number of items expected, zero or more; {@link #bar(String)} for a bar without
   *     a total
   * @param desc the description in front of the bar; empty for none
   * @return the running bar
   * @throws IllegalArgumentException if {@code total} is negative
   * @throws NullPointerException if {@code desc} is null
   */
  public static Bar bar(long total, String desc) {
    if (total < 0) {
      throw new IllegalArgumentException(
          "total must be >= 0, was "
              + total
              + "; for a bar without a total use Progress.bar(desc)");
    }
    return bar(ProgressOptions.defaults().desc(requireNonNull(desc, "desc")).total(total));
  }

  /**
   * Starts a bar with no total that you move yourself: it shows the count and the rate, like {@code
   * tqdm(desc=desc)} used by hand ({@code Reading: 7613it [00:02, 3805.12it/s]}).
   *
   * @param desc the description in front of the count; empty for none
   * @return the running bar
   * @throws NullPointerException if {@code desc} is null
   */
  public static Bar bar(String desc) {
    return bar(ProgressOptions.defaults().desc(requireNonNull(desc, "desc")).total(-1));
  }

  /**
   * Starts a bar that you move yourself, with options: unit, SI scaling, ASCII, and its total (none
   * unless set).
   *
   * <pre>{@code
   * ProgressOptions opts = ProgressOptions.defaults().desc("Download").unit("B").unitScale(true);
   * try (Bar bar = Progress.bar(opts.total(size))) {
   *   ...
   * }
   * }</pre>
   *
   * @param options how the bar looks, and its total
   * @return the running bar
   * @throws NullPointerException if {@code options} is null
   */
  public static Bar bar(ProgressOptions options) {
    return bar(options, Renderer.standard());
  }

  /**
   * Prints {@code line} to standard output above the live bars, like {@code tqdm.write(line)}: on a
   * terminal the bars are wiped, the line is written, and the bars are drawn again below it, so
   * that a message never lands on a bar's line. Off a terminal the line is simply written.
   *
   * <pre>{@code
   * for (Path file : Progress.wrap(files)) {
   *   if (!Files.isReadable(file)) {
   *     Progress.write("skipped " + file);
   *   }
   * }
   * }</pre>
   *
   * @param line the text, without its newline
   */
  public static void write(String line) {
    Renderer.standard().print(line);
  }

  /**
   * Returns the line that Python's {@code tqdm.format_meter(n, total, elapsed, ncols, prefix,
   * ascii, unit, unit_scale)} returns, character for character (tqdm 4.70.1).
   *
   * <pre>{@code
   * Progress.formatMeter(231, 1000, 392, 0, "", false, "it", false)
   *     // " 23%|██▎       | 231/1000 [06:32<21:44,  1.70s/it]"
   * Progress.formatMeter(10000, -1, 13, 0, "", false, "it", false)
   *     // "10000it [00:13, 769.23it/s]"
   * Progress.formatMeter(100000, -1, 13, 0, "", false, "iB", true)
   *     // "100kiB [00:13, 7.69kiB/s]"
   * }</pre>
   *
   * <p>The line is {@code desc: pct%|bar| n/total [elapsed<remaining, rate]}. Numbers are rounded
   * as Python rounds them (ties to even, {@code 0.125 -> "0.12"}); the rate reads {@code it/s}, or
   * {@code s/it} when slower than one per second, and {@code ?} when unknown. Without a total, or
   * once {@code n} passes it, the line is {@code n unit [elapsed, rate]}. Display widths count East
   * Asian wide characters as two columns and ANSI codes as none, as tqdm does.
   *
   * @param n the number of items done
   * @param total the number of items expected; negative means unknown ({@code None})
   * @param elapsedSeconds seconds since the start
   * @param ncols the width of the whole line in columns; zero or negative means {@code None}: no
   *     limit, and a bar of ten columns
   * @param prefix the description; {@code null} or empty for none
   * @param ascii {@code true} for a bar of {@code #} and digits, {@code false} for Unicode blocks
   * @param unit the unit of {@code n}, such as {@code "it"}
   * @param unitScale show {@code n}, {@code total} and the rate with SI prefixes (k, M, G ...)
   * @return the line, without carriage return or newline
   * @throws NullPointerException if {@code unit} is null
   * @throws IllegalArgumentException if {@code elapsedSeconds} is NaN or infinite (tqdm raises too)
   * @throws ArithmeticException if the remaining time is too large to show (an elapsed time near
   *     {@code 1e300} seconds; tqdm raises {@code OverflowError})
   */
  public static String formatMeter(
      long n,
      long total,
      double elapsedSeconds,
      int ncols,
      String prefix,
      boolean ascii,
      String unit,
      boolean unitScale) {
    return Meter.format(n, total, elapsedSeconds, ncols, prefix, ascii, unit, unitScale);
  }

  // The overloads below take the renderer, so tests can draw into a buffer.

  static <T> ProgressIterable<T> wrap(
      Iterable<T> items, ProgressOptions options, Renderer renderer) {
    requireNonNull(items, "items");
    requireNonNull(options, "options");
    long size = items instanceof Collection ? ((Collection<?>) items).size() : -1;
    return new WrappedIterable<>(items, () -> start(renderer, options, size));
  }

  static <T> ProgressIterator<T> wrap(
      Iterator<T> items, ProgressOptions options, Renderer renderer) {
    requireNonNull(items, "items");
    requireNonNull(options, "options");
    return counting(items, start(renderer, options, -1));
  }

  static <T> Stream<T> wrap(Stream<T> items, ProgressOptions options, Renderer renderer) {
    requireNonNull(items, "items");
    requireNonNull(options, "options");
    Spliterator<T> source = items.spliterator();
    AtomicReference<ProgressBar> started = new AtomicReference<>();
    return StreamSupport.stream(
            () -> {
              ProgressBar bar = start(renderer, options, source.getExactSizeIfKnown());
              started.set(bar);
              AtomicInteger open = new AtomicInteger(1);
              // Every piece of a split stream holds `open`: the bar follows the last of them.
              bar.closeWhenUnreachable(open);
              return new CountingSpliterator<>(source, bar, open);
            },
            source.characteristics(),
            items.isParallel())
        .onClose(
            () -> {
              ProgressBar bar = started.get();
              try {
                if (bar != null) {
                  bar.close();
                }
              } finally {
                items.close();
              }
            });
  }

  static Bar bar(ProgressOptions options, Renderer renderer) {
    requireNonNull(options, "options");
    return new Bar(start(renderer, options, -1));
  }

  private static <T> ProgressIterator<T> counting(Iterator<T> items, ProgressBar bar) {
    CountingIterator<T> counted = new CountingIterator<>(items, bar);
    bar.closeWhenUnreachable(counted);
    return counted;
  }

  private static ProgressBar start(Renderer renderer, ProgressOptions options, long inputSize) {
    return renderer.start(
        options.desc(),
        options.totalFor(inputSize),
        options.unit(),
        options.unitScale(),
        options.asciiOrNull());
  }
}
