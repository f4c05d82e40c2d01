package dev.pool4j.internal.threads;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Virtual threads, found at run time: the library is compiled for Java 17, where {@code
 * Thread.ofVirtual()} does not exist.
 */
public final class VirtualThreads {

  /** {@code Thread.ofVirtual()}, or null before Java 21. */
  private static final MethodHandle OF_VIRTUAL;

  /** {@code Thread.Builder.unstarted(Runnable)}. */
  private static final MethodHandle UNSTARTED;

  /** {@code Thread.Builder.name(String)}. */
  private static final MethodHandle NAME;

  static {
    MethodHandle ofVirtual = null;
    MethodHandle unstarted = null;
    MethodHandle name = null;
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      ofVirtual =
          lookup.findStatic(
              Thread.class,
              "ofVirtual",
              MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
      unstarted =
          lookup.findVirtual(
              builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class));
      name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class));
    } catch (ReflectiveOperationException | LinkageError e) {
      ofVirtual = null;
    }
    OF_VIRTUAL = ofVirtual;
    UNSTARTED = unstarted;
    NAME = name;
  }

  private VirtualThreads() {}

  /** Whether this JVM has virtual threads (Java 21 and later). */
  public static boolean available() {
    return OF_VIRTUAL != null;
  }

  /** An unstarted virtual thread. */
  static Thread newThread(Runnable task, String name) {
    if (OF_VIRTUAL == null) {
      throw new UnsupportedOperationException(
          "virtual threads need Java 21 or later; this JVM is Java " + Runtime.version().feature());
    }
    try {
      Object builder = OF_VIRTUAL.invoke();
      builder = NAME.invoke(builder, name);
      return (Thread) UNSTARTED.invoke(builder, task);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("could not start a virtual thread", e);
    }
  }
}
