package dev.pool4j.jcstress;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CI's run of the jcstress tests (profile long): runs jcstress from this jar, on this JVM, with the
 * arguments given, echoes its output, and exits 0 only if every planned result passed. jcstress
 * 0.16 itself exits non-zero on a FORBIDDEN outcome or a hard error, but not on a soft error: a
 * test that could not run at all (a class missing from the jar, an actor that threw) is counted as
 * skipped and the run still exits 0. This run fails then too.
 */
public final class CiRun {

  /** jcstress's progress line; the last one printed is the final count. */
  private static final Pattern RESULTS =
      Pattern.compile(
          "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard"
              + " errs\\)");

  private CiRun() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    File jar;
    try {
      jar = new File(CiRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the jcstress jar", e);
    }
    List<String> command = new ArrayList<>();
    command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    command.add("-jar");
    command.add(jar.getPath());
    command.addAll(List.of(args));
    Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread stop = new Thread(run::destroy, "jcstress-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    String last = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        System.out.println(line);
        if (RESULTS.matcher(line).matches()) {
          last = line;
        }
      }
    }
    int exit = run.waitFor();
    Runtime.getRuntime().removeShutdownHook(stop);
    String verdict = verdict(exit, last);
    System.out.println(verdict == null ? "jcstress: every planned result passed" : verdict);
    System.exit(verdict == null ? 0 : 1);
  }

  /** Why the run fails, or null if it passed. */
  static String verdict(int exit, String last) {
    if (exit != 0) {
      return "jcstress FAILED: it exited with " + exit + " (a FORBIDDEN outcome or an error)";
    }
    if (last == null) {
      return "jcstress FAILED: it printed no results line";
    }
    Matcher m = RESULTS.matcher(last);
    if (!m.matches()) {
      throw new AssertionError(last);
    }
    if (!m.group(1).equals(m.group(2))) {
      return "jcstress FAILED: not every planned result passed: " + last;
    }
    return null;
  }
}
