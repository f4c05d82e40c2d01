package dev.pool4j.process;

import dev.pool4j.Pool;
import dev.pool4j.internal.process.ProcessBackend;
import java.lang.reflect.Field;

/** Reaches a process pool's backend, for tests and measurements. */
final class Internals {
  private Internals() {}

  static ProcessBackend backend(Pool pool) {
    try {
      Field engine = Pool.class.getDeclaredField("engine");
      engine.setAccessible(true);
      Object scheduler = engine.get(pool);
      Field backend = scheduler.getClass().getDeclaredField("backend");
      backend.setAccessible(true);
      return (ProcessBackend) backend.get(scheduler);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
