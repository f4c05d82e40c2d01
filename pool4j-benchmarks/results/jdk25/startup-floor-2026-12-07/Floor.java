import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Starts K bare JVMs at once (pool4j's worker flags) and times until each has printed "ready". */
public final class Floor {
  private static final byte[] READY = "ready".getBytes(StandardCharsets.US_ASCII);

  public static void main(String[] args) throws Exception {
    int k = Integer.parseInt(args[0]);
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = args[1];
    long t0 = System.nanoTime();
    List<Process> ps = new ArrayList<>();
    try {
      for (int i = 0; i < k; i++) {
        ps.add(
            new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                    "-XX:-UsePerfData", "-Xshare:auto", "-cp", cp, "Ready")
                .redirectErrorStream(true)
                .start());
      }
      long spawned = System.nanoTime();
      for (Process p : ps) {
        awaitReady(p.getInputStream());
      }
      long ready = System.nanoTime();
      for (Process p : ps) {
        p.waitFor();
      }
      System.out.printf(Locale.ROOT, "RESULT k=%d spawned=%.3f ready=%.3f exited=%.3f%n", k,
          (spawned - t0) / 1e9, (ready - t0) / 1e9, (System.nanoTime() - t0) / 1e9);
    } finally {
      ps.forEach(Process::destroyForcibly);
    }
  }

  /** Reads exactly the 5 bytes of "ready", no more: anything else from a child is an error. */
  private static void awaitReady(InputStream in) throws IOException {
    byte[] got = in.readNBytes(READY.length);
    if (!java.util.Arrays.equals(got, READY)) {
      throw new IOException("a child printed " + new String(got, StandardCharsets.US_ASCII)
          + " instead of \"ready\" (run it by hand to see why)");
    }
  }
}
