package dev.pool4j.internal.process;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Forwards one output stream of a worker process (its stdout or stderr) to this JVM's, line by
 * line, each line prefixed with the worker's label, and keeps the last lines for the message of a
 * worker that dies.
 *
 * <p><b>Bounded.</b> What a worker prints is read in pieces of fixed size, never as a whole line: a
 * line longer than {@link #MAX_LINE_BYTES} is forwarded in parts of at most that many bytes, each
 * on a line of its own with the worker's prefix, a part that the next continues ending with {@link
 * #CUT} and the next beginning with it. Nothing is dropped, and whatever a worker prints (400 MB
 * without a newline, say) this thread holds at most two buffers of {@link #MAX_LINE_BYTES} and the
 * last {@link #LAST_LINES} parts; the worker's later output arrives as usual. A cut falls between
 * the characters of UTF-8.
 *
 * <p>Lines end at {@code \n}, {@code \r} or {@code \r\n}, as for {@link
 * java.io.BufferedReader#readLine()}; bytes are decoded with this JVM's default charset, as the
 * worker (started with this JVM's settings) encodes them.
 *
 * <p>Thread safety: one daemon thread of its own reads and forwards; {@link #lastLines()} may be
 * called from any thread.
 */
final class Forwarder implements Runnable {

  /** The most bytes of a worker's line forwarded as one line; a longer line goes in parts. */
  static final int MAX_LINE_BYTES = 8 * 1024;

  /** Marks the end of a part that the next line continues, and the start of that next line. */
  static final String CUT = "...";

  /** Lines kept for the message of a worker that died. */
  static final int LAST_LINES = 12;

  private final InputStream in;
  private final String prefix;
  private final Consumer<String> sink;
  private final Charset charset;
  private final boolean utf8;
  private final Thread thread;

  /** The last lines forwarded, without the prefix; guarded by itself. */
  @GuardedBy("last")
  private final ArrayDeque<String> last = new ArrayDeque<>();

  /**
   * A forwarder of {@code in}; {@link #start()} starts its thread.
   *
   * @param in the worker's stream
   * @param label the worker's label, for the prefix and the thread's name
   * @param stream "stdout" or "stderr", for the thread's name
   * @param sink takes each line, prefixed
   * @param charset how the worker encodes its output
   */
  Forwarder(InputStream in, String label, String stream, Consumer<String> sink, Charset charset) {
    this.in = in;
    this.prefix = "[" + label + "] ";
    this.sink = sink;
    this.charset = charset;
    this.utf8 = charset.equals(StandardCharsets.UTF_8);
    this.thread = new Thread(this, "pool4j-" + label + "-" + stream);
    thread.setDaemon(true);
  }

  /**
   * Starts forwarding a worker's stdout ({@code err} false) or stderr to this JVM's own: {@link
   * System#out} or {@link System#err} as they are when each line comes (a test or an application
   * may replace them).
   */
  static Forwarder start(InputStream in, boolean err, String label) {
    Consumer<String> sink =
        line -> {
          PrintStream target = err ? System.err : System.out;
          target.println(line);
        };
    Forwarder f =
        new Forwarder(in, label, err ? "stderr" : "stdout", sink, Charset.defaultCharset());
    f.start();
    return f;
  }

  /** Starts the thread; once only. */
  Forwarder start() {
    thread.start();
    return this;
  }

  @Override
  public void run() {
    byte[] read = new byte[MAX_LINE_BYTES];
    byte[] line = new byte[MAX_LINE_BYTES];
    int length = 0;
    boolean continued = false; // the line so far continues a part forwarded already
    boolean afterCr = false;
    try {
      for (int n; (n = in.read(read)) >= 0; ) {
        for (int i = 0; i < n; i++) {
          byte b = read[i];
          if (b == '\n' || b == '\r') {
            if (!(b == '\n' && afterCr)) {
              forward(line, length, continued, false);
            }
            length = 0;
            continued = false;
            afterCr = b == '\r';
            continue;
          }
          afterCr = false;
          if (length == line.length) {
            int cut = cut(line, length, b);
            forward(line, cut, continued, true);
            System.arraycopy(line, cut, line, 0, length - cut);
            length -= cut;
            continued = true;
          }
          line[length++] = b;
        }
      }
      if (length > 0) {
        forward(line, length, continued, false);
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  /**
   * Where to cut the full {@code line} so that no UTF-8 character is split, {@code next} being the
   * byte after it: before the lead byte of the character that {@code next} continues.
   */
  private int cut(byte[] line, int length, byte next) {
    if (!utf8) {
      return length;
    }
    int at = length;
    byte b = next;
    // a character of UTF-8 takes at most 4 bytes: at most 3 continuation bytes to step over
    for (int k = 0; k < 3 && isContinuation(b) && at > 1; k++) {
      at--;
      b = line[at];
    }
    return isContinuation(b) ? length : at;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private void forward(byte[] bytes, int length, boolean continued, boolean cut) {
    String text = (continued ? CUT : "") + new String(bytes, 0, length, charset) + (cut ? CUT : "");
    synchronized (last) {
      if (last.size() == LAST_LINES) {
        last.removeFirst();
      }
      last.addLast(text);
    }
    sink.accept(prefix + text);
  }

  /** Waits up to {@code millis} for the stream's end to be forwarded (0: forever). */
  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  /** The last lines, each on a new indented line; empty if none. */
  String lastLines() {
    List<String> lines;
    synchronized (last) {
      lines = new ArrayList<>(last);
    }
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(System.lineSeparator()).append("    ").append(line);
    }
    return sb.toString();
  }
}
