package dev.pool4j.benchmarks.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The facts about this machine that a report must state. */
final class Machine {

  private Machine() {}

  /** The first three fields of {@code /proc/loadavg}, or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The CPU model, from {@code lscpu} or {@code /proc/cpuinfo}. */
  static String cpuModel() {
    String out = command("lscpu");
    if (out != null) {
      for (String line : out.split("\n")) {
        if (line.startsWith("Model name:")) {
          return line.substring("Model name:".length()).trim();
        }
      }
    }
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "unknown";
  }

  /** Total memory, from {@code /proc/meminfo}. */
  static String memory() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "unknown";
  }

  /** {@code python3 --version}, or null when there is no such command. */
  static String pythonVersion(String python) {
    String out = command(python, "--version");
    return out == null ? null : out.trim();
  }

  /** A command's output, or null when it cannot be run or fails. */
  static String command(String... command) {
    try {
      Path out = Files.createTempFile("compare-cmd", ".txt");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return null;
        }
        return p.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8) : null;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
