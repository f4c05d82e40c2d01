public class Lg {
  public static void main(String[] a) {
    long t0 = System.nanoTime();
    System.Logger l = System.getLogger("dev.pool4j");
    long t1 = System.nanoTime();
    l.log(System.Logger.Level.DEBUG, () -> "x");
    long t2 = System.nanoTime();
    System.out.printf("getLogger %.1f ms, first log %.1f ms%n", (t1-t0)/1e6, (t2-t1)/1e6);
  }
}
