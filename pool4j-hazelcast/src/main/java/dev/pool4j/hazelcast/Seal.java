package dev.pool4j.hazelcast;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the pool's messages on a cluster: AES-256-GCM in frames of {@value #FRAME_BYTES}
 * plain bytes, under a key of the message's own, with the JDK's crypto only.
 *
 * <pre>
 * sealed    = version (1 byte, {@value #VERSION}) | salt (16 random bytes) | frame 0 | frame 1 | ...
 * frame i   = AES-256-GCM(key of the message, nonce i, AAD, plain[i * 16 KiB, (i + 1) * 16 KiB))
 *             | tag (16 bytes); every frame but the last holds 16 KiB, the last 0 to 16 KiB
 * key       = HKDF-SHA256(salt "pool4j cluster secret", secret, info "pool4j frame keys", 32 bytes)
 * message's = HMAC-SHA256(key, "pool4j-cluster/2 frame key" | salt): the AES-256 key of one message
 * nonce i   = 7 zero bytes | 1 if frame i is the last, else 0 | i (4 bytes, big-endian)
 * AAD       = "pool4j-cluster/2/" + direction ("request" or "response") | id (16 bytes) | context (8)
 * </pre>
 *
 * <p>The additional authenticated data binds every frame to its direction and to the id the pool
 * gave the chunk (a fresh one per sending, retries included), and a response to its context (the
 * time the member reports): a sealed request cannot be reflected as a response, and a sealed result
 * cannot be replayed as another chunk's. The nonce binds a frame to its place: frames reordered,
 * dropped, repeated, cut off after any frame or added after the last do not open, nor do frames of
 * two messages put together (each message has a key of its own). Nothing is read from a message
 * before {@link #open} has checked the tag of every frame.
 *
 * <p>Keys and nonces: a message's key comes from a random 128-bit salt, so a key repeats with a
 * negligible chance below about 2<sup>64</sup> messages; within a message, each frame's nonce is
 * its own. No nonce is used twice under a key however much a cluster sends (with one random nonce
 * per frame under one key, 2<sup>32</sup> frames, 64 TiB, would be the limit).
 *
 * <p>Why frames: the JDK runs AES-GCM at GB/s only in code that C2 compiled with the AES and
 * carry-less multiply intrinsics, after some thousands of calls into the cipher; until then it runs
 * at 50-90 MB/s here (JDK 17 and 25). One call per message, the calls are too few: a raw loop of 4
 * MiB messages sealed and opened whole ran at that speed for all of its first 128 MB, on both JDKs,
 * where frames of 16 KiB reached 2-4 ms per 4 MiB after about 30 MB. And on JDK 17 a whole 4 MiB
 * message stayed at about 90 MB/s even after 150,000 small messages had warmed the cipher up, where
 * frames of 16-64 KiB ran at GB/s ({@code pool4j-benchmarks/results/jdk25/seal-warm-up-*}). {@link
 * CipherWarmUp} compiles the cipher before the pool's messages come. Each message and frame adds a
 * little (an HMAC and a key schedule per message, an init and a tag per frame). Thread safe: one
 * {@link Cipher} and one {@link Mac} per thread.
 */
final class Seal {

  /** The layout's version: a message of another version is refused, not guessed at. */
  static final byte VERSION = 2;

  static final int SALT_BYTES = 16;
  static final int TAG_BYTES = 16;
  static final int ID_BYTES = 16;
  static final int NONCE_BYTES = 12;

  /** The plain bytes of every frame but the last. */
  static final int FRAME_BYTES = 16 * 1024;

  /** Version and salt: what a sealed message begins with. */
  static final int HEAD = 1 + SALT_BYTES;

  /** Which way a message goes; part of what it is sealed with. */
  enum Direction {
    REQUEST,
    RESPONSE;

    final byte[] label =
        ("pool4j-cluster/" + VERSION + "/" + name().toLowerCase(java.util.Locale.ROOT))
            .getBytes(StandardCharsets.US_ASCII);
  }

  /** Why a message would not open: its seal failed, or it is not a sealed message at all. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final byte[] FRAME_KEY_LABEL = bytes("pool4j-cluster/" + VERSION + " frame key");

  /** One cipher per thread: {@code Cipher.getInstance} costs microseconds, {@code init} little. */
  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("this JVM has no AES/GCM/NoPadding", e);
            }
          });

  /** One HMAC per thread, keyed with this seal's key: it makes each message's key. */
  private final ThreadLocal<Mac> frameKeys;

  /**
   * A seal keyed by this secret.
   *
   * @param secret the cluster secret's bytes; not kept
   */
  Seal(byte[] secret) {
    byte[] derived = hkdf(secret);
    SecretKeySpec key = new SecretKeySpec(derived, "HmacSHA256");
    Arrays.fill(derived, (byte) 0);
    this.frameKeys =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
              } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("this JVM has no HmacSHA256", e);
              }
            });
  }

  /** A fresh id for one sending of a chunk. */
  static byte[] newId() {
    byte[] id = new byte[ID_BYTES];
    RANDOM.nextBytes(id);
    return id;
  }

  /** How many frames {@code plainBytes} are sealed in: at least one, the empty message too. */
  static int frames(long plainBytes) {
    return (int) Math.max(1, (plainBytes + FRAME_BYTES - 1) / FRAME_BYTES);
  }

  /**
   * Seals {@code plain}, leaving {@code headRoom} bytes free in front of the sealed bytes (for a
   * reply's header), so that nothing is copied after sealing.
   */
  byte[] seal(Direction direction, byte[] id, long context, byte[] plain, int headRoom) {
    int frames = frames(plain.length);
    long length = (long) headRoom + HEAD + plain.length + (long) frames * TAG_BYTES;
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a pool message of " + plain.length + " bytes is too large to seal: use smaller chunks");
    }
    byte[] out = new byte[(int) length];
    out[headRoom] = VERSION;
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    System.arraycopy(salt, 0, out, headRoom + 1, SALT_BYTES);
    SecretKeySpec key = messageKey(salt);
    byte[] aad = aad(direction, id, context);
    byte[] nonce = new byte[NONCE_BYTES];
    Cipher cipher = CIPHER.get();
    int from = 0;
    int at = headRoom + HEAD;
    try {
      for (int i = 0; i < frames; i++) {
        int n = Math.min(FRAME_BYTES, plain.length - from);
        cipher.init(Cipher.ENCRYPT_MODE, key, nonce(nonce, i, i == frames - 1));
        cipher.updateAAD(aad);
        int written = cipher.doFinal(plain, from, n, out, at);
        if (written != n + TAG_BYTES) {
          throw new IllegalStateException("AES-GCM wrote " + written + " bytes for " + n);
        }
        from += n;
        at += written;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing a pool message failed", e);
    }
    return out;
  }

  /**
   * Opens {@code in[offset, offset + length)}, sealed with {@link #seal} for this direction, id and
   * context, and returns the plain bytes; returns nothing of them unless every frame's tag
   * verifies.
   *
   * @throws Refused if it was sealed with another secret, for another direction, id or context,
   *     altered, cut or extended, or is not a sealed message of this version
   */
  byte[] open(Direction direction, byte[] id, long context, byte[] in, int offset, int length)
      throws Refused {
    if (length < HEAD + TAG_BYTES) {
      throw new Refused("not a sealed pool message (" + length + " bytes)");
    }
    if (in[offset] != VERSION) {
      throw new Refused(
          "sealed in another layout (version " + in[offset] + ", this pool4j has " + VERSION + ")");
    }
    int body = length - HEAD;
    int whole = FRAME_BYTES + TAG_BYTES;
    int frames = Math.max(1, (int) (((long) body + whole - 1) / whole));
    int last = body - (frames - 1) * whole;
    if (last < TAG_BYTES) {
      throw new Refused("not a sealed pool message (a frame of " + last + " bytes)");
    }
    byte[] salt = Arrays.copyOfRange(in, offset + 1, offset + HEAD);
    SecretKeySpec key = messageKey(salt);
    byte[] aad = aad(direction, id, context);
    byte[] nonce = new byte[NONCE_BYTES];
    byte[] plain = new byte[body - frames * TAG_BYTES];
    Cipher cipher = CIPHER.get();
    int at = offset + HEAD;
    int to = 0;
    try {
      for (int i = 0; i < frames; i++) {
        int n = i == frames - 1 ? last : whole;
        cipher.init(Cipher.DECRYPT_MODE, key, nonce(nonce, i, i == frames - 1));
        cipher.updateAAD(aad);
        to += cipher.doFinal(in, at, n, plain, to);
        at += n;
      }
    } catch (AEADBadTagException e) {
      throw new Refused(
          "its seal does not verify: it was sealed with a different cluster secret, or altered");
    } catch (GeneralSecurityException e) {
      throw new Refused("it could not be opened: " + e);
    }
    if (to != plain.length) {
      throw new IllegalStateException("AES-GCM opened " + to + " bytes of " + plain.length);
    }
    return plain;
  }

  /** The AES key of the message with this salt. */
  private SecretKeySpec messageKey(byte[] salt) {
    Mac mac = frameKeys.get();
    mac.update(FRAME_KEY_LABEL);
    byte[] key = mac.doFinal(salt);
    try {
      return new SecretKeySpec(key, "AES");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Frame {@code index}'s nonce, written into {@code nonce}. */
  private static GCMParameterSpec nonce(byte[] nonce, int index, boolean last) {
    nonce[7] = (byte) (last ? 1 : 0);
    nonce[8] = (byte) (index >>> 24);
    nonce[9] = (byte) (index >>> 16);
    nonce[10] = (byte) (index >>> 8);
    nonce[11] = (byte) index;
    return new GCMParameterSpec(TAG_BYTES * 8, nonce);
  }

  private static byte[] aad(Direction direction, byte[] id, long context) {
    byte[] label = direction.label;
    byte[] aad = new byte[label.length + ID_BYTES + 8];
    System.arraycopy(label, 0, aad, 0, label.length);
    System.arraycopy(id, 0, aad, label.length, ID_BYTES);
    for (int i = 0; i < 8; i++) {
      aad[label.length + ID_BYTES + i] = (byte) (context >>> (56 - 8 * i));
    }
    return aad;
  }

  /** HKDF-SHA256 (RFC 5869) of the secret, one block: the key that makes each message's key. */
  static byte[] hkdf(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(bytes("pool4j cluster secret"), "HmacSHA256"));
      byte[] prk = mac.doFinal(secret);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(bytes("pool4j frame keys"));
      mac.update((byte) 1);
      byte[] okm = mac.doFinal();
      Arrays.fill(prk, (byte) 0);
      return okm;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("this JVM has no HmacSHA256", e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
