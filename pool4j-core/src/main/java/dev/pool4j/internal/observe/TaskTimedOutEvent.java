package dev.pool4j.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** {@code dev.pool4j.TaskTimedOut}: a task ran past the pool's task timeout. */
@Name("dev.pool4j.TaskTimedOut")
@Label("Pool Task Timed Out")
@Category("pool4j")
@Description(
    "A task ran past the pool's task timeout: it fails with a TimeoutException, and its worker"
        + " is replaced (a thread is interrupted and abandoned, a process killed)")
@StackTrace(false)
final class TaskTimedOutEvent extends Event {

  private static final TaskTimedOutEvent PROBE = new TaskTimedOutEvent();

  @Label("Pool")
  String pool;

  @Label("Call Id")
  long callId;

  @Label("Index")
  @Description("The position of the task's input")
  long index;

  @Label("Timeout")
  @Timespan(Timespan.NANOSECONDS)
  long timeout;

  @Label("Worker")
  String worker;

  @Label("Action")
  @Description("What the pool did to the worker")
  String action;

  static void emit(
      String pool, long callId, long index, long timeoutNanos, String worker, String action) {
    if (!PROBE.isEnabled()) {
      return;
    }
    TaskTimedOutEvent e = new TaskTimedOutEvent();
    if (e.shouldCommit()) {
      e.pool = pool;
      e.callId = callId;
      e.index = index;
      e.timeout = timeoutNanos;
      e.worker = worker;
      e.action = action;
      e.commit();
    }
  }
}
