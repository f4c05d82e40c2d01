package dev.pool4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Sizes near 2 GiB are worked out in long arithmetic and refused before anything is allocated. */
class SizeLimitTest {

  @Test
  void aScratchRefusesSizesPastItsLimitWithoutAllocatingOrOverflowing() {
    Protocol.Scratch scratch = new Protocol.Scratch(Protocol.MAX_FRAME - Protocol.HEAD_RESERVE);
    for (int n :
        new int[] {
          Integer.MAX_VALUE,
          Integer.MAX_VALUE - Protocol.Scratch.ROOM + 1,
          Protocol.MAX_FRAME - Protocol.HEAD_RESERVE + 1,
          -1
        }) {
      assertThat(scratch.fits(n)).as("%d", n).isFalse();
      assertThatThrownBy(() -> scratch.atLeast(n))
          .as("%d", n)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(n + " bytes")
          .hasMessageContaining("limit of " + scratch.limit);
    }
    assertThat(scratch.fits(Protocol.MAX_FRAME - Protocol.HEAD_RESERVE)).isTrue();
    // a run of Integers or Longs whose size would pass an int is found too large, not wrapped
    assertThat(scratch.fits(2 + 4L * (Integer.MAX_VALUE / 4 + 1))).isFalse();
    assertThat(scratch.fits(2 + 8L * (Integer.MAX_VALUE / 8))).isFalse();
  }

  @Test
  void theLongestFrameFitsInAnArrayWithTheRoomBeforeIt() {
    assertThat((long) Protocol.MAX_FRAME + Protocol.Scratch.ROOM)
        .isLessThanOrEqualTo(Integer.MAX_VALUE - 8);
    assertThat(Protocol.maxFrameBytes()).isEqualTo(Protocol.MAX_FRAME);
  }

  @Test
  void aFrameLengthPastTheLimitIsRefusedBeforeItIsRead() throws IOException {
    Protocol.checkFrameLength("worker-1", Protocol.MAX_FRAME, Protocol.MAX_FRAME);
    assertThatThrownBy(
            () -> Protocol.checkFrameLength("worker-1", Integer.MAX_VALUE, Protocol.MAX_FRAME))
        .isInstanceOf(Protocol.FrameRefused.class)
        .hasMessageContaining(
            "worker-1 sent a frame of 2147483647 bytes, past the limit of " + Protocol.MAX_FRAME);
    assertThatThrownBy(() -> Protocol.checkFrameLength("worker-1", 0, Protocol.MAX_FRAME))
        .isInstanceOf(IOException.class);
  }

  @Test
  void valuesPastTheLimitFailAtTheFirstThatDoesNotFitAndTheOnesBeforeAreKept() {
    Protocol.Scratch scratch = new Protocol.Scratch(1000);
    Object[] values = {new byte[100], "small", new byte[2000], 3};
    Protocol.Encoded encoded = Protocol.encode(values, 4, true, scratch);
    assertThat(encoded.count).isEqualTo(2);
    assertThat(encoded.error).isInstanceOf(Protocol.ResultTooLarge.class);
    Exception clear = Protocol.notSerializable("the task's result", values[2], encoded.error);
    assertThat(clear)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("serializes to 2,027 bytes, past the limit of 1,000 bytes");
    Object[] back = new Object[2];
    assertThat(
            Protocol.decode(
                    encoded.bytes,
                    encoded.offset,
                    encoded.offset + encoded.length,
                    back,
                    0,
                    2,
                    null,
                    null)
                .count)
        .isEqualTo(2);
    assertThat(back[1]).isEqualTo("small");
  }

  @Test
  void aFailureWithHugeStringsStaysWithinItsBudget() throws IOException {
    RuntimeException huge = new RuntimeException("m".repeat(10_000_000));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Protocol.writeFailure(new DataOutputStream(bytes), huge);
    assertThat(bytes.size()).isLessThanOrEqualTo(Protocol.FAILURE_BUDGET);
    Throwable back =
        Protocol.readFailure(
            new DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())), null, null);
    assertThat(back.getMessage()).contains("more characters)");
  }

  @Test
  void aFailureWhoseLengthsPassTheBytesThereAreIsRefusedBeforeAllocating() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(Integer.MAX_VALUE - 100); // a class name of 2 GiB, says the worker
    assertThatThrownBy(
            () ->
                Protocol.readFailure(
                    new DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())),
                    null,
                    null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cut short");
  }
}
