package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.Pool;
import dev.pool4j.Task;
import dev.pool4j.spi.ChunkJob;
import dev.pool4j.spi.PoolBackend;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The seal of pool messages: what opens, what does not, and that a member reads nothing of a chunk
 * whose seal fails. Starts no Hazelcast instance.
 */
class SealTest {

  static final Seal SEAL =
      new Seal("the cluster's secret, 32 bytes..".getBytes(StandardCharsets.UTF_8));
  static final Seal OTHER =
      new Seal("another secret of at least 16 b".getBytes(StandardCharsets.UTF_8));

  static final byte[] PLAIN = "the inputs of a chunk".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSealedMessageOpensWithTheSameSecretDirectionIdAndContextOnly() throws Exception {
    byte[] id = Seal.newId();
    byte[] sealed = SEAL.seal(Seal.Direction.REQUEST, id, 7, PLAIN, 0);
    assertThat(SEAL.open(Seal.Direction.REQUEST, id, 7, sealed, 0, sealed.length)).isEqualTo(PLAIN);
    // the plain bytes are not in the sealed ones
    assertThat(indexOf(sealed, "inputs".getBytes(StandardCharsets.UTF_8))).isNegative();

    assertRefused(() -> OTHER.open(Seal.Direction.REQUEST, id, 7, sealed, 0, sealed.length))
        .hasMessageContaining("different cluster secret");
    // a request reflected as a response
    assertRefused(() -> SEAL.open(Seal.Direction.RESPONSE, id, 7, sealed, 0, sealed.length));
    // replayed for another chunk
    assertRefused(
        () -> SEAL.open(Seal.Direction.REQUEST, Seal.newId(), 7, sealed, 0, sealed.length));
    // with another context (a response's reported time)
    assertRefused(() -> SEAL.open(Seal.Direction.REQUEST, id, 8, sealed, 0, sealed.length));
    assertRefused(() -> SEAL.open(Seal.Direction.REQUEST, id, 7, sealed, 0, 10))
        .hasMessageContaining("not a sealed pool message");
  }

  @Test
  void flippingAnyOneByteOfASealedMessageMakesItRefused() {
    byte[] id = Seal.newId();
    byte[] sealed = SEAL.seal(Seal.Direction.RESPONSE, id, 0, PLAIN, 0);
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertRefused(() -> SEAL.open(Seal.Direction.RESPONSE, id, 0, tampered, 0, tampered.length));
    }
  }

  // ---------------------------------------------------------------- frames

  static final int F = Seal.FRAME_BYTES;
  static final int WHOLE = F + Seal.TAG_BYTES;

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void messagesOfAnySizeOpenIntactInAsManyFramesAsTheyNeed() throws Exception {
    int[] sizes = {0, 1, 100, F - 1, F, F + 1, 2 * F, 2 * F + 1, 3 * F + 17, 64 * F + 5};
    int[] frames = {1, 1, 1, 1, 1, 2, 2, 3, 4, 65};
    for (int k = 0; k < sizes.length; k++) {
      byte[] plain = random(sizes[k], k);
      byte[] id = Seal.newId();
      byte[] sealed = SEAL.seal(Seal.Direction.REQUEST, id, 3, plain, 2);
      assertThat(Seal.frames(plain.length)).as("frames of %d bytes", sizes[k]).isEqualTo(frames[k]);
      assertThat(sealed).hasSize(2 + Seal.HEAD + plain.length + frames[k] * Seal.TAG_BYTES);
      assertThat(SEAL.open(Seal.Direction.REQUEST, id, 3, sealed, 2, sealed.length - 2))
          .as("%d bytes", sizes[k])
          .isEqualTo(plain);
      assertRefused(() -> OTHER.open(Seal.Direction.REQUEST, id, 3, sealed, 2, sealed.length - 2));
    }
  }

  @Test
  void framesCutReorderedRepeatedAddedOrTakenFromAnotherMessageDoNotOpen() {
    byte[] plain = random(2 * F + 100, 42);
    byte[] id = Seal.newId();
    byte[] sealed = SEAL.seal(Seal.Direction.RESPONSE, id, 9, plain, 0);
    assertThat(sealed).hasSize(Seal.HEAD + 3 * Seal.TAG_BYTES + plain.length);
    int f0 = Seal.HEAD;
    int f1 = f0 + WHOLE;
    int f2 = f1 + WHOLE;

    // cut after a whole frame: what is left ends with a frame sealed as not the last
    for (int cut : new int[] {f1, f2}) {
      assertRefused(() -> SEAL.open(Seal.Direction.RESPONSE, id, 9, sealed, 0, cut));
    }
    // cut inside a frame, or a byte short
    assertRefused(() -> SEAL.open(Seal.Direction.RESPONSE, id, 9, sealed, 0, f2 + 20));
    assertRefused(() -> SEAL.open(Seal.Direction.RESPONSE, id, 9, sealed, 0, sealed.length - 1));
    // the two whole frames swapped, or the first one twice
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, f1, swapped, f0, WHOLE);
    System.arraycopy(sealed, f0, swapped, f1, WHOLE);
    assertRefused(() -> SEAL.open(Seal.Direction.RESPONSE, id, 9, swapped, 0, swapped.length));
    byte[] repeated = sealed.clone();
    System.arraycopy(sealed, f0, repeated, f1, WHOLE);
    assertRefused(() -> SEAL.open(Seal.Direction.RESPONSE, id, 9, repeated, 0, repeated.length));
    // a frame added after the last: the last one again, or a whole frame
    byte[] longer = Arrays.copyOf(sealed, sealed.length + sealed.length - f2);
    System.arraycopy(sealed, f2, longer, sealed.length, sealed.length - f2);
    assertRefused(() -> SEAL.open(Seal.Direction.RESPONSE, id, 9, longer, 0, longer.length));
    // the middle frame of another sealing of the same bytes, for the same chunk: another key
    byte[] other = SEAL.seal(Seal.Direction.RESPONSE, id, 9, plain, 0);
    byte[] spliced = sealed.clone();
    System.arraycopy(other, f1, spliced, f1, WHOLE);
    assertRefused(() -> SEAL.open(Seal.Direction.RESPONSE, id, 9, spliced, 0, spliced.length));
    // and no two sealings share a frame
    for (int at = f0; at < sealed.length; at += WHOLE) {
      assertThat(Arrays.equals(sealed, at, at + 32, other, at, at + 32)).isFalse();
    }
  }

  @Test
  void flippingAByteInAnyFrameOfALongMessageMakesItRefused() throws Exception {
    byte[] plain = random(2 * F + 100, 7);
    byte[] id = Seal.newId();
    byte[] sealed = SEAL.seal(Seal.Direction.REQUEST, id, 0, plain, 0);
    java.util.SortedSet<Integer> positions = new java.util.TreeSet<>();
    for (int i = 0; i < Seal.HEAD + 20; i++) {
      positions.add(i);
    }
    for (int frame = Seal.HEAD; frame < sealed.length; frame += WHOLE) {
      // each frame's first bytes, and the ends of its ciphertext and of its tag
      for (int d = 0; d < 20; d++) {
        positions.add(frame + d);
        positions.add(Math.min(sealed.length, frame + WHOLE) - 1 - d);
        positions.add(Math.min(sealed.length, frame + WHOLE) - Seal.TAG_BYTES - 1 - d);
      }
    }
    for (int i = 0; i < sealed.length; i += 97) {
      positions.add(i);
    }
    for (int i : positions) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= (byte) (1 << (i % 8));
      assertRefused(() -> SEAL.open(Seal.Direction.REQUEST, id, 0, tampered, 0, tampered.length));
    }
    assertThat(SEAL.open(Seal.Direction.REQUEST, id, 0, sealed, 0, sealed.length)).isEqualTo(plain);
  }

  @Test
  void thePoolAcceptsOnlyAReplySealedForItsChunk() throws Exception {
    byte[] id = Seal.newId();
    byte[] reply = reply(SEAL, id, 1234, PLAIN);
    ChunkTask.Reply opened = ChunkTask.open(SEAL, id, reply);
    assertThat(opened.outcome()).isEqualTo(PLAIN);
    assertThat(opened.nanos()).isEqualTo(1234);

    assertRefused(() -> ChunkTask.open(SEAL, Seal.newId(), reply));
    assertRefused(() -> ChunkTask.open(SEAL, id, reply(OTHER, id, 1234, PLAIN)));
    // the time in clear is bound to the seal
    byte[] faster = reply.clone();
    faster[8] ^= 0x10;
    assertRefused(() -> ChunkTask.open(SEAL, id, faster));
    // the request's own bytes sent back as the reply
    byte[] request = SEAL.seal(Seal.Direction.REQUEST, id, 0, PLAIN, ChunkTask.REPLY_HEAD);
    request[0] = ChunkTask.SEALED;
    assertRefused(() -> ChunkTask.open(SEAL, id, request));
    assertRefused(() -> ChunkTask.open(SEAL, id, "a string, not bytes"))
        .hasMessageContaining("not a pool4j reply");
    assertRefused(() -> ChunkTask.open(SEAL, id, null));
    assertRefused(() -> ChunkTask.open(SEAL, id, ChunkTask.refusal("no\u0007thanks\n")))
        .hasMessageContaining("refused the chunk, saying: no?thanks?");
  }

  @Test
  void aMissingClassReplyCountsOnlyWhenSealedForTheChunk() throws Exception {
    byte[] id = Seal.newId();
    byte[] missing = missing(SEAL, id, "com.example.Render\u0007");
    ChunkTask.Reply opened = ChunkTask.open(SEAL, id, missing);
    assertThat(opened.missingClass()).isEqualTo("com.example.Render?");
    assertThat(opened.outcome()).isNull();

    assertRefused(() -> ChunkTask.open(SEAL, Seal.newId(), missing));
    assertRefused(() -> ChunkTask.open(SEAL, id, missing(OTHER, id, "com.example.Render")));
    // a result relabelled as a missing class, and the other way round: the context differs
    byte[] result = reply(SEAL, id, 0, PLAIN);
    byte[] relabelled = new byte[1 + result.length - ChunkTask.REPLY_HEAD];
    System.arraycopy(result, ChunkTask.REPLY_HEAD, relabelled, 1, relabelled.length - 1);
    relabelled[0] = ChunkTask.MISSING;
    assertRefused(() -> ChunkTask.open(SEAL, id, relabelled));
    byte[] asResult = new byte[ChunkTask.REPLY_HEAD - 1 + missing.length];
    System.arraycopy(missing, 0, asResult, ChunkTask.REPLY_HEAD - 1, missing.length);
    asResult[0] = ChunkTask.SEALED;
    for (int i = 1; i < ChunkTask.REPLY_HEAD; i++) {
      asResult[i] = (byte) 0xFF; // nanos -1, read as a result's time
    }
    assertRefused(() -> ChunkTask.open(SEAL, id, asResult));
  }

  static byte[] missing(Seal seal, byte[] id, String className) {
    byte[] reply =
        seal.seal(
            Seal.Direction.RESPONSE,
            id,
            ChunkTask.MISSING_CONTEXT,
            className.getBytes(StandardCharsets.UTF_8),
            1);
    reply[0] = ChunkTask.MISSING;
    return reply;
  }

  static byte[] reply(Seal seal, byte[] id, long nanos, byte[] outcome) {
    byte[] reply = seal.seal(Seal.Direction.RESPONSE, id, nanos, outcome, ChunkTask.REPLY_HEAD);
    reply[0] = ChunkTask.SEALED;
    for (int i = 0; i < 8; i++) {
      reply[1 + i] = (byte) (nanos >>> (56 - 8 * i));
    }
    return reply;
  }

  // ---------------------------------------------------------------- no deserialization

  /** Set when an instance is deserialized: its readObject ran. */
  static final AtomicBoolean READ = new AtomicBoolean();

  /** A task whose deserialization shows. */
  static final class Flagging implements Task<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer apply(Integer x) {
      return x + 1;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      READ.set(true);
    }
  }

  @Test
  void aMemberDeserializesNothingOfAChunkWhoseSealFails() throws Exception {
    byte[] message = chunkMessage(new Flagging(), List.of(1, 2, 3));
    ChunkTask.Runner member = new ChunkTask.SealedRunner(SEAL);
    byte[] id = Seal.newId();
    byte[] sealed = SEAL.seal(Seal.Direction.REQUEST, id, 0, message, 0);

    // intact: the member reads the task (the flag shows it) and answers a sealed reply
    READ.set(false);
    byte[] reply = member.answer(id, sealed, "member under test");
    assertThat(READ).isTrue();
    assertThat(ChunkTask.open(SEAL, id, reply).outcome()).isNotEmpty();

    // one byte of the ciphertext flipped: refused before anything is read
    READ.set(false);
    byte[] tampered = sealed.clone();
    tampered[Seal.HEAD + 5] ^= 0x01;
    byte[] refusal = member.answer(id, tampered, "member under test");
    assertThat(READ).isFalse();
    assertThat(refusal[0]).isEqualTo(ChunkTask.REFUSED);
    assertThat(new String(refusal, 1, refusal.length - 1, StandardCharsets.UTF_8))
        .contains("member under test refused a chunk")
        .contains("sealed with a different cluster secret")
        .contains("--secret-file")
        .contains(ClusterSecret.ENV);

    // sealed with another secret: the same
    byte[] foreign = OTHER.seal(Seal.Direction.REQUEST, id, 0, message, 0);
    assertThat(member.answer(id, foreign, "member under test")[0]).isEqualTo(ChunkTask.REFUSED);
    // a reply reflected as a request
    byte[] reflected = SEAL.seal(Seal.Direction.RESPONSE, id, 0, message, 0);
    assertThat(member.answer(id, reflected, "member under test")[0]).isEqualTo(ChunkTask.REFUSED);
    assertThat(member.answer(null, sealed, "member under test")[0]).isEqualTo(ChunkTask.REFUSED);
    assertThat(READ).isFalse();
  }

  /** The message a pool hands a backend for one chunk of these inputs. */
  static byte[] chunkMessage(Task<Integer, Integer> task, List<Integer> inputs) {
    AtomicReference<byte[]> message = new AtomicReference<>();
    PoolBackend capture =
        new PoolBackend() {
          @Override
          public int start(int workers) {
            return 1;
          }

          @Override
          public void run(ChunkJob job) {
            message.compareAndSet(null, job.message());
            job.done(new Object[job.size()], job.size(), null, "capture", 0);
          }

          @Override
          public void terminate() {}

          @Override
          public void close() {}
        };
    Pool pool = Pool.builder().backend(capture).build();
    try {
      pool.map(task, inputs, inputs.size());
    } finally {
      pool.close();
    }
    return message.get();
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  interface Opening {
    Object open() throws Exception;
  }

  static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      Opening opening) {
    return assertThatThrownBy(opening::open).isInstanceOf(Seal.Refused.class);
  }

  @Test
  void theKeyIsHkdfOfTheSecret() {
    // RFC 5869's construction with this module's salt and info: a fixed secret gives a fixed key
    byte[] a = Seal.hkdf("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    byte[] b = Seal.hkdf("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    byte[] c = Seal.hkdf("0123456789abcdeg".getBytes(StandardCharsets.US_ASCII));
    assertThat(a).hasSize(32).isEqualTo(b);
    assertThat(Arrays.equals(a, c)).isFalse();
  }
}
