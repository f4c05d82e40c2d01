package dev.pool4j.internal.progress;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Draws every live {@link ProgressBar} of one output stream, from one shared daemon thread.
 *
 * <p><b>Design note.</b> Workers never draw: they only bump their bar's counter. One renderer per
 * output (in production one, for {@code System.err}) owns the list of live bars and a daemon
 * thread, {@code pool4j-progress}, that exists only while some bar is live: it is started by the
 * first bar and ends itself when the last one closes. Every {@code redrawInterval} (100 ms, tqdm's
 * {@code mininterval}) it draws one frame; {@link ProgressBar#close()} draws one more frame at
 * once, so the final line is on screen when {@code close()} returns. The number of frames is thus
 * bounded by elapsed time plus one per bar, never by the number of items. Frames are also rate
 * limited by the clock (not only by the thread's sleep), so the bound holds with an injected clock.
 *
 * <p><b>Terminal.</b> The live bars form a block at the bottom of the output, one line each, in the
 * order they started; the cursor rests at the end of the block's last line. A frame moves the
 * cursor to the top of the block (a carriage return, plus ANSI "cursor up" when the block has more
 * than one line), rewrites each line, and pads it with spaces over what the previous frame left
 * there (as tqdm's {@code status_printer} does). A bar that ends is written for good above the
 * block, and the bars still running close up below it, so each running bar keeps a line of its own
 * and no line is ever lost; with a single bar this is exactly tqdm's {@code "\r" + line} animation
 * and no escape code is written. Lines are cut to one column less than the terminal width (like
 * tqdm when it falls back on {@code COLUMNS}), so a line never wraps, which would break the
 * carriage-return redraw.
 *
 * <p><b>Not a terminal</b> (a log file, a pipe, a CI console): no carriage return and no escape
 * code. Each bar writes a plain line at most every {@code logInterval} (5 s by default) and a final
 * line when it closes. Several bars simply interleave whole lines, each line naming its bar.
 *
 * <p><b>Off switch.</b> {@code POOL4J_PROGRESS=0} (or {@code false}, {@code off}, {@code no}) turns
 * every bar off; so does tqdm's {@code TQDM_DISABLE=1} when {@code POOL4J_PROGRESS} is unset. The
 * environment is read when each bar starts.
 *
 * <p><b>Concurrency.</b> One {@link ReentrantLock} guards the live list, the screen state and the
 * thread handle; frames are written under it, so frames never interleave with each other. A frame
 * is built whole and written with one {@code append} and one {@code flush}. The lock is held for
 * the formatting of a few lines and one write, never while a worker waits: workers do not take it.
 * Output errors are ignored (as {@link java.io.PrintStream} does): a broken stderr never breaks a
 * computation.
 */
public final class Renderer {

  private static final char ESC = '\u001b';

  private final Supplier<? extends Appendable> output;
  private final Supplier<? extends Appendable> messages;
  private final boolean terminal;
  private final IntSupplier columns;
  private final boolean unicode;
  private final LongSupplier clock;
  private final long redrawNanos;
  private final long logNanos;
  private final Function<String, String> env;
  private final boolean background;

  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock, all of them.
  @GuardedBy("lock")
  private final List<ProgressBar> live = new ArrayList<>();

  /**
   * Terminal: display widths of the block's lines as last drawn; its length is the block height.
   */
  @GuardedBy("lock")
  private int[] blockWidths = new int[0];

  /** Terminal: the live lines as last drawn, to skip frames that would change nothing. */
  @GuardedBy("lock")
  private List<String> lastLines = List.of();

  @GuardedBy("lock")
  private long lastFrameNanos;

  @GuardedBy("lock")
  private boolean anyFrame;

  @GuardedBy("lock")
  private long frames;

  /** Terminal: the ncols every line is cut to, found at the first frame; 0 until then. */
  @GuardedBy("lock")
  private int lineWidth;

  /** The drawing thread, or null when none runs. */
  @GuardedBy("lock")
  private Thread thread;

  private Renderer(Builder b) {
    this.output = b.output;
    this.messages = b.messages;
    this.terminal = b.terminal;
    this.columns = b.columns;
    this.unicode = b.unicode;
    this.clock = b.clock;
    this.redrawNanos = b.redrawInterval.toNanos();
    this.logNanos = b.logInterval.toNanos();
    this.env = b.env;
    this.background = b.background;
  }

  /** The renderer for {@code System.err}, set up from the real terminal and environment. */
  public static Renderer standard() {
    return Standard.INSTANCE;
  }

  /** What pool calls draw with; only tests change it. */
  private static volatile Renderer forPools;

  /**
   * The renderer pool calls draw their bars with: {@link #standard()} unless a test set another.
   */
  public static Renderer forPools() {
    Renderer r = forPools;
    return r != null ? r : standard();
  }

  /**
   * Makes pool calls draw with {@code renderer} (null: back to {@link #standard()}); for tests,
   * which must restore the previous one.
   *
   * @return the previous renderer, or null for the standard one
   */
  public static Renderer useForPools(Renderer renderer) {
    Renderer previous = forPools;
    forPools = renderer;
    return previous;
  }

  private static final class Standard {
    static final Renderer INSTANCE = create();

    private static Renderer create() {
      boolean terminal = Terminal.stderrIsTerminal();
      return builder()
          .output(() -> System.err)
          .terminal(terminal)
          // Asked at the first frame, so a program whose bars are off never asks.
          .columns(() -> Terminal.columns(System::getenv, true))
          .unicode(Terminal.stderrSupportsUnicode())
          .build();
    }
  }

  /** A renderer with chosen parts, for tests and for output other than standard error. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a bar.
   *
   * @param desc the description in front of the bar; {@code null} or empty for none
   * @param total the number of items expected; negative when unknown
   * @param unit what is counted; {@code "it"} when {@code null}
   * @param unitScale show counts and rates with SI prefixes (k, M, G ...)
   * @param ascii {@code true} for a {@code #} bar, {@code false} for Unicode blocks, {@code null}
   *     to use blocks when the output can show them
   * @return the running bar; the caller must close it. When bars are switched off, a bar that
   *     counts but never draws
   */
  public ProgressBar start(String desc, long total, String unit, boolean unitScale, Boolean ascii) {
    boolean useAscii = ascii != null ? ascii : !unicode;
    if (!Terminal.enabled(env)) {
      return new ProgressBar(null, this, desc, total, unit, unitScale, useAscii, 0L);
    }
    ProgressBar bar =
        new ProgressBar(this, this, desc, total, unit, unitScale, useAscii, clock.getAsLong());
    lock.lock();
    try {
      live.add(bar);
      if (background && thread == null) {
        thread = new Thread(this::run, "pool4j-progress");
        thread.setDaemon(true);
        thread.start();
      }
    } finally {
      lock.unlock();
    }
    AtExit.watch(this); // after the bar is live, so that no other bar's start forgets this renderer
    return bar;
  }

  long now() {
    return clock.getAsLong();
  }

  /** The number of frames written so far (a frame may hold several lines). */
  long frames() {
    lock.lock();
    try {
      return frames;
    } finally {
      lock.unlock();
    }
  }

  /** Called by {@link ProgressBar#close()}: draws the bar's final line now. */
  void finish(ProgressBar bar, long now) {
    lock.lock();
    try {
      if (!live.remove(bar)) {
        return;
      }
      List<ProgressBar> done = List.of(bar);
      if (terminal) {
        drawBlock(done, now);
      } else {
        writeLog(done, now);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends every live bar at once and draws their final lines, so that each ends its line: for the
   * shutdown hook ({@link AtExit}), when the program ends or is interrupted (Ctrl-C) with bars
   * still running. Waits at most {@code patienceMillis} for the lock (a frame being written), so
   * that a stuck output can never hold up the JVM's exit.
   *
   * @return the number of bars it ended
   */
  int finishAll(long patienceMillis) {
    try {
      if (!lock.tryLock(patienceMillis, TimeUnit.MILLISECONDS)) {
        return 0;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
    try {
      long now = clock.getAsLong();
      List<ProgressBar> done = new ArrayList<>(live.size());
      for (ProgressBar bar : live) {
        if (bar.endWithoutDrawing(now)) {
          done.add(bar);
        }
      }
      live.clear();
      if (done.isEmpty()) {
        return 0;
      }
      if (terminal) {
        drawBlock(done, now);
      } else {
        writeLog(done, now);
      }
      return done.size();
    } finally {
      lock.unlock();
    }
  }

  /** Whether a bar is live: for {@link AtExit}. */
  boolean anyLive() {
    lock.lock();
    try {
      return !live.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes {@code message} and a newline to the message output (standard output), above the live
   * bars, like {@code tqdm.write}: on a terminal the bars are wiped first and drawn again below the
   * message, so that the message never lands on a bar's line and no bar is left half drawn above
   * it; off a terminal the message is simply written. Safe from any thread; messages and frames
   * never interleave.
   *
   * @param message the text, without its newline; {@code null} writes {@code "null"}
   */
  public void print(String message) {
    String text = String.valueOf(message);
    lock.lock();
    try {
      boolean wiped = terminal && blockWidths.length > 0;
      if (wiped) {
        wipeBlock();
      }
      try {
        Appendable out = messages.get();
        out.append(text).append('\n');
        if (out instanceof Flushable) {
          ((Flushable) out).flush();
        }
      } catch (IOException | UncheckedIOException e) {
        // Like PrintStream: a failing output must not fail the work.
      }
      if (wiped && !live.isEmpty()) {
        drawBlock(List.of(), clock.getAsLong());
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Blanks the block of live lines and leaves the cursor at the start of its first line, with no
   * block on screen: what {@link #print} writes then takes the block's place.
   */
  @GuardedBy("lock")
  private void wipeBlock() {
    StringBuilder sb = new StringBuilder();
    int height = blockWidths.length;
    cursorUp(sb, height - 1);
    for (int r = 0; r < height; r++) {
      if (r > 0) {
        sb.append('\n');
      }
      sb.append('\r');
      for (int pad = blockWidths[r]; pad > 0; pad--) {
        sb.append(' ');
      }
    }
    cursorUp(sb, height - 1);
    sb.append('\r');
    blockWidths = new int[0];
    lastLines = List.of();
    write(sb);
  }

  /**
   * Draws what is due at the clock's current time: on a terminal, a frame if {@code redrawInterval}
   * has passed since the last one; otherwise a line for each bar whose {@code logInterval} has
   * passed. Bars whose owner was garbage collected are closed first. The background thread calls
   * this every {@code redrawInterval}; a renderer built without one is driven by calling it.
   */
  public void tick() {
    for (ProgressBar abandoned : abandoned()) {
      abandoned.close();
    }
    lock.lock();
    try {
      long now = clock.getAsLong();
      if (live.isEmpty()) {
        return;
      }
      if (terminal) {
        if (!anyFrame || now - lastFrameNanos >= redrawNanos) {
          drawBlock(List.of(), now);
        }
      } else {
        List<ProgressBar> due = new ArrayList<>();
        for (ProgressBar bar : live) {
          if (logDue(bar, now)) {
            due.add(bar);
          }
        }
        writeLog(due, now);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether {@code bar}, a live bar of this renderer, is due a log line at {@code now}; if so,
   * notes that it gets one now.
   */
  @GuardedBy("lock")
  // ProgressBar.lastLogNanos is guarded by its bar's renderer's lock: a live bar is this
  // renderer's own (start() makes it with this), so that lock is this one, held here; Error Prone
  // cannot see that bar.renderer == this.
  @SuppressWarnings("GuardedBy")
  private boolean logDue(ProgressBar bar, long now) {
    if (now - bar.lastLogNanos < logNanos) {
      return false;
    }
    bar.lastLogNanos = now;
    return true;
  }

  private List<ProgressBar> abandoned() {
    lock.lock();
    try {
      List<ProgressBar> gone = new ArrayList<>();
      for (ProgressBar bar : live) {
        if (bar.ownerGone()) {
          gone.add(bar);
        }
      }
      return gone;
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private void writeLog(List<ProgressBar> bars, long now) {
    if (bars.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (ProgressBar bar : bars) {
      sb.append(bar.line(now, 0)).append('\n');
    }
    write(sb);
  }

  /**
   * One terminal frame: the {@code done} bars' final lines, written for good, then the live block.
   * Cursor contract: between frames the cursor rests at the end of the block's last line (or at the
   * start of a fresh line when no block is on screen).
   */
  @GuardedBy("lock")
  private void drawBlock(List<ProgressBar> done, long now) {
    if (lineWidth == 0) {
      lineWidth = Math.max(1, columns.getAsInt() - 1);
    }
    List<String> liveLines = new ArrayList<>(live.size());
    for (ProgressBar bar : live) {
      liveLines.add(bar.line(now, lineWidth));
    }
    if (done.isEmpty() && anyFrame && liveLines.equals(lastLines)) {
      lastFrameNanos = now;
      return;
    }
    List<String> lines = new ArrayList<>(done.size() + liveLines.size());
    for (ProgressBar bar : done) {
      lines.add(bar.line(now, lineWidth));
    }
    lines.addAll(liveLines);
    int oldHeight = blockWidths.length;
    if (lines.isEmpty() && oldHeight == 0) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    cursorUp(sb, oldHeight - 1);
    int rows = Math.max(lines.size(), oldHeight);
    int permanent = done.size();
    int[] newWidths = new int[liveLines.size()];
    for (int r = 0; r < rows; r++) {
      if (r > 0) {
        sb.append('\n');
      }
      String text = r < lines.size() ? lines.get(r) : "";
      int width = DisplayWidth.of(text);
      int previous = r < oldHeight ? blockWidths[r] : 0;
      sb.append('\r').append(text);
      for (int pad = previous - width; pad > 0; pad--) {
        sb.append(' ');
      }
      if (r >= permanent && r - permanent < newWidths.length) {
        newWidths[r - permanent] = width;
      }
    }
    int lastLive = permanent + liveLines.size() - 1; // row the cursor must rest on
    if (liveLines.isEmpty()) {
      // No block left: rest at the start of the line below the last permanent one.
      if (rows > permanent) {
        cursorUp(sb, rows - 1 - permanent);
        sb.append('\r');
      } else {
        sb.append('\n');
      }
    } else {
      cursorUp(sb, rows - 1 - lastLive);
    }
    blockWidths = newWidths;
    lastLines = liveLines;
    lastFrameNanos = now;
    anyFrame = true;
    write(sb);
  }

  private static void cursorUp(StringBuilder sb, int lines) {
    if (lines > 0) {
      sb.append(ESC).append('[').append(lines).append('A');
    }
  }

  @GuardedBy("lock")
  private void write(CharSequence text) {
    frames++;
    try {
      Appendable out = output.get();
      out.append(text);
      if (out instanceof Flushable) {
        ((Flushable) out).flush();
      }
    } catch (IOException | UncheckedIOException e) {
      // Like PrintStream: a failing output must not fail the work it reports on.
    }
  }

  /** The drawing thread's loop: sleep, draw, until no bar is live. */
  private void run() {
    while (true) {
      try {
        TimeUnit.NANOSECONDS.sleep(redrawNanos);
      } catch (InterruptedException e) {
        // Only the library owns this thread; an interrupt means stop. The next bar starts another.
        lock.lock();
        try {
          thread = null;
        } finally {
          lock.unlock();
        }
        return;
      }
      tick();
      lock.lock();
      try {
        if (live.isEmpty()) {
          thread = null;
          return;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** The parts of a renderer; every one has a default fit for {@code System.err} off a terminal. */
  public static final class Builder {
    private Supplier<? extends Appendable> output = () -> System.err;
    private Supplier<? extends Appendable> messages = () -> System.out;
    private boolean terminal;
    private IntSupplier columns = () -> Terminal.DEFAULT_COLUMNS;
    private boolean unicode = true;
    private LongSupplier clock = System::nanoTime;
    private Duration redrawInterval = Duration.ofMillis(100);
    private Duration logInterval = Duration.ofSeconds(5);
    private Function<String, String> env = System::getenv;
    private boolean background = true;

    private Builder() {}

    /** Where frames go; looked up at each write, so {@code System.setErr} is followed. */
    public Builder output(Supplier<? extends Appendable> output) {
      this.output = requireNonNull(output, "output");
      return this;
    }

    /** Where frames go. */
    public Builder output(Appendable output) {
      requireNonNull(output, "output");
      this.output = () -> output;
      return this;
    }

    /**
     * Where {@link Renderer#print} writes messages; standard output (looked up at each write) by
     * default, as {@code tqdm.write} does.
     */
    public Builder messages(Appendable messages) {
      requireNonNull(messages, "messages");
      this.messages = () -> messages;
      return this;
    }

    /** Whether the output is a terminal: carriage-return redraws, or plain log lines. */
    public Builder terminal(boolean terminal) {
      this.terminal = terminal;
      return this;
    }

    /** The terminal's width; lines are cut to one column less. */
    public Builder columns(int columns) {
      if (columns < 1) {
        throw new IllegalArgumentException("columns must be >= 1, was " + columns);
      }
      this.columns = () -> columns;
      return this;
    }

    /** Where the terminal's width comes from; asked once, at the first terminal frame. */
    Builder columns(IntSupplier columns) {
      this.columns = requireNonNull(columns, "columns");
      return this;
    }

    /** Whether the output can show Unicode block characters (else bars are ASCII). */
    public Builder unicode(boolean unicode) {
      this.unicode = unicode;
      return this;
    }

    /** The time source, in nanoseconds, like {@link System#nanoTime()}. */
    public Builder clock(LongSupplier clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The least time between two terminal frames; 100 ms by default. */
    public Builder redrawInterval(Duration interval) {
      this.redrawInterval = positive(interval, "redrawInterval");
      return this;
    }

    /** The least time between two log lines of one bar off a terminal; 5 s by default. */
    public Builder logInterval(Duration interval) {
      this.logInterval = positive(interval, "logInterval");
      return this;
    }

    /** Where environment variables are read, like {@link System#getenv(String)}. */
    public Builder env(Function<String, String> env) {
      this.env = requireNonNull(env, "env");
      return this;
    }

    /**
     * Whether a daemon thread draws periodically (the default). Without it, only {@link
     * ProgressBar#close()} and explicit ticks draw.
     */
    public Builder background(boolean background) {
      this.background = background;
      return this;
    }

    /** A new renderer with these parts. */
    public Renderer build() {
      return new Renderer(this);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
