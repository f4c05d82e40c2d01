package dev.pool4j.internal.progress;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What the library can learn about standard error and the environment without a native call:
 * whether it is a terminal, how wide, whether it can show block characters, and whether bars are
 * switched off.
 */
final class Terminal {

  /** Set to {@code 0}, {@code false}, {@code off} or {@code no} to switch every bar off. */
  static final String SWITCH = "POOL4J_PROGRESS";

  /** tqdm's own switch; honoured when {@link #SWITCH} is unset. */
  static final String TQDM_DISABLE = "TQDM_DISABLE";

  static final int DEFAULT_COLUMNS = 80;

  private Terminal() {}

  /**
   * Whether bars are on. {@code POOL4J_PROGRESS} decides when set: a false-like value ({@code 0},
   * {@code false}, {@code off}, {@code no}) switches bars off, anything else on. Otherwise a set
   * {@code TQDM_DISABLE} that is not false-like switches them off.
   */
  static boolean enabled(Function<String, String> env) {
    String own = trimmed(env.apply(SWITCH));
    if (!own.isEmpty()) {
      return !falseLike(own);
    }
    String tqdm = trimmed(env.apply(TQDM_DISABLE));
    return tqdm.isEmpty() || falseLike(tqdm);
  }

  private static String trimmed(String value) {
    return value == null ? "" : value.trim();
  }

  private static boolean falseLike(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "0":
      case "false":
      case "off":
      case "no":
        return true;
      default:
        return false;
    }
  }

  /**
   * Whether standard error is a terminal. On Linux, from where {@code /proc/self/fd/2} points (a
   * {@code /dev/pts/N} or {@code /dev/ttyN} device); elsewhere from {@link System#console()}, which
   * Java 17 gives only when standard input and output are both terminals.
   */
  static boolean stderrIsTerminal() {
    Path fd2 = Path.of("/proc/self/fd/2");
    try {
      if (Files.isSymbolicLink(fd2)) {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/")
            || target.startsWith("/dev/tty")
            || target.equals("/dev/console");
      }
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // not Linux, or not allowed to look: fall back on the console
    }
    return System.console() != null;
  }

  /**
   * The terminal's width in columns: {@code COLUMNS} when set to a positive number, else what
   * {@code stty size} reports for {@code /dev/tty} (asked once, with a one-second limit), else 80.
   */
  static int columns(Function<String, String> env, boolean askTerminal) {
    String columns = trimmed(env.apply("COLUMNS"));
    if (!columns.isEmpty()) {
      try {
        int n = Integer.parseInt(columns);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // a malformed COLUMNS is ignored, as tqdm ignores it
      }
    }
    if (askTerminal) {
      int n = sttyColumns();
      if (n > 0) {
        return n;
      }
    }
    return DEFAULT_COLUMNS;
  }

  private static int sttyColumns() {
    File tty = new File("/dev/tty");
    if (!tty.exists()) {
      return -1;
    }
    Process process = null;
    try {
      process =
          new ProcessBuilder("stty", "size")
              .redirectInput(tty)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(1, TimeUnit.SECONDS)) {
        return -1;
      }
      try (InputStream in = process.getInputStream()) {
        String[] rowsCols =
            new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
        return rowsCols.length == 2 ? Integer.parseInt(rowsCols[1]) : -1;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1; // no stty, no terminal, or an answer we cannot read: fall back on 80
    } finally {
      if (process != null) {
        process.destroy();
      }
    }
  }

  /**
   * Whether standard error's charset can encode the bar's block characters; tqdm falls back on an
   * ASCII bar when it cannot.
   */
  static boolean stderrSupportsUnicode() {
    String name = System.getProperty("sun.stderr.encoding");
    Charset charset;
    try {
      charset = name != null ? Charset.forName(name) : Charset.defaultCharset();
    } catch (RuntimeException e) {
      charset = Charset.defaultCharset();
    }
    return charset.newEncoder().canEncode("\u2588\u258f");
  }
}
