package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.Pool;
import dev.pool4j.RemoteTaskException;
import dev.pool4j.TaskFailedException;
import dev.pool4j.WorkerDiedException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input (an exception whose own methods throw, a result past the size limit, endless output
 * without a newline) gives a clear exception at its item's index, kills no worker, and leaves the
 * pool usable. Each pool runs without retries, so that a worker that dies fails the test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputTest extends ProcessPoolTest {

  private static final String MAX_FRAME = "dev.pool4j.maxFrameBytes";

  /** getMessage() throws. */
  public static class MessageThrows extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public String getMessage() {
      throw new IllegalStateException("no message for you");
    }
  }

  /** toString() throws. */
  public static class ToStringThrows extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ToStringThrows() {
      super("a fine message");
    }

    @Override
    public String toString() {
      throw new UnsupportedOperationException("no toString");
    }
  }

  /** getStackTrace() and getCause() throw. */
  public static class StackAndCauseThrow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StackAndCauseThrow() {
      super("stack and cause");
    }

    @Override
    public StackTraceElement[] getStackTrace() {
      throw new IllegalStateException("no stack");
    }

    @Override
    public synchronized Throwable getCause() {
      throw new IllegalStateException("no cause");
    }
  }

  /** Its serialization throws an Error. */
  public static class SerializationThrows extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SerializationThrows() {
      super("cannot be written");
    }

    private void writeObject(ObjectOutputStream out) {
      throw new AssertionError("serialization refused");
    }
  }

  private Pool pool(String... jvmOptions) {
    pool = Pool.builder().processes().workers(1).retries(0).jvmOptions(jvmOptions).build();
    return pool;
  }

  /** The pool still works, on the same worker process. */
  private void stillUsable(List<Long> pids) {
    assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
    assertThat(Internals.backend(pool).pids()).isEqualTo(pids);
  }

  private void failsAtIndex2(
      Supplier<RuntimeException> thrown, String remoteClass, String message) {
    List<Long> pids = startedPids();
    assertThatThrownBy(
            () ->
                pool.map(
                    x -> {
                      if (x == 2) {
                        throw thrown.get();
                      }
                      return x;
                    },
                    List.of(0, 1, 2, 3)))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(2);
              assertThat(e.getCause()).isInstanceOf(RemoteTaskException.class);
              RemoteTaskException remote = (RemoteTaskException) e.getCause();
              assertThat(remote.remoteClassName()).isEqualTo(remoteClass);
              assertThat(remote.remoteMessage()).contains(message);
            });
    stillUsable(pids);
  }

  private List<Long> startedPids() {
    assertThat(pool.map(x -> x, List.of(0))).containsExactly(0);
    return Internals.backend(pool).pids();
  }

  @Test
  void anExceptionWhoseGetMessageThrowsFailsItsIndexAndKillsNoWorker() {
    pool();
    failsAtIndex2(
        (Supplier<RuntimeException> & java.io.Serializable) MessageThrows::new,
        MessageThrows.class.getName(),
        "(its getMessage() threw java.lang.IllegalStateException: no message for you)");
  }

  @Test
  void anExceptionWhoseToStringThrowsFailsItsIndexAndKillsNoWorker() {
    pool();
    failsAtIndex2(
        (Supplier<RuntimeException> & java.io.Serializable) ToStringThrows::new,
        ToStringThrows.class.getName(),
        "a fine message (its toString() threw java.lang.UnsupportedOperationException");
  }

  @Test
  void anExceptionWhoseStackAndCauseThrowFailsItsIndexAndKillsNoWorker() {
    pool();
    failsAtIndex2(
        (Supplier<RuntimeException> & java.io.Serializable) StackAndCauseThrow::new,
        StackAndCauseThrow.class.getName(),
        "stack and cause");
  }

  @Test
  void anExceptionWhoseSerializationThrowsAnErrorFailsItsIndexAndKillsNoWorker() {
    pool();
    failsAtIndex2(
        (Supplier<RuntimeException> & java.io.Serializable) SerializationThrows::new,
        SerializationThrows.class.getName(),
        "cannot be written");
  }

  @Test
  void aResultPastTheSizeLimitFailsItsIndexSayingItsSizeAndTheLimit() {
    // 4 MiB frames here (a test cannot make 2 GiB results); the workers get the limit too. A
    // frame keeps 1 MiB + 64 bytes for its head, so a value may take 3 MiB - 64 bytes
    System.setProperty(MAX_FRAME, Integer.toString(4 << 20));
    try {
      pool();
    } finally {
      System.clearProperty(MAX_FRAME);
    }
    List<Long> pids = startedPids();
    int big = 3 << 20;
    assertThatThrownBy(() -> pool.map(x -> new byte[x], List.of(10, big, 20), 3))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(1);
              assertThat(e.getCause())
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("serializes to 3,145,7") // the array and its header
                  .hasMessageContaining("past the limit of 3,145,664 bytes");
            });
    stillUsable(pids);
    // one result under the limit is fine; two in one chunk are too many together
    int half = 2 << 20;
    assertThat(pool.map(x -> new byte[x], List.of(half), 1).get(0)).hasSize(half);
    assertThatThrownBy(() -> pool.map(x -> new byte[x], List.of(half, half), 2))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(1);
              assertThat(e.getCause()).hasMessageContaining("give the call a smaller chunksize");
            });
    assertThat(pool.map(x -> new byte[x], List.of(half, half), 1)).hasSize(2);
    stillUsable(pids);
  }

  @Test
  void aFramePastThisJvmsLimitIsRefusedBeforeItIsRead() {
    // a worker that does not keep to this JVM's limit (here, one told a higher one)
    System.setProperty(MAX_FRAME, Integer.toString(2 << 20));
    try {
      pool("-D" + MAX_FRAME + "=" + (16 << 20));
      assertThatThrownBy(() -> pool.map(x -> new byte[x], List.of(4 << 20), 1))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.index()).isEqualTo(0);
                assertThat(e.getCause())
                    .isInstanceOf(WorkerDiedException.class)
                    .hasMessageContaining("broke the protocol")
                    .hasMessageContaining(
                        "past the limit of 2097152 bytes: refused before reading it");
              });
      // its replacement runs the next call
      assertThat(pool.map(x -> x + 1, List.of(1, 2))).containsExactly(2, 3);
    } finally {
      System.clearProperty(MAX_FRAME);
    }
  }

  /** Keeps the end of each line the parent prints, and the longest line's length. */
  private static final class Lines extends OutputStream {
    final List<String> ends = new ArrayList<>();
    int longest;
    private int length;
    private final StringBuilder end = new StringBuilder();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        ends.add(end.toString());
        longest = Math.max(longest, length);
        length = 0;
        end.setLength(0);
        return;
      }
      length++;
      if (end.length() < 40) {
        end.append((char) b);
      } else if (length > 40) {
        end.deleteCharAt(0).append((char) b);
      }
    }

    synchronized boolean has(String line) {
      return ends.contains(line);
    }
  }

  @Test
  void aWorkerPrinting50MbWithoutANewlineIsForwardedInBoundedLinesAndItsLaterOutputArrives() {
    PrintStream original = System.out;
    Lines lines = new Lines();
    System.setOut(new PrintStream(lines, true, StandardCharsets.UTF_8));
    try {
      pool();
      List<Long> pids = startedPids();
      Integer seven =
          pool.apply(
              (Integer x) -> {
                byte[] big = new byte[50 << 20];
                Arrays.fill(big, (byte) 'x');
                System.out.write(big, 0, big.length);
                System.out.println("after");
                System.out.println("later");
                return x;
              },
              7);
      assertThat(seven).isEqualTo(7);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> lines.has("[worker-1] later"));
      synchronized (lines) {
        assertThat(lines.longest).isLessThanOrEqualTo("[worker-1] ".length() + 8 * 1024 + 6);
        // the end of the long line, its last part continuing the one before
        assertThat(lines.ends).anyMatch(l -> l.endsWith("...after") || l.endsWith("xafter"));
        assertThat(lines.ends.size()).isGreaterThanOrEqualTo((50 << 20) / (8 * 1024));
      }
      stillUsable(pids);
    } finally {
      System.setOut(original);
    }
  }
}
