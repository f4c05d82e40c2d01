package dev.pool4j.internal.progress;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends every live bar when the JVM shuts down: at a normal exit, at {@code System.exit}, and at
 * Ctrl-C (SIGINT) or SIGTERM, so that each bar draws its final line and ends it with a newline,
 * instead of leaving the cursor at the end of a half-drawn line ({@code ...32.39it/s]^C}) or, off a
 * terminal, no line at all.
 *
 * <p>Design note. One shutdown hook for the whole JVM, registered when the first bar starts (a
 * program that never draws a bar never gets one). It finishes the bars of every renderer that had a
 * live bar; a renderer is remembered from its first bar and forgotten when the hook finds it idle,
 * so the set holds only renderers that drew something. The hook starts nothing and waits on nothing
 * but each renderer's lock, for at most a quarter of a second each: it cannot keep the JVM alive or
 * hold up its exit. A JVM killed outright ({@code kill -9}, {@code halt}) runs no hook, and its
 * bars stay as they were, as tqdm's do.
 */
final class AtExit {

  private static final long PATIENCE_MILLIS = 250;

  /** Renderers that have drawn a bar. Any thread. */
  private static final Set<Renderer> RENDERERS = ConcurrentHashMap.newKeySet();

  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private AtExit() {}

  /** Makes sure {@code renderer}'s live bars are finished when the JVM shuts down. */
  static void watch(Renderer renderer) {
    if (RENDERERS.add(renderer)) {
      RENDERERS.removeIf(r -> r != renderer && !r.anyLive());
    }
    if (!HOOKED.get() && HOOKED.compareAndSet(false, true)) {
      try {
        Runtime.getRuntime().addShutdownHook(new Thread(AtExit::finishAll, "pool4j-progress-exit"));
      } catch (IllegalStateException e) {
        // The JVM is shutting down already: too late for a hook, and for this bar's final line.
      }
    }
  }

  /** The hook: ends every live bar of every renderer. */
  static void finishAll() {
    for (Renderer renderer : RENDERERS) {
      renderer.finishAll(PATIENCE_MILLIS);
    }
  }
}
