import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bare JDK AES-GCM: ROUNDS rounds of a 512-byte seal+open, then SIZE-byte messages sealed and
 * opened whole ITERS times (8 lines printed).  java -cp . Raw ROUNDS SIZE [ITERS]
 */
public class Raw {
  public static void main(String[] a) throws Exception {
    int rounds = Integer.parseInt(a[0]);
    int size = Integer.parseInt(a[1]);
    SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] small = new byte[512], sout = new byte[512 + 16], sback = new byte[512];
    byte[] nonce = new byte[12];
    long t0 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      nonce[0] = (byte) i; nonce[1] = (byte) (i >> 8); nonce[2] = (byte) (i >> 16);
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.doFinal(small, 0, 512, sout, 0);
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.doFinal(sout, 0, 528, sback, 0);
    }
    System.out.printf("warm %d rounds %.1f ms%n", rounds, (System.nanoTime() - t0) / 1e6);
    byte[] big = new byte[size], bout = new byte[size + 16], bback = new byte[size];
    int iters = a.length > 2 ? Integer.parseInt(a[2]) : 8; for (int k = 0; k < iters; k++) {
      nonce[5] = (byte) k; nonce[6] = 1; nonce[7] = (byte) (k >> 8);
      long b0 = System.nanoTime();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.doFinal(big, 0, size, bout, 0);
      long b1 = System.nanoTime();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.doFinal(bout, 0, size + 16, bback, 0);
      long b2 = System.nanoTime();
      if (k % (iters / 8) == 0) System.out.printf("%d B enc %.2f ms (%.0f MB/s) dec %.2f ms%n", size, (b1 - b0) / 1e6, size / ((b1 - b0) / 1e3), (b2 - b1) / 1e6);
    }
  }
}
