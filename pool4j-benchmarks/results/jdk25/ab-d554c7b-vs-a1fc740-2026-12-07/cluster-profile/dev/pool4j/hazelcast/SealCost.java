package dev.pool4j.hazelcast;

import java.util.Locale;

/** Seal and open of a chunk-sized message, both directions: ns per item at B bytes an item. */
public final class SealCost {
  public static void main(String[] args) throws Exception {
    int items = Integer.parseInt(args[0]);
    int bytesPerItem = Integer.parseInt(args[1]);
    Seal seal = new Seal(new byte[32]);
    byte[] plain = new byte[items * bytesPerItem];
    long total = 1_000_000L;
    for (int round = 0; round < 8; round++) {
      long t0 = System.nanoTime();
      long done = 0;
      while (done < total) {
        byte[] id = Seal.newId();
        byte[] req = seal.seal(Seal.Direction.REQUEST, id, 0, plain, 0);
        byte[] in = seal.open(Seal.Direction.REQUEST, id, 0, req, 0, req.length);
        byte[] rep = seal.seal(Seal.Direction.RESPONSE, id, 7, in, 0);
        seal.open(Seal.Direction.RESPONSE, id, 7, rep, 0, rep.length);
        done += items;
      }
      System.out.printf(Locale.ROOT, "items/chunk %d, %d B/item: %.2f ns/item (seal+open, both ways)%n",
          items, bytesPerItem, (System.nanoTime() - t0) / (double) done);
    }
  }
}
