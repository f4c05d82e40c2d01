package dev.pool4j.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * {@code dev.pool4j.Chunk}: one chunk, from its read until its outcome was reported (or it was lost
 * and runs again: then a new event covers the next run).
 *
 * <p>Its default threshold is {@value #THRESHOLD}, as the JDK's own per-operation events have one
 * (a socket read, a monitor wait): a chunk that took less is not recorded unless the recording
 * lowers the threshold ({@code dev.pool4j.Chunk#threshold=0 ms}). Committing an event costs about
 * as much as running a chunk of a tiny task, so without it a recording made a {@code map} of 1,000
 * tiny items about 10% dearer in CPU. Even uncommitted, timing a chunk (the event, two clock reads)
 * cost about 200 ns, 6-9% of that {@code map}: so a chunk whose call's chunks so far run under 1/8
 * of the lowest threshold of the running recordings is not timed ({@link ChunkThreshold}); a call's
 * first chunk and a rerun always are. The price: a chunk of such a call that happens to run long is
 * not recorded, though the call's {@code dev.pool4j.Call} event spans it; a threshold of 0 times
 * every chunk. Adaptive chunks aim at 0.5 ms on threads and more elsewhere, so the chunks of real
 * work are recorded.
 */
@Name("dev.pool4j.Chunk")
@Label("Pool Chunk")
@Category("pool4j")
@Description(
    "A run of consecutive inputs handed to one worker: from its read until its outcome was"
        + " reported; Run Time is how long the worker ran it")
@StackTrace(false)
@Threshold(ChunkEvent.THRESHOLD)
final class ChunkEvent extends Event {

  /** The default threshold: chunks that took less are not recorded. */
  static final String THRESHOLD = "100 us";

  /** Asked whether the event type is on: one instance, never committed. */
  private static final ChunkEvent PROBE = new ChunkEvent();

  @Label("Call Id")
  long callId;

  @Label("Start")
  @Description("Index of the chunk's first input")
  long start;

  @Label("Size")
  @Description("Inputs in the chunk")
  int size;

  @Label("Done")
  @Description("Inputs whose results came back")
  int done;

  @Label("Worker")
  @Description("Who ran it: worker-N (a thread or a worker process), or a cluster member")
  String worker;

  @Label("Run Time")
  @Description("How long the worker ran the chunk; the event's duration adds the wait for it")
  @Timespan(Timespan.NANOSECONDS)
  long runTime;

  @Label("Retries")
  @Description("How many times the chunk had run again before, after its worker was lost")
  int retries;

  @Label("Outcome")
  @Description(
      "completed, failed, timed out, lost (runs again), returned (runs again), unsure (one of several"
          + " chunks its lost worker held: runs again alone, no retry used), dropped")
  String outcome;

  static Object start(long expectedNanos) {
    if (!PROBE.isEnabled() || !ChunkThreshold.worthTiming(expectedNanos)) {
      return null;
    }
    ChunkEvent e = new ChunkEvent();
    e.begin();
    return e;
  }

  static void finish(
      Object event,
      long callId,
      long start,
      int size,
      int done,
      String worker,
      long runNanos,
      int retries,
      String outcome) {
    ChunkEvent e = (ChunkEvent) event;
    e.end();
    if (e.shouldCommit()) {
      e.callId = callId;
      e.start = start;
      e.size = size;
      e.done = done;
      e.worker = worker;
      e.runTime = runNanos;
      e.retries = retries;
      e.outcome = outcome;
      e.commit();
    }
  }
}
