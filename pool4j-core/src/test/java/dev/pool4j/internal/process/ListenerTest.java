package dev.pool4j.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.internal.wire.Protocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A listener hands out the one connection that sends its token, whatever other connections do
 * meanwhile, and closes the others.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerTest {

  private static byte[] token(int seed) {
    byte[] token = new byte[Protocol.TOKEN_BYTES];
    Arrays.fill(token, (byte) seed);
    return token;
  }

  private static void send(SocketChannel channel, byte[] bytes, int from, int to)
      throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes, from, to - from);
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  /** Calls the listener again, as Child.start does, until it hands out a connection. */
  private static SocketChannel acceptWithin(Listener listener, byte[] token, int polls)
      throws IOException {
    for (int i = 0; i < polls; i++) {
      SocketChannel c = listener.accept(token, 100);
      if (c != null) {
        return c;
      }
    }
    throw new AssertionError("nothing accepted in " + polls + " polls");
  }

  /** Whether the other end closed the connection: it reads end-of-file; never blocks. */
  private static boolean closedByListener(SocketChannel c) throws IOException {
    c.configureBlocking(false);
    try {
      return c.read(ByteBuffer.allocate(1)) < 0;
    } catch (IOException e) {
      return true; // reset
    } finally {
      c.configureBlocking(true);
    }
  }

  @Test
  void aWakeupEndsTheWaitInProgressOrTheNextOne() throws Exception {
    try (Listener listener = Listener.open(true)) {
      // before the wait: the next one ends at once (the class timeout fails a lost wake-up)
      listener.wakeup();
      assertThat(listener.accept(token(7), 600_000)).isNull();
      assertThat(listener.wakeUps()).isEqualTo(1);

      CountDownLatch waiting = new CountDownLatch(1);
      Thread waker =
          new Thread(
              () -> {
                try {
                  waiting.await();
                } catch (InterruptedException e) {
                  return;
                }
                // whether the wait began yet or not, it ends
                listener.wakeup();
              });
      waker.start();
      waiting.countDown();
      assertThat(listener.accept(token(7), 600_000)).isNull();
      assertThat(listener.wakeUps()).isEqualTo(2);
      waker.join();
    }
  }

  @ParameterizedTest(name = "unix: {0}")
  @ValueSource(booleans = {true, false})
  void handsOutTheConnectionWithTheTokenWhateverTheOthersDo(boolean unix) throws Exception {
    byte[] token = token(7);
    List<SocketChannel> others = new ArrayList<>();
    Path directory;
    try (Listener listener = Listener.open(unix)) {
      assertThat(listener.address()).startsWith(unix ? "unix:" : "tcp:");
      directory = listener.directory();
      assertThat(directory != null).isEqualTo(unix);
      // more silent connections than are kept waiting, a wrong token, and a token in two pieces
      for (int i = 0; i < Listener.MAX_PENDING + 5; i++) {
        others.add(Wire.connect(listener.address()));
        // accepted as they come, as while a worker starts (the backlog is bounded)
        assertThat(listener.accept(token, 1)).isNull();
      }
      SocketChannel wrong = Wire.connect(listener.address());
      others.add(wrong);
      send(wrong, token(8), 0, Protocol.TOKEN_BYTES);
      SocketChannel worker = Wire.connect(listener.address());
      send(worker, token, 0, 5);
      for (int i = 0; i < 100 && !closedByListener(wrong); i++) {
        assertThat(listener.accept(token, 10)).isNull();
      }
      assertThat(closedByListener(wrong)).as("a wrong token is dropped").isTrue();
      assertThat(closedByListener(worker)).as("half a token waits").isFalse();
      send(worker, token, 5, Protocol.TOKEN_BYTES);

      try (SocketChannel accepted = acceptWithin(listener, token, 100)) {
        assertThat(accepted.isBlocking()).isTrue();
        send(accepted, new byte[] {42}, 0, 1);
        ByteBuffer got = ByteBuffer.allocate(1);
        worker.read(got);
        assertThat(got.get(0)).isEqualTo((byte) 42);
        // everything else is closed, the socket and its directory gone
        for (SocketChannel other : others) {
          assertThat(closedByListener(other)).isTrue();
        }
        assertThat(listener.directory()).isNull();
        if (directory != null) {
          assertThat(directory).doesNotExist();
        }
      } finally {
        worker.close();
      }
    } finally {
      for (SocketChannel other : others) {
        other.close();
      }
    }
  }
}
