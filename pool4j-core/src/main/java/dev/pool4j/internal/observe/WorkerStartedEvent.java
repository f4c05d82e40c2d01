package dev.pool4j.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code dev.pool4j.WorkerStarted}: a worker is ready; the duration is its start-up. */
@Name("dev.pool4j.WorkerStarted")
@Label("Pool Worker Started")
@Category("pool4j")
@Description("A worker thread or worker process is ready for work; the duration is its start-up")
@StackTrace(false)
final class WorkerStartedEvent extends Event {

  private static final WorkerStartedEvent PROBE = new WorkerStartedEvent();

  @Label("Pool")
  String pool;

  @Label("Worker")
  @Description("worker-N; a worker process started again after a death is worker-N.2, .3...")
  String worker;

  @Label("Kind")
  @Description("thread, virtual thread or process")
  String kind;

  @Label("Process Id")
  @Description("The worker process's pid, -1 for a thread")
  long pid;

  static Object start() {
    if (!PROBE.isEnabled()) {
      return null;
    }
    WorkerStartedEvent e = new WorkerStartedEvent();
    e.begin();
    return e;
  }

  static void finish(Object event, String pool, String worker, String kind, long pid) {
    WorkerStartedEvent e = (WorkerStartedEvent) event;
    e.end();
    if (e.shouldCommit()) {
      e.pool = pool;
      e.worker = worker;
      e.kind = kind;
      e.pid = pid;
      e.commit();
    }
  }
}
