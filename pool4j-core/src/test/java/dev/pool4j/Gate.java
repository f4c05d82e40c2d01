package dev.pool4j;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A door that tasks wait at until the test opens it: how a test holds a task "running" for as long
 * as it needs, without sleeping. A task that waits longer than {@link Testing#PATIENCE} fails with
 * an {@link AssertionError} rather than hang the suite.
 *
 * <p>It works across JVMs, so the same test runs on every backend: a gate captured by a task
 * travels to a worker JVM or a cluster member as a file path ({@link Shared}). In the JVM that made
 * it, a latch answers at once; anywhere else, {@link #pass()} polls for the file every millisecond.
 * Either side may open it.
 */
final class Gate implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String folder = Shared.newFolder("gate");

  /** Only in the JVM that made the gate; {@code null} after travelling. */
  private final transient CountDownLatch local = new CountDownLatch(1);

  /** Lets every waiting and future task through. Idempotent; works from any JVM. */
  void open() {
    if (local != null) {
      local.countDown();
    }
    try {
      Files.createFile(Shared.path(folder, "open"));
    } catch (FileAlreadyExistsException e) {
      // opened before
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isOpen() {
    return (local != null && local.getCount() == 0) || Files.exists(Shared.path(folder, "open"));
  }

  /** Waits until the gate is open; an interrupt ends the wait (a well-behaved task). */
  void pass() throws InterruptedException {
    long deadline = System.nanoTime() + Testing.PATIENCE.toNanos();
    while (!isOpen()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the test never opened the gate");
      }
      pause();
    }
  }

  private void pause() throws InterruptedException {
    if (local != null) {
      local.await(1, TimeUnit.MILLISECONDS);
    } else {
      Thread.sleep(1);
    }
  }

  /** Waits at most {@code timeout} for the gate to open; whether it did. For the test's side. */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (!isOpen()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      pause();
    }
    return true;
  }

  /**
   * Waits until the gate is open, ignoring interrupts (a task Java cannot stop), and restores the
   * flag afterwards; {@link #interruptsIgnored()} counts them, from any JVM.
   */
  void passIgnoringInterrupts() {
    boolean interrupted = false;
    long deadline = System.nanoTime() + Testing.PATIENCE.toNanos();
    while (!isOpen()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the test never opened the gate");
      }
      try {
        pause();
      } catch (InterruptedException e) {
        interrupted = true;
        mark("interrupt-" + UUID.randomUUID());
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  int interruptsIgnored() {
    try (var names = Files.list(Path.of(folder))) {
      return (int) names.filter(p -> p.getFileName().toString().startsWith("interrupt-")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void mark(String name) {
    try {
      Files.createFile(Shared.path(folder, name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
