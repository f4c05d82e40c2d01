package dev.pool4j.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code dev.pool4j.Call}: one pool call, from its start until it finished computing. */
@Name("dev.pool4j.Call")
@Label("Pool Call")
@Category("pool4j")
@Description(
    "A pool call (map, imap, imapUnordered, starmap, apply...): from its start until it finished"
        + " computing, completed, failed or cancelled")
@StackTrace(false)
final class CallEvent extends Event {

  /** Asked whether the event type is on: one instance, never committed. */
  private static final CallEvent PROBE = new CallEvent();

  @Label("Call Id")
  @Description("Unique in this JVM; the Chunk events of the call carry it")
  long callId;

  @Label("Pool")
  @Description("The pool's name, which prefixes its threads' names")
  String pool;

  @Label("Backend")
  @Description("platform threads, virtual threads, worker processes, or a cluster")
  String backend;

  @Label("Mode")
  @Description("ordered (map, imap), unordered (imapUnordered) or collect (map, mapAsync)")
  String mode;

  @Label("Task Class")
  Class<?> taskClass;

  @Label("Items")
  @Description("Inputs whose results were computed")
  long items;

  @Label("Outcome")
  @Description("completed, failed or cancelled")
  String outcome;

  static Object start() {
    if (!PROBE.isEnabled()) {
      return null;
    }
    CallEvent e = new CallEvent();
    e.begin();
    return e;
  }

  static void finish(
      Object event,
      long callId,
      String pool,
      String backend,
      String mode,
      Class<?> task,
      long items,
      String outcome) {
    CallEvent e = (CallEvent) event;
    e.end();
    if (e.shouldCommit()) {
      e.callId = callId;
      e.pool = pool;
      e.backend = backend;
      e.mode = mode;
      e.taskClass = task;
      e.items = items;
      e.outcome = outcome;
      e.commit();
    }
  }
}
