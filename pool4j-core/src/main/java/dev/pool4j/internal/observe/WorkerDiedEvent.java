package dev.pool4j.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code dev.pool4j.WorkerDied}: a worker process died, or a worker's initializer failed. */
@Name("dev.pool4j.WorkerDied")
@Label("Pool Worker Died")
@Category("pool4j")
@Description(
    "A worker process died while it had work (killed, System.exit, out of memory), or a worker's"
        + " initializer failed; Next says what the pool does about it")
@StackTrace(false)
final class WorkerDiedEvent extends Event {

  private static final WorkerDiedEvent PROBE = new WorkerDiedEvent();

  @Label("Pool")
  String pool;

  @Label("Worker")
  String worker;

  @Label("Process Id")
  @Description("The worker process's pid, -1 for a thread")
  long pid;

  @Label("Exit Code")
  @Description("The process's exit code (137: killed by SIGKILL), -1 when there is none")
  int exitCode;

  @Label("Cause")
  String cause;

  @Label("Next")
  @Description("What the pool does next")
  String next;

  static void emit(String pool, String worker, long pid, int exitCode, String cause, String next) {
    if (!PROBE.isEnabled()) {
      return;
    }
    WorkerDiedEvent e = new WorkerDiedEvent();
    if (e.shouldCommit()) {
      e.pool = pool;
      e.worker = worker;
      e.pid = pid;
      e.exitCode = exitCode;
      e.cause = cause;
      e.next = next;
      e.commit();
    }
  }
}
