package dev.pool4j.process;

import java.util.List;
import java.util.stream.Collectors;

/** The worker processes of this JVM, for tests. */
final class Children {
  static final String MAIN = "dev.pool4j.internal.process.WorkerMain";

  private Children() {}

  /** Live child processes of this JVM that run a pool worker. */
  static List<ProcessHandle> workers() {
    return ProcessHandle.current()
        .children()
        .filter(Children::isWorker)
        .collect(Collectors.toList());
  }

  static boolean isWorker(ProcessHandle p) {
    return p.isAlive()
        && p.info().arguments().map(args -> List.of(args).contains(MAIN)).orElse(false);
  }
}
