package dev.pool4j.internal.wire;

import dev.pool4j.Task;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Self-contained chunk messages, for backends that send chunks to another JVM on their own
 * transport (a cluster member): the same serialization as the worker processes' frames ({@link
 * Protocol}, {@link Values}), without the connection state (no task cache, no stream mode).
 *
 * <pre>
 * message  int taskLength, task (one object stream), int count, values ({@link Protocol#encode})
 * outcome  int valid, bool failed, [failure ({@link Protocol#writeFailure})], values
 * </pre>
 *
 * <p>The task travels with every chunk: the sender keeps no state of the remote side, so any member
 * can run any chunk, and a member that joins or restarts needs nothing first. It costs the task's
 * serialized size per chunk (a lambda is some hundreds of bytes), which adaptive chunks amortize.
 * The remote thread reads it only the first time: {@link RecentTasks} keeps the tasks a thread read
 * last, by their exact bytes and class loader, so the next chunks of the call on that thread reuse
 * the object (one per thread, never shared between threads).
 *
 * <p>The remote side decodes with the JVM-wide deserialization filter, if any, and with its
 * thread's context class loader (falling back to this class's).
 */
public final class Messages {

  private Messages() {}

  /** Serializes a task once per call. */
  public static byte[] encodeTask(Task<?, ?> task) {
    try {
      return Protocol.encodeOne(task);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          Protocol.notSerializable("the task", task, e).getMessage(), e);
    }
  }

  /** A chunk's message, and the input that could not be serialized if one stopped it short. */
  public static final class Message {
    /** The bytes to send. */
    public final byte[] bytes;

    /** How many inputs the message holds. */
    public final int count;

    /** Why input {@code count} could not be serialized, or null when all could. */
    public final Throwable inputFailure;

    Message(byte[] bytes, int count, Throwable inputFailure) {
      this.bytes = bytes;
      this.count = count;
      this.inputFailure = inputFailure;
    }
  }

  /** Encodes {@code items[0..n)} with the task; stops before an input that cannot be serialized. */
  public static Message encode(byte[] task, Object[] items, int n) {
    Protocol.Encoded values =
        Protocol.encode(items, n, Values.allowed(null), Protocol.Scratch.forOne());
    Throwable inputFailure =
        values.error == null
            ? null
            : Protocol.notSerializable("the input", items[values.count], values.error);
    byte[] bytes = new byte[4 + task.length + 4 + values.length];
    Bytes.putInt(bytes, 0, task.length);
    System.arraycopy(task, 0, bytes, 4, task.length);
    Bytes.putInt(bytes, 4 + task.length, values.count);
    System.arraycopy(values.bytes, values.offset, bytes, 8 + task.length, values.length);
    return new Message(bytes, values.count, inputFailure);
  }

  /**
   * Runs a message's task over its inputs, in order, stopping at the first that throws, and returns
   * the outcome. Never throws for what the message holds: a task or input this JVM cannot read (a
   * class missing from its class path) fails the chunk at its first item, with a message that names
   * the class and {@code where}.
   *
   * @param message what {@link #encode} made
   * @param where this JVM, as the error messages should name it (a cluster member's address)
   */
  @SuppressWarnings("unchecked")
  public static byte[] run(byte[] message, String where) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = Messages.class.getClassLoader();
    }
    int taskLength = Bytes.getInt(message, 0);
    int count = Bytes.getInt(message, 4 + taskLength);
    Throwable failure = null;
    RecentTasks recent = RecentTasks.mine();
    Task<Object, Object> task = (Task<Object, Object>) recent.find(message, 4, taskLength, loader);
    if (task == null) {
      try (ObjectInputStream in = Protocol.objectInput(message, 4, taskLength, loader, null)) {
        task = (Task<Object, Object>) in.readObject();
        recent.put(message, 4, taskLength, loader, task);
      } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
        failure = unreadable("the task", e, where);
      }
    }
    Object[] items = new Object[count];
    int readable = 0;
    if (task != null) {
      Protocol.Decoded decoded =
          Protocol.decode(message, 8 + taskLength, message.length, items, 0, count, loader, null);
      readable = decoded.count;
      if (decoded.error != null) {
        failure = unreadable("the input", decoded.error, where);
      }
    }
    Object[] results = new Object[count];
    int valid = 0;
    for (; valid < readable; valid++) {
      try {
        results[valid] = task.apply(items[valid]);
      } catch (Throwable t) {
        failure = t;
        break;
      }
      items[valid] = null;
    }
    Protocol.Encoded encoded =
        Protocol.encode(results, valid, Values.allowed(null), Protocol.Scratch.forOne());
    if (encoded.error != null) {
      failure =
          Protocol.notSerializable("the task's result", results[encoded.count], encoded.error);
    }
    try {
      Protocol.Head head = new Protocol.Head();
      head.data.writeInt(encoded.count);
      head.data.writeBoolean(failure != null);
      if (failure != null) {
        Protocol.writeFailure(head.data, failure);
      }
      head.data.write(encoded.bytes, encoded.offset, encoded.length);
      return head.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An outcome read back: {@code results[0..valid)} and the failure of item {@code valid}. */
  public static final class Outcome {
    /** Sized to the chunk. */
    public final Object[] results;

    /** How many leading results are valid. */
    public final int valid;

    /** The exception of item {@code valid}, or null. */
    public final Throwable failure;

    Outcome(Object[] results, int valid, Throwable failure) {
      this.results = results;
      this.valid = valid;
      this.failure = failure;
    }
  }

  /**
   * Reads what {@link #run} returned for {@code sent}, a chunk of {@code size} items, with the
   * class loader of the call's task: as {@link #decode(byte[], int, ClassLoader)}, and when the
   * message stopped short of an input that could not be serialized and every input it held ran, the
   * chunk fails at that input (the inputs before it are done).
   *
   * @param sent what {@link #encode} made for the chunk, or null when it is not known
   */
  public static Outcome decode(byte[] outcome, int size, ClassLoader loader, Message sent) {
    Outcome o = decode(outcome, size, loader);
    if (o.failure == null && sent != null && sent.inputFailure != null && o.valid == sent.count) {
      return new Outcome(o.results, o.valid, sent.inputFailure);
    }
    return o;
  }

  /**
   * Reads what {@link #run} returned, for a chunk of {@code size} items, with the class loader of
   * the call's task. A result that cannot be read fails its index.
   */
  public static Outcome decode(byte[] outcome, int size, ClassLoader loader) {
    Object[] results = new Object[size];
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(outcome));
      int valid = in.readInt();
      boolean failed = in.readBoolean();
      Throwable failure = failed ? Protocol.readFailure(in, loader, null) : null;
      int offset = outcome.length - in.available();
      Protocol.Decoded decoded =
          Protocol.decode(outcome, offset, outcome.length, results, 0, valid, loader, null);
      if (decoded.error != null) {
        return new Outcome(
            results,
            decoded.count,
            new IllegalStateException("could not read a result: " + decoded.error, decoded.error));
      }
      return new Outcome(results, valid, failure);
    } catch (IOException | RuntimeException e) {
      Arrays.fill(results, null);
      return new Outcome(results, 0, new IllegalStateException("a malformed outcome: " + e, e));
    }
  }

  /** The failure for a task or input that the remote JVM could not deserialize. */
  private static Throwable unreadable(String what, Throwable cause, String where) {
    Throwable missing = cause;
    while (missing != null
        && !(missing instanceof ClassNotFoundException)
        && !(missing instanceof NoClassDefFoundError)) {
      missing = missing.getCause();
    }
    if (missing != null) {
      String name = missing.getMessage() == null ? "?" : missing.getMessage().replace('/', '.');
      return new IllegalStateException(
          "class "
              + name
              + " is not on the class path of "
              + where
              + ", which could not read "
              + what
              + ": start it with the application's class path (the classes of the task, its"
              + " inputs and its results)",
          cause);
    }
    return new IllegalStateException(where + " could not read " + what + ": " + cause, cause);
  }
}
