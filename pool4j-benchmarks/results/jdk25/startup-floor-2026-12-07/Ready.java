/** A bare JVM's floor: prints one line as soon as main runs, then exits. */
public final class Ready {
  public static void main(String[] args) {
    System.out.println("ready");
  }
}
