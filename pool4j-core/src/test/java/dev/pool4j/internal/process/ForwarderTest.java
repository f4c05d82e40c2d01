package dev.pool4j.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A worker's output is forwarded line by line, long lines in bounded parts, nothing lost. */
class ForwarderTest {

  /** {@code n} bytes of {@code b}, made as they are read: nothing held. */
  private static InputStream endless(long n, byte b) {
    return new InputStream() {
      long left = n;

      @Override
      public int read() {
        return left-- > 0 ? b : -1;
      }

      @Override
      public int read(byte[] into, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int k = (int) Math.min(len, left);
        java.util.Arrays.fill(into, off, off + k, b);
        left -= k;
        return k;
      }
    };
  }

  private static List<String> forward(InputStream in, java.nio.charset.Charset charset)
      throws InterruptedException {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Forwarder f = new Forwarder(in, "worker-1", "stdout", lines::add, charset).start();
    f.join(0);
    return lines;
  }

  private static InputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a64MbLineWithoutANewlineGoesInPartsOfAtMostTheBoundAndLaterLinesFollow()
      throws InterruptedException {
    long size = 64L << 20;
    List<String> lines =
        forward(
            new SequenceInputStream(endless(size, (byte) 'x'), bytes("after\nlater\n")),
            StandardCharsets.UTF_8);
    String prefix = "[worker-1] ";
    long forwarded = 0;
    for (int i = 0; i < lines.size() - 1; i++) {
      String line = lines.get(i);
      assertThat(line).startsWith(prefix);
      String text = line.substring(prefix.length());
      assertThat(text.length())
          .isLessThanOrEqualTo(Forwarder.MAX_LINE_BYTES + 2 * Forwarder.CUT.length());
      if (i > 0) {
        assertThat(text).startsWith(Forwarder.CUT);
        text = text.substring(Forwarder.CUT.length());
      }
      if (i < lines.size() - 2) {
        assertThat(text).endsWith(Forwarder.CUT);
        text = text.substring(0, text.length() - Forwarder.CUT.length());
      }
      forwarded += text.length();
    }
    // nothing lost: every x and the end of the line
    assertThat(forwarded).isEqualTo(size + "after".length());
    assertThat(lines.get(lines.size() - 2)).startsWith(prefix + Forwarder.CUT).endsWith("after");
    assertThat(lines.get(lines.size() - 1)).isEqualTo(prefix + "later");
  }

  @Test
  void aLongLineOfUtf8IsCutBetweenCharacters() throws InterruptedException {
    String line = "é€😀".repeat(5000); // 2, 3 and 4 bytes a character
    List<String> lines = forward(bytes(line + "\n"), StandardCharsets.UTF_8);
    assertThat(lines).hasSizeGreaterThan(1);
    StringBuilder whole = new StringBuilder();
    for (String l : lines) {
      String text = l.substring("[worker-1] ".length());
      if (text.startsWith(Forwarder.CUT)) {
        text = text.substring(Forwarder.CUT.length());
      }
      if (text.endsWith(Forwarder.CUT)) {
        text = text.substring(0, text.length() - Forwarder.CUT.length());
      }
      assertThat(text).doesNotContain("\uFFFD");
      whole.append(text);
    }
    assertThat(whole.toString()).isEqualTo(line);
  }

  @Test
  void linesEndAtNewlineCarriageReturnOrBothAndTheLastNeedsNoNewline() throws InterruptedException {
    List<String> lines = forward(bytes("a\r\nb\rc\n\nd"), StandardCharsets.UTF_8);
    assertThat(lines)
        .containsExactly(
            "[worker-1] a", "[worker-1] b", "[worker-1] c", "[worker-1] ", "[worker-1] d");
  }

  @Test
  void theLastLinesAreKeptForTheMessageOfAWorkerThatDied() throws InterruptedException {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      out.append("line ").append(i).append('\n');
    }
    Forwarder f =
        new Forwarder(bytes(out.toString()), "worker-1", "stderr", l -> {}, StandardCharsets.UTF_8)
            .start();
    f.join(0);
    String last = f.lastLines();
    assertThat(last).contains("line 19", "line 8").doesNotContain("line 7");
  }
}
