package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lazy call's window is bounded in bytes as well as in chunks: {@code imap} over many lazy
 * inputs with string results completes in a small heap, on worker processes and on threads.
 * Before the bound, tiny tasks grew chunks to 16,384 results and a window of 16 such chunks (or
 * of chunks of 64 KiB strings) outgrew the heap.
 *
 * <p>Each case runs {@link BoundedMemoryMain} in a JVM of its own, with a small {@code -Xmx}
 * and {@code -XX:+ExitOnOutOfMemoryError}, and checks its count and an order-sensitive checksum.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BoundedMemoryTest {

  @Test
  void tenMillionShortStringsOnWorkerProcessesFitInAnEightMegabyteHeap() throws Exception {
    long n = 10_000_000;
    assertThat(run("8m", "processes", n, 0)).isEqualTo(expected(n, 0));
  }

  @Test
  void stringsOf64KiBOnWorkerProcessesFitInASixteenMegabyteHeap() throws Exception {
    long n = 5_000;
    assertThat(run("16m", "processes", n, 65_536)).isEqualTo(expected(n, 65_536));
  }

  @Test
  void stringsOf64KiBOnThreadsFitInASixteenMegabyteHeap() throws Exception {
    long n = 20_000;
    assertThat(run("16m", "threads", n, 65_536)).isEqualTo(expected(n, 65_536));
  }

  /** The line {@link BoundedMemoryMain} prints for these arguments. */
  private static String expected(long n, int length) {
    long checksum = 0;
    for (long x = 0; x < n; x++) {
      char last = length == 0 ? (char) ('0' + x % 10) : (char) ('a' + x % 26);
      int size = length == 0 ? 1 + Long.toString(x).length() : length;
      checksum += BoundedMemoryMain.checksum(x, size, last);
    }
    return "count " + n + " checksum " + checksum;
  }

  /** Runs the main with heap {@code xmx}; returns its last line of output, or all of it on failure. */
  private static String run(String xmx, String backend, long n, int length) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command =
        List.of(
            java,
            "-Xmx" + xmx,
            "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            System.getProperty("java.class.path"),
            BoundedMemoryMain.class.getName(),
            backend,
            Long.toString(n),
            Integer.toString(length));
    Process main = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = read(main.getInputStream());
      int exit = main.waitFor();
      String[] lines = out.strip().split("\n");
      String last = lines[lines.length - 1].strip();
      return exit == 0 ? last : "exit " + exit + ": " + out;
    } finally {
      main.destroyForcibly();
      main.waitFor();
    }
  }

  private static String read(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
