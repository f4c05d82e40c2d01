package dev.pool4j.progress;

import static java.util.Objects.requireNonNull;

import dev.pool4j.internal.progress.ProgressBar;
import java.util.Map;
import java.util.Objects;

/**
 * A progress bar you move yourself, like tqdm's manual bar ({@code with tqdm(total=100) as bar:
 * bar.update(10)}), from {@link Progress#bar(long, String)}.
 *
 * <pre>{@code
 * try (Bar bar = Progress.bar(files.size(), "Copying")) {
 *   for (Path file : files) {
 *     long copied = copy(file);
 *     bar.update(1);
 *     bar.setPostfix(Map.of("MB", copied / 1e6));
 *     if (copied == 0) {
 *       bar.write("empty: " + file);    // a line above the bar, like tqdm.write
 *     }
 *   }
 * }
 * // empty: /data/a.txt
 * // Copying: 100%|██████████| 42/42 [00:03<00:00, 13.91it/s, MB=1.5]
 * }</pre>
 *
 * <p>The bar draws on standard error as {@link Progress#wrap(Iterable) wrapped} iterations do: in
 * place on a terminal at most ten times a second, as plain lines at most every five seconds
 * elsewhere, and not at all when bars are switched off ({@code POOL4J_PROGRESS=0}). {@link
 * #close()} draws the final line and ends it with a newline; a bar that is never closed is closed
 * when it is garbage collected, or at the latest when the JVM exits (normally, by {@code
 * System.exit}, or by Ctrl-C).
 *
 * <p><b>Threads.</b> Every method is safe from any thread; {@link #update} from many threads at
 * once costs one {@link java.util.concurrent.atomic.LongAdder} increment each.
 */
public final class Bar implements AutoCloseable {

  private final ProgressBar bar;

  Bar(ProgressBar bar) {
    this.bar = bar;
    bar.closeWhenUnreachable(this);
  }

  /** Counts one more item done, like {@code bar.update()}. */
  public void update() {
    bar.add(1);
  }

  /**
   * Counts {@code n} more items done, like {@code bar.update(n)}. As in tqdm, a negative {@code n}
   * moves the bar back. No effect once the bar is closed.
   *
   * @param n the number of items
   */
  public void update(long n) {
    bar.add(n);
  }

  /** The items counted so far, like tqdm's {@code bar.n}. */
  public long count() {
    return bar.count();
  }

  /**
   * Writes {@code line} to standard output above the live bars, like {@code tqdm.write}: on a
   * terminal every bar is wiped, the line written, and the bars drawn again below it, so a message
   * never lands on a bar's line; elsewhere the line is simply written. Works on a closed bar, and
   * when bars are switched off. Same as {@link Progress#write(String)}.
   *
   * @param line the text, without its newline
   */
  public void write(String line) {
    bar.write(line);
  }

  /**
   * Sets the text shown after the rate, like tqdm's {@code set_postfix_str}: {@code setPostfix("eta
   * ok")} shows {@code [00:01<00:04, 30.26it/s, eta ok]}. Drawn at the next frame.
   *
   * @param postfix the text; empty for none
   * @throws NullPointerException if {@code postfix} is null
   */
  public void setPostfix(String postfix) {
    bar.setPostfix(requireNonNull(postfix, "postfix"));
  }

  /**
   * Sets {@code key=value} pairs shown after the rate, like tqdm's {@code
   * set_postfix(ordered_dict)}: in the map's iteration order (use a {@link java.util.LinkedHashMap}
   * to choose it), separated by {@code ", "}. A number is shown as tqdm's {@code format_num} shows
   * it: three significant digits when that is shorter ({@code 0.123456 -> 0.123}, {@code 123456789
   * -> 1.23e+8}), else as it is; any other value as its {@code String.valueOf}, stripped of
   * surrounding spaces. An empty map clears the postfix.
   *
   * <pre>{@code
   * Map<String, Object> stats = new LinkedHashMap<>();
   * stats.put("loss", 0.2534);
   * stats.put("epoch", 3);
   * bar.setPostfix(stats);   // [00:01<00:04, 30.26it/s, loss=0.253, epoch=3]
   * }</pre>
   *
   * @param postfix the pairs
   * @throws NullPointerException if {@code postfix} or a key in it is null
   */
  public void setPostfix(Map<String, ?> postfix) {
    requireNonNull(postfix, "postfix");
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ?> e : postfix.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      Object value = e.getValue();
      String shown =
          value instanceof Number
              ? ProgressBar.formatNumber((Number) value)
              : String.valueOf(value).strip();
      sb.append(Objects.requireNonNull(e.getKey(), "a key of postfix")).append('=').append(shown);
    }
    bar.setPostfix(sb.toString());
  }

  /** Whether {@link #close()} has been called (or the bar closed at exit). */
  public boolean isClosed() {
    return bar.isClosed();
  }

  /**
   * Ends the bar: draws its final line now, as it stands, and ends it with a newline. Idempotent
   * and safe from any thread; later updates have no effect.
   */
  @Override
  public void close() {
    bar.close();
  }

  @Override
  public String toString() {
    return "Bar[" + bar.count() + (bar.isClosed() ? ", closed]" : "]");
  }
}
