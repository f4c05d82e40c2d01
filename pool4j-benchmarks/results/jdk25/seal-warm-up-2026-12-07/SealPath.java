package dev.pool4j.hazelcast;

/**
 * Seal+open through Seal in batches of 100 (µs per message), after no warm-up ("cold"), after
 * 16,000 rounds of 1 KiB of the bare JDK cipher ("bare"), or after CipherWarmUp ("seal").
 * java -cp pool4j-hazelcast/target/classes:pool4j-core/target/classes:. dev.pool4j.hazelcast.SealPath MODE BYTES
 */
public class SealPath {
  public static void main(String[] a) throws Exception {
    if (a[0].equals("seal")) CipherWarmUp.JVM.run();
    if (a[0].equals("bare")) bare(16_000, 1024);
    Seal seal = new Seal(new byte[32]);
    byte[] msg = new byte[Integer.parseInt(a[1])];
    StringBuilder sb = new StringBuilder(a[0] + " " + msg.length + " B, µs per seal+open by 100s:");
    for (int batch = 0; batch < 30; batch++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        byte[] id = Seal.newId();
        byte[] s = seal.seal(Seal.Direction.REQUEST, id, 0, msg, 0);
        seal.open(Seal.Direction.REQUEST, id, 0, s, 0, s.length);
      }
      if (batch < 10 || batch % 5 == 4) sb.append(String.format(" %.0f", (System.nanoTime() - t0) / 1e3 / 100));
    }
    System.out.println(sb);
  }

  static void bare(int rounds, int bytes) throws Exception {
    javax.crypto.spec.SecretKeySpec key = new javax.crypto.spec.SecretKeySpec(new byte[32], "AES");
    javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    byte[] p = new byte[bytes], s = new byte[bytes + 16];
    byte[] nonce = new byte[12];
    for (int i = 0; i < rounds; i++) {
      nonce[8] = (byte) (i >>> 24); nonce[9] = (byte) (i >>> 16); nonce[10] = (byte) (i >>> 8); nonce[11] = (byte) i;
      javax.crypto.spec.GCMParameterSpec spec = new javax.crypto.spec.GCMParameterSpec(128, nonce);
      c.init(javax.crypto.Cipher.ENCRYPT_MODE, key, spec);
      c.doFinal(p, 0, bytes, s, 0);
      c.init(javax.crypto.Cipher.DECRYPT_MODE, key, spec);
      c.doFinal(s, 0, bytes + 16, p, 0);
    }
  }
}
