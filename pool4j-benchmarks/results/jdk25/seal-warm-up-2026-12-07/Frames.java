import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bare JDK AES-GCM from a cold JVM: seal and open of 4 MiB messages, sealed whole or in frames
 * of FRAME bytes (each frame its own GCM message), until MB megabytes have gone through; prints the
 * milliseconds per 4 MiB seal+open at each 4 MB.  java -cp . Frames FRAME MB
 */
public class Frames {
  public static void main(String[] a) throws Exception {
    int frame = Integer.parseInt(a[0]);
    int mbs = Integer.parseInt(a[1]);
    SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    int msg = 4 << 20;
    byte[] big = new byte[msg], out = new byte[msg + (msg / frame + 1) * 16], back = new byte[msg];
    byte[] nonce = new byte[12];
    long counter = 0;
    StringBuilder sb = new StringBuilder();
    for (int m = 0; m < mbs / 4; m++) {
      long t0 = System.nanoTime();
      int o = 0;
      for (int off = 0; off < msg; off += frame) {
        int len = Math.min(frame, msg - off);
        counter++;
        for (int b = 0; b < 8; b++) nonce[b] = (byte) (counter >>> (8 * b));
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        int n = c.doFinal(big, off, len, out, o);
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        c.doFinal(out, o, n, back, off);
        o += n;
      }
      long t = System.nanoTime() - t0;
      if (m < 8 || m % 8 == 7) sb.append(String.format("%d:%.1f ", (m + 1) * 4, t / 1e6));
    }
    System.out.println("frame " + frame + " (MB:ms per 4MB seal+open) " + sb);
  }
}
