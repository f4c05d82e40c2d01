package dev.pool4j.hazelcast;

/**
 * Seal and open of a 4 MiB message through Seal, 8 times, after CipherWarmUp ("warm") or cold.
 * java -cp pool4j-hazelcast/target/classes:pool4j-core/target/classes:. dev.pool4j.hazelcast.BigAfterWarmUp MODE
 */
public class BigAfterWarmUp {
  public static void main(String[] a) throws Exception {
    long t0 = System.nanoTime();
    if (a[0].equals("warm")) {
      CipherWarmUp.JVM.run();
    }
    System.out.printf("%s warm-up %.0f ms; 4 MiB seal+open ms:", a[0], (System.nanoTime() - t0) / 1e6);
    Seal seal = new Seal(new byte[32]);
    byte[] big = new byte[4 << 20];
    for (int k = 0; k < 8; k++) {
      byte[] id = Seal.newId();
      long b0 = System.nanoTime();
      byte[] s = seal.seal(Seal.Direction.REQUEST, id, 0, big, 0);
      seal.open(Seal.Direction.REQUEST, id, 0, s, 0, s.length);
      System.out.printf(" %.1f", (System.nanoTime() - b0) / 1e6);
    }
    System.out.println("  (" + System.getProperty("java.version") + ")");
  }
}
