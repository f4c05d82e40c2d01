package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.LongRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lazy call's window is bounded in bytes as well as in chunks: {@code imap} over many lazy inputs
 * with string results completes in a small heap, on worker processes and on threads. Before the
 * bound, tiny tasks grew chunks to 16,384 results and a window of 16 such chunks (or of chunks of
 * 64 KiB strings) outgrew the heap.
 *
 * <p>Each case runs {@link BoundedMemoryMain} in a JVM of its own, with a small {@code -Xmx} and
 * {@code -XX:+ExitOnOutOfMemoryError}, and checks its count and an order-sensitive checksum. The
 * stress case starts a quarter of its pools of threads by default, all in CI's long run ({@link
 * LongRun}).
 */
@Tag(LongRun.SCALED)
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

  @Test
  void aByteBudgetSetByPropertyBoundsTheWindowAndABadOneIsRefusedNamingTheProperty()
      throws Exception {
    long n = 2_000;
    // a budget of 1 byte: one chunk at a time, of one result, and still every result
    assertThat(run("64m", "processes", n, 1_000, "-Dpool4j.maxBytesInFlight=1"))
        .isEqualTo(expected(n, 1_000));
    assertThat(run("64m", "threads", 10, 0, "-Dpool4j.maxBytesInFlight=lots"))
        .startsWith("exit 1: ")
        .contains("-Dpool4j.maxBytesInFlight must be a number of bytes >= 1, was \"lots\"");
  }

  @Test
  void aSmallByteBudgetNeverStallsACallForGoodWhateverTheWorkersChunksAndResults()
      throws Exception {
    long seed = new java.util.Random().nextLong();
    // 40 pools of threads (10 by default) and 2 of worker processes, 3 and 10 calls each
    int onThreads = LongRun.size(10, 40);
    assertThat(run("64m", "stress", seed, onThreads, "-Dpool4j.maxBytesInFlight=20000"))
        .as("seed " + seed)
        .isEqualTo("ok " + (3 * onThreads + 2 * 10));
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

  /**
   * Runs the main with heap {@code xmx}; returns its last line of output, or all of it on failure.
   */
  private static String run(String xmx, String backend, long n, int length, String... options)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>();
    command.addAll(List.of(java, "-Xmx" + xmx, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"));
    command.addAll(List.of(options));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    if (backend.equals("stress")) {
      // n: the seed; length: the pools of threads (and two of worker processes)
      command.addAll(
          List.of(
              ByteWindowStressMain.class.getName(),
              Long.toString(n),
              Integer.toString(length),
              "2"));
    } else {
      command.addAll(
          List.of(
              BoundedMemoryMain.class.getName(),
              backend,
              Long.toString(n),
              Integer.toString(length)));
    }
    Path log = Files.createTempFile("pool4j-bounded-memory", ".log");
    Process main =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      // a window stalled for good would hang the child: it is killed, and the test fails
      boolean exited = main.waitFor(90, TimeUnit.SECONDS);
      String out = Files.readString(log, StandardCharsets.UTF_8);
      if (!exited) {
        return "no exit within 90 s: " + out;
      }
      String[] lines = out.strip().split("\n");
      String last = lines[lines.length - 1].strip();
      return main.exitValue() == 0 ? last : "exit " + main.exitValue() + ": " + out;
    } finally {
      main.destroyForcibly();
      main.waitFor();
      Files.deleteIfExists(log);
    }
  }
}
