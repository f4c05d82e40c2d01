import java.io.*;
import java.util.*;
/** Starts K bare JVMs at once (pool4j's worker flags) and times until each has printed "ready". */
public final class Floor {
  public static void main(String[] args) throws Exception {
    int k = Integer.parseInt(args[0]);
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = args[1];
    long t0 = System.nanoTime();
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      ps.add(new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData",
          "-Xshare:auto", "-cp", cp, "Ready").redirectErrorStream(true).start());
    }
    long spawned = System.nanoTime();
    for (Process p : ps) {
      new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
    }
    long ready = System.nanoTime();
    for (Process p : ps) p.waitFor();
    System.out.printf(Locale.ROOT, "RESULT k=%d spawned=%.3f ready=%.3f exited=%.3f%n", k,
        (spawned - t0) / 1e9, (ready - t0) / 1e9, (System.nanoTime() - t0) / 1e9);
  }
}
