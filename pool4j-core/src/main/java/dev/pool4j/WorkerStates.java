package dev.pool4j;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-worker state ({@link Pool.Builder#workerState(WorkerStateFactory)}): how a task finds the
 * state of the worker that runs it, on every backend, without the backends knowing about it.
 *
 * <p>A pool with worker state wraps each call's task in a {@link StateTask}, which carries the
 * pool's {@link Binding} (a random key and the factory) wherever the task goes: a worker thread, a
 * worker process, a cluster member. A worker is the thread that runs the wrapped task: each worker
 * thread of a thread pool, the one thread that runs tasks in a worker process, each executor thread
 * of a cluster member. The thread keeps its states in a {@link Frame} (a thread local), keyed by
 * the pool's key, so that a thread that runs tasks of several pools (a cluster member's) gives each
 * pool its own state; it keeps the states of the {@link #STATES_PER_THREAD} pools it served last,
 * so that a long-lived thread does not hold the states of every pool it ever served.
 *
 * <p>Cost per task: one thread-local read and four field writes; the state itself is looked up in
 * the map only when the thread's last pool was another one.
 */
final class WorkerStates {

  /**
   * How many pools' states one thread keeps; the oldest one's is dropped (and made again if
   * needed).
   */
  static final int STATES_PER_THREAD = 8;

  private static final SecureRandom KEYS = new SecureRandom();

  /** The states of the current thread, or null before its first stateful task. */
  private static final ThreadLocal<Frame> FRAMES = new ThreadLocal<>();

  private WorkerStates() {}

  /** A pool's state factory and the key its workers file the state under. */
  static final class Binding implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Random: pools of different JVMs may meet on one cluster member. */
    final long key;

    final WorkerStateFactory<?> factory;

    Binding(WorkerStateFactory<?> factory) {
      this.key = KEYS.nextLong();
      this.factory = Objects.requireNonNull(factory, "workerState");
    }
  }

  /** The states of one thread, and the state of the task it runs now; the thread's own. */
  private static final class Frame {
    /** By pool key, least recently used first. */
    final Map<Long, Object> states =
        new LinkedHashMap<>(4, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Object> eldest) {
            return size() > STATES_PER_THREAD;
          }
        };

    /** The last pool's key and state: the map is read only when the pool changes. */
    long lastKey;

    Object lastState;

    /** The state the running task sees, or null outside a stateful task. */
    Object current;

    Object stateFor(Binding binding) {
      if (lastState != null && lastKey == binding.key) {
        return lastState;
      }
      Object state = states.get(binding.key);
      if (state == null) {
        state = make(binding);
        states.put(binding.key, state);
      }
      lastKey = binding.key;
      lastState = state;
      return state;
    }
  }

  private static Object make(Binding binding) {
    Object state;
    try {
      state = binding.factory.create();
    } catch (Exception e) {
      throw new IllegalStateException(
          "the workerState factory failed on "
              + Thread.currentThread().getName()
              + ", so the task did not run; the next task on this worker tries to make the state"
              + " again: "
              + e,
          e);
    }
    if (state == null) {
      throw new NullPointerException(
          "the workerState factory returned null on "
              + Thread.currentThread().getName()
              + ": it must return the state (an Optional, or an empty holder, for none)");
    }
    return state;
  }

  /** The state of the task running on this thread; see {@link Pool#workerState(Class)}. */
  static <S> S current(Class<S> type) {
    Objects.requireNonNull(type, "type");
    Frame frame = FRAMES.get();
    Object state = frame == null ? null : frame.current;
    if (state == null) {
      throw new IllegalStateException(
          "Pool.workerState(...) was called on "
              + Thread.currentThread().getName()
              + ", which is not running a task of a pool with worker state: call it from inside"
              + " a task of a pool built with Pool.builder().workerState(...)");
    }
    if (!type.isInstance(state)) {
      throw new ClassCastException(
          "the worker state is a "
              + state.getClass().getName()
              + ", not a "
              + type.getName()
              + ": ask for the type the workerState factory makes");
    }
    return type.cast(state);
  }

  /** A call's task with the pool's worker state around it. */
  static final class StateTask implements Task<Object, Object> {
    private static final long serialVersionUID = 1L;

    private final Binding binding;
    private final Task<Object, Object> task;

    @SuppressWarnings("unchecked")
    StateTask(Binding binding, Task<?, ?> task) {
      this.binding = binding;
      this.task = (Task<Object, Object>) task;
    }

    @Override
    public Object apply(Object input) throws Exception {
      Frame frame = FRAMES.get();
      if (frame == null) {
        frame = new Frame();
        FRAMES.set(frame);
      }
      Object state = frame.stateFor(binding);
      // a task may run a call of its own pool on this thread (a nested call): restore the outer
      // task's state afterwards
      Object outer = frame.current;
      frame.current = state;
      try {
        return task.apply(input);
      } finally {
        frame.current = outer;
      }
    }
  }

  /** A {@link StatefulTask} as a {@link Task} that reads the state of its worker. */
  static final class WithState<S, T, R> implements Task<T, R> {
    private static final long serialVersionUID = 1L;

    private final Class<S> type;
    private final StatefulTask<? super S, ? super T, ? extends R> task;

    WithState(Class<S> type, StatefulTask<? super S, ? super T, ? extends R> task) {
      this.type = Objects.requireNonNull(type, "type");
      this.task = Objects.requireNonNull(task, "task");
    }

    @Override
    public R apply(T input) throws Exception {
      return task.apply(current(type), input);
    }
  }
}
