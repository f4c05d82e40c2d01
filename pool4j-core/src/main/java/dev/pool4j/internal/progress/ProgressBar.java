package dev.pool4j.internal.progress;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One live progress bar: a counter that any thread bumps, drawn by its {@link Renderer}.
 *
 * <p>The scheduler's view:
 *
 * <pre>{@code
 * ProgressBar bar = ProgressBar.start("squares", inputs.size(), "it"); // -1: total unknown
 * try {
 *   ... each worker, when a chunk of k items is done: bar.add(k);
 * } finally {
 *   bar.close();   // draws the final line before it returns; idempotent
 * }
 * }</pre>
 *
 * <p>Design note. {@link #add} is the only method on the hot path: one {@link LongAdder#add}, which
 * spreads contended updates over cells, so eight workers bumping one bar do not fight over a cache
 * line. Nothing else happens per item: no clock read, no lock, no formatting. The renderer reads
 * {@link LongAdder#sum()} when it draws (at most about ten times a second), so a drawn count may
 * lag the true one by a few items; the final line, drawn by {@link #close()}, is taken after every
 * {@code add} that happened-before {@code close()}.
 *
 * <p>A bar from a disabled renderer (see {@link Renderer}, {@code POOL4J_PROGRESS=0}) counts but
 * never draws.
 */
public final class ProgressBar implements AutoCloseable {

  private final Renderer renderer; // null: disabled, nothing is drawn
  private final Renderer printer; // where write() goes, even when disabled
  private final String desc;
  private final long total;
  private final String unit;
  private final boolean unitScale;
  private final boolean ascii;
  private final long startNanos;
  private final LongAdder count = new LongAdder();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** When set, the renderer closes this bar once the owner is garbage. Written once, before use. */
  private volatile WeakReference<Object> owner;

  /** The count and time at close(); null while the bar runs. Written once. */
  private volatile End end;

  /** What tqdm's {@code set_postfix} shows after the rate; empty for none. Any thread. */
  private volatile String postfix = "";

  /** When the last log line (not on a terminal) was written; only under the renderer's lock. */
  @GuardedBy("renderer.lock")
  long lastLogNanos;

  ProgressBar(
      Renderer renderer,
      Renderer printer,
      String desc,
      long total,
      String unit,
      boolean unitScale,
      boolean ascii,
      long startNanos) {
    this.renderer = renderer;
    this.printer = printer;
    this.desc = desc == null ? "" : desc;
    this.total = total < 0 ? -1 : total;
    this.unit = unit == null ? "it" : unit;
    this.unitScale = unitScale;
    this.ascii = ascii;
    this.startNanos = startNanos;
    this.lastLogNanos = startNanos;
  }

  /**
   * Starts a bar on standard error (or a bar that draws nothing, when bars are switched off).
   *
   * @param desc the description in front of the bar; {@code null} or empty for none
   * @param total the number of items expected; negative when unknown
   * @param unit what is counted, {@code "it"} when {@code null}
   * @return the running bar; the caller must {@link #close()} it
   */
  public static ProgressBar start(String desc, long total, String unit) {
    return Renderer.standard().start(desc, total, unit, false, null);
  }

  /**
   * Counts {@code n} more items done. Cheap and safe from any thread; no effect once closed.
   *
   * @param n the number of items, usually positive
   */
  public void add(long n) {
    count.add(n);
  }

  /** The items counted so far. */
  public long count() {
    return count.sum();
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Ends the bar: draws its final line now (unless bars are off) and stops redrawing it. Idempotent
   * and safe from any thread; the first call wins.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (renderer == null) {
      return;
    }
    long now = renderer.now();
    end = new End(count.sum(), now);
    renderer.finish(this, now);
  }

  /**
   * Ends the bar for {@link Renderer#finishAll}, which draws the final line itself.
   *
   * @return whether this call ended it (false: it was closed already)
   */
  boolean endWithoutDrawing(long now) {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    end = new End(count.sum(), now);
    return true;
  }

  /**
   * Sets what follows the rate inside the brackets, like tqdm's {@code set_postfix_str}: {@code
   * [00:01<00:04, 30.26it/s, loss=0.25]}. Shown from the next frame on.
   *
   * @param postfix the text; {@code null} or empty for none
   */
  public void setPostfix(String postfix) {
    this.postfix = postfix == null ? "" : postfix;
  }

  /**
   * How tqdm's {@code set_postfix} shows a number ({@code format_num}): {@code "%.3g"} when that is
   * shorter than Python's {@code str} of it, else that {@code str}.
   *
   * @param n an integer type (a Python int) or any other number (taken as a float)
   * @return the text
   */
  public static String formatNumber(Number n) {
    return PyNumbers.formatNum(n);
  }

  /**
   * Writes {@code message} on its own line above the live bars, like {@code tqdm.write}; see {@link
   * Renderer#print}. Works on a closed or disabled bar too.
   *
   * @param message the line, without its newline
   */
  public void write(String message) {
    printer.print(message);
  }

  /**
   * Closes this bar once {@code owner} is garbage collected, as tqdm closes a bar when its iterator
   * is deleted: for a wrapped iterator that its user stopped reading.
   *
   * @param owner the object whose life the bar follows; held weakly
   * @return this bar
   */
  public ProgressBar closeWhenUnreachable(Object owner) {
    this.owner = new WeakReference<>(owner);
    return this;
  }

  boolean ownerGone() {
    WeakReference<Object> ref = owner;
    return ref != null && ref.get() == null;
  }

  boolean isDisabled() {
    return renderer == null;
  }

  /** The line for this bar at {@code nowNanos}, or its final line once closed. */
  String line(long nowNanos, int ncols) {
    End last = end;
    long n = last != null ? last.count : count.sum();
    long at = last != null ? last.nanos : nowNanos;
    double elapsed = Math.max(0L, at - startNanos) / 1e9;
    return Meter.format(n, total, elapsed, ncols, desc, ascii, unit, unitScale, postfix);
  }

  private record End(long count, long nanos) {}
}
