package dev.pool4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A frame whose head is written into the room before an encoding (one write) is the same, byte for
 * byte, as one written the plain way (head, then values), and decodes to the values sent.
 */
class FrameTest {

  /** Counts the writes that reach the stream under the frame's writer. */
  private static final class Counting extends ByteArrayOutputStream {
    int writes;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes++;
      super.write(b, off, len);
    }

    @Override
    public synchronized void write(int b) {
      writes++;
      super.write(b);
    }
  }

  private static Protocol.Head head(int size) throws IOException {
    Protocol.Head head = new Protocol.Head();
    for (int i = 0; i < size; i++) {
      head.data.writeByte(i);
    }
    return head;
  }

  @Test
  void aFrameWrittenIntoTheRoomBeforeItsValuesEqualsOneWrittenInTwoPieces() throws IOException {
    List<Object[]> runs =
        List.of(
            new Object[] {1, 2, Integer.MIN_VALUE, Integer.MAX_VALUE},
            new Object[] {1L, -2L, Long.MAX_VALUE},
            new Object[] {"a", null, 3, 4.5d, new byte[] {7}},
            new Object[] {List.of(1, 2)}); // serialized: no room before it
    // heads of every size up to past the room
    for (int headSize = 0; headSize <= Protocol.Scratch.ROOM; headSize++) {
      for (Object[] values : runs) {
        Protocol.Encoded encoded =
            Protocol.encode(values, values.length, true, new Protocol.Scratch());
        byte[] copy =
            Arrays.copyOfRange(encoded.bytes, encoded.offset, encoded.offset + encoded.length);
        Protocol.Head head = head(headSize);

        Counting oneWay = new Counting();
        Protocol.writeFrame(
            new DataOutputStream(oneWay),
            Protocol.RESULTS,
            head.buffer(),
            head.size(),
            encoded.bytes,
            encoded.offset,
            encoded.length);
        Counting plainWay = new Counting();
        Protocol.writeFrame(
            new DataOutputStream(plainWay), Protocol.RESULTS, head.buffer(), head.size(), copy);

        String what = headSize + "-byte head, " + Arrays.deepToString(values);
        assertThat(oneWay.toByteArray()).as(what).isEqualTo(plainWay.toByteArray());
        boolean fits = encoded.offset >= 5 + headSize;
        boolean plain = !(values[0] instanceof List);
        assertThat(fits).as(what).isEqualTo(plain && headSize <= Protocol.Scratch.ROOM - 5);
        assertThat(oneWay.writes).as(what).isEqualTo(fits ? 1 : plainWay.writes);

        byte[] frame = oneWay.toByteArray();
        Object[] back = new Object[values.length];
        Protocol.Decoded decoded =
            Protocol.decode(frame, 5 + headSize, frame.length, back, 0, values.length, null, null);
        assertThat(decoded.error).as(what).isNull();
        assertThat(Arrays.deepEquals(back, values)).as(what).isTrue();
      }
    }
  }
}
