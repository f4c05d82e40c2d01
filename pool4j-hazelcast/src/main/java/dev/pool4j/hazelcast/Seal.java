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
 * Seals and opens the pool's messages on a cluster: AES-256-GCM with a key derived from the cluster
 * secret, with the JDK's crypto only.
 *
 * <pre>
 * sealed  = version (1 byte, {@value #VERSION}) | nonce (12 random bytes) | ciphertext | tag (16)
 * AAD     = "pool4j-cluster/1/" + direction ("request" or "response") | id (16 bytes) | context (8)
 * key     = HKDF-SHA256(salt "pool4j cluster secret", secret, info "pool4j AES-256-GCM", 32 bytes)
 * </pre>
 *
 * <p>The additional authenticated data binds a message to its direction and to the id the pool gave
 * the chunk (a fresh one per sending, retries included), and a response to its context (the time
 * the member reports): a sealed request cannot be reflected as a response, and a sealed result
 * cannot be replayed as another chunk's. Nothing is read from a message before {@link #open} has
 * checked its tag.
 *
 * <p>Nonces are random: 96 bits give a negligible chance of a repeat below about 2<sup>32</sup>
 * messages under one key, which at one message per adaptive chunk (about 20 ms) is decades of a
 * busy cluster.
 *
 * <p>Cost: one {@link Cipher} per thread, re-initialised per message; AES-GCM runs at several GB/s
 * where the JDK has its intrinsics (x86 with AES-NI and CLMUL, ARMv8), a few nanoseconds per tiny
 * item, sealed once and opened once each way. Thread safe.
 */
final class Seal {

  /** The layout's version: a message of another version is refused, not guessed at. */
  static final byte VERSION = 1;

  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  static final int ID_BYTES = 16;

  /** Version, nonce and tag: what sealing adds to a message. */
  static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

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

  private final SecretKeySpec key;

  /**
   * A seal keyed by this secret.
   *
   * @param secret the cluster secret's bytes; not kept
   */
  Seal(byte[] secret) {
    this.key = new SecretKeySpec(hkdf(secret), "AES");
  }

  /** A fresh id for one sending of a chunk. */
  static byte[] newId() {
    byte[] id = new byte[ID_BYTES];
    RANDOM.nextBytes(id);
    return id;
  }

  /**
   * Seals {@code plain}, leaving {@code headRoom} bytes free in front of the sealed bytes (for a
   * reply's header), so that nothing is copied after sealing.
   */
  byte[] seal(Direction direction, byte[] id, long context, byte[] plain, int headRoom) {
    byte[] out = new byte[headRoom + OVERHEAD + plain.length];
    out[headRoom] = VERSION;
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, headRoom + 1, NONCE_BYTES);
    Cipher cipher = CIPHER.get();
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
      cipher.updateAAD(aad(direction, id, context));
      int n = cipher.doFinal(plain, 0, plain.length, out, headRoom + 1 + NONCE_BYTES);
      if (n != plain.length + TAG_BYTES) {
        throw new IllegalStateException("AES-GCM wrote " + n + " bytes for " + plain.length);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing a pool message failed", e);
    }
    return out;
  }

  /**
   * Opens {@code in[offset, offset + length)}, sealed with {@link #seal} for this direction, id and
   * context, and returns the plain bytes; reads nothing of them unless the tag verifies.
   *
   * @throws Refused if it was sealed with another secret, for another direction, id or context,
   *     altered, or is not a sealed message of this version
   */
  byte[] open(Direction direction, byte[] id, long context, byte[] in, int offset, int length)
      throws Refused {
    if (length < OVERHEAD) {
      throw new Refused("not a sealed pool message (" + length + " bytes)");
    }
    if (in[offset] != VERSION) {
      throw new Refused(
          "sealed in another layout (version " + in[offset] + ", this pool4j has " + VERSION + ")");
    }
    Cipher cipher = CIPHER.get();
    try {
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BYTES * 8, in, offset + 1, NONCE_BYTES));
      cipher.updateAAD(aad(direction, id, context));
      int start = offset + 1 + NONCE_BYTES;
      int cipherLength = length - 1 - NONCE_BYTES;
      byte[] plain = new byte[cipherLength - TAG_BYTES];
      int n = cipher.doFinal(in, start, cipherLength, plain, 0);
      return n == plain.length ? plain : Arrays.copyOf(plain, n);
    } catch (AEADBadTagException e) {
      throw new Refused(
          "its seal does not verify: it was sealed with a different cluster secret, or altered");
    } catch (GeneralSecurityException e) {
      throw new Refused("it could not be opened: " + e);
    }
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

  /** HKDF-SHA256 (RFC 5869) of the secret, one block: the AES-256 key. */
  static byte[] hkdf(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(bytes("pool4j cluster secret"), "HmacSHA256"));
      byte[] prk = mac.doFinal(secret);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(bytes("pool4j AES-256-GCM"));
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
