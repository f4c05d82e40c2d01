package dev.pool4j.internal.observe;

import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The {@code DEBUG} lines of thread workers starting ({@link Logs#POOL}), logged without making a
 * worker wait for the JVM's first {@code System.Logger}: finding the logger back end (a service
 * lookup, then {@code java.util.logging}'s set-up) takes about 30 ms, and every other thread that
 * logs meanwhile waits for it. So one thread sets it up and logs every line queued until then; the
 * others queue theirs and go on, free for a call that may come at once.
 */
public final class StartLog {

  private static final int NONE = 0;
  private static final int SETTING_UP = 1;
  private static final int READY = 2;

  private static final StartLog POOL = new StartLog(() -> Logs.POOL);

  private final Supplier<System.Logger> setUp;
  private final AtomicInteger state = new AtomicInteger(NONE);
  private final Queue<Supplier<String>> queued = new ConcurrentLinkedQueue<>();

  /** Set once, before {@link #state} turns {@link #READY}. */
  private volatile System.Logger logger;

  /**
   * @param setUp gets the logger, perhaps slowly; called once, on the first thread that logs
   */
  StartLog(Supplier<System.Logger> setUp) {
    this.setUp = setUp;
  }

  /**
   * Logs {@code message} at {@code DEBUG} on {@link Logs#POOL}, now or soon after on the thread
   * that sets the logger up. The message is built on whichever thread logs it: it must not read the
   * current thread.
   */
  public static void debug(Supplier<String> message) {
    POOL.log(message);
  }

  /**
   * Whether the logger is set up (or its set-up failed): from then on no line waits in the queue
   * for a setter. For tests, which wait for it before they look at what a first call loads.
   */
  public static boolean ready() {
    return POOL.state.get() == READY;
  }

  /** {@link #debug}, on this instance's logger. */
  void log(Supplier<String> message) {
    // queued before the state is read: a setter that turns READY after this read drains it
    queued.add(message);
    if (state.get() == READY) {
      drain();
    } else if (state.compareAndSet(NONE, SETTING_UP)) {
      try {
        logger = setUp.get();
      } finally {
        state.set(READY);
      }
      drain();
    }
  }

  private void drain() {
    System.Logger l = logger;
    if (l == null) {
      return; // the set-up failed, and said so to the thread that tried it
    }
    for (Supplier<String> m = queued.poll(); m != null; m = queued.poll()) {
      l.log(Level.DEBUG, m);
    }
  }
}
