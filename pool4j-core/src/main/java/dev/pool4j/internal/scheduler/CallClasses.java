package dev.pool4j.internal.scheduler;

import dev.pool4j.Insights;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads the classes of a call's path, once per JVM, on the first worker of the first pool while it
 * waits for its first call. Reading them from the class path is most of what a fresh JVM's first
 * {@code map} did before its first chunk ran: some 20 classes, 8 to 10 ms on a 2-core machine,
 * which now overlap with whatever the program does between building the pool and calling it (often
 * building the inputs). A call that comes at once loses nothing: its thread and the worker load the
 * same classes, each once, under the class loader's lock for that class.
 *
 * <p>Classes are loaded, not initialized: initializing them here, while the caller's thread may be
 * initializing them too in another order, could deadlock on a superclass whose initializer makes a
 * subclass ({@code Outcome} does). Each nest (a class and its nested classes) is loaded whole.
 */
public final class CallClasses {

  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final CountDownLatch LOADED = new CountDownLatch(1);

  /** How many classes were loaded (or found loaded already); set before {@link #LOADED} opens. */
  private static volatile int count;

  private CallClasses() {}

  /** Loads the classes if no thread has done it yet in this JVM; the first caller does it. */
  static void loadOnce() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    int n = 0;
    try {
      for (Class<?> nest :
          new Class<?>[] {
            Input.class,
            CallFuture.class,
            Mode.class,
            ChunkSizer.class,
            Call.class,
            CallStats.class,
            Insights.class,
            Window.class,
            Delivery.class,
            Chunk.class,
            OneShot.class,
            ReadAhead.class,
            Outcome.class,
            ResultList.class,
            Scheduler.class
          }) {
        n += nest.getNestMembers().length;
      }
    } finally {
      count = n;
      LOADED.countDown();
    }
  }

  /**
   * Whether the classes are loaded; for tests, which wait for it before they look at what a first
   * call loads.
   */
  public static boolean loaded() {
    return LOADED.getCount() == 0;
  }

  /** How many classes {@link #loadOnce} loaded, or 0 before it finished. */
  public static int count() {
    return count;
  }
}
