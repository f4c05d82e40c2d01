package dev.pool4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Task;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread that runs chunk messages ({@link Messages#run}, a cluster member's executor thread)
 * reads a task once and reuses it for later messages with the same task bytes and class loader;
 * never another thread's object, never for other bytes or another loader; at most {@link
 * RecentTasks#CAPACITY} kept, tasks over {@link RecentTasks#MAX_TASK_BYTES} and tasks that failed
 * to read never kept.
 */
@Timeout(60)
class RecentTasksTest {

  /** Numbers each deserialized instance; the task returns its instance's number. */
  static final class Numbered implements Task<Object, Object> {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger READS = new AtomicInteger();

    /** Makes tasks of different bytes. */
    final int salt;

    /** Makes a task large. */
    final byte[] ballast;

    /** Fails this many reads before reading. */
    static final AtomicInteger FAIL_READS = new AtomicInteger();

    private transient int number;

    Numbered(int salt, int ballast) {
      this.salt = salt;
      this.ballast = new byte[ballast];
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      if (FAIL_READS.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new InvalidObjectException("this read fails");
      }
      number = READS.incrementAndGet();
    }

    @Override
    public Object apply(Object input) {
      return number;
    }
  }

  private final ExecutorService thread = Executors.newSingleThreadExecutor();

  @BeforeEach
  void reset() {
    Numbered.READS.set(0);
    Numbered.FAIL_READS.set(0);
  }

  @AfterEach
  void stop() {
    thread.shutdownNow();
  }

  private static byte[] message(Task<?, ?> task) {
    return Messages.encode(Messages.encodeTask(task), new Object[] {1}, 1).bytes;
  }

  /** Runs a message on the test's one thread; the number of the task instance that ran it. */
  private Object runOn(ExecutorService on, byte[] message)
      throws InterruptedException, ExecutionException {
    Callable<Object> run =
        () -> {
          Messages.Outcome o =
              Messages.decode(Messages.run(message, "here"), 1, getClass().getClassLoader());
          if (o.failure != null) {
            return o.failure;
          }
          return o.results[0];
        };
    Future<Object> f = on.submit(run);
    return f.get();
  }

  private Object run(byte[] message) throws InterruptedException, ExecutionException {
    return runOn(thread, message);
  }

  @Test
  void aThreadReadsATaskOnceAndRunsTheSameObjectForEveryLaterChunkOfIt() throws Exception {
    byte[] message = message(new Numbered(1, 0));
    Object first = run(message);
    for (int i = 0; i < 5; i++) {
      assertThat(run(message)).isEqualTo(first);
    }
    // a later chunk of the call: the same task bytes in another message
    assertThat(run(message(new Numbered(1, 0)))).isEqualTo(first);
    assertThat(Numbered.READS).hasValue(1);
  }

  @Test
  void anotherThreadReadsItsOwnObject() throws Exception {
    byte[] message = message(new Numbered(1, 0));
    Object mine = run(message);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Object theirs = runOn(other, message);
      assertThat(theirs).isNotEqualTo(mine);
      assertThat(runOn(other, message)).isEqualTo(theirs);
    } finally {
      other.shutdownNow();
    }
    assertThat(run(message)).isEqualTo(mine);
    assertThat(Numbered.READS).hasValue(2);
  }

  @Test
  void aTaskOfOtherBytesIsReadAfreshEvenIfOnlyOneByteDiffers() throws Exception {
    Object one = run(message(new Numbered(1, 0)));
    Object two = run(message(new Numbered(2, 0)));
    assertThat(two).isNotEqualTo(one);
    assertThat(Numbered.READS).hasValue(2);
  }

  @Test
  void aTaskIsReadAfreshUnderAnotherContextClassLoader() throws Exception {
    byte[] message = message(new Numbered(1, 0));
    Object first = run(message);
    try (URLClassLoader other = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
      Object underOther =
          thread
              .submit(
                  () -> {
                    Thread t = Thread.currentThread();
                    ClassLoader before = t.getContextClassLoader();
                    t.setContextClassLoader(other);
                    try {
                      return Messages.decode(
                              Messages.run(message, "here"), 1, getClass().getClassLoader())
                          .results[0];
                    } finally {
                      t.setContextClassLoader(before);
                    }
                  })
              .get();
      assertThat(underOther).isNotEqualTo(first);
    }
    assertThat(run(message)).isEqualTo(first);
    assertThat(Numbered.READS).hasValue(2);
  }

  @Test
  void aThreadKeepsAtMostCapacityTasksAndDropsTheLeastRecentlyUsed() throws Exception {
    List<Object> numbers = new ArrayList<>();
    for (int salt = 0; salt < RecentTasks.CAPACITY; salt++) {
      numbers.add(run(message(new Numbered(salt, 0))));
    }
    // each of them is still kept
    for (int salt = 0; salt < RecentTasks.CAPACITY; salt++) {
      assertThat(run(message(new Numbered(salt, 0)))).isEqualTo(numbers.get(salt));
    }
    assertThat(Numbered.READS).hasValue(RecentTasks.CAPACITY);
    // one more pushes out the least recently used: salt 0
    run(message(new Numbered(RecentTasks.CAPACITY, 0)));
    assertThat(thread.submit(() -> RecentTasks.mine().size()).get())
        .isEqualTo(RecentTasks.CAPACITY);
    assertThat(run(message(new Numbered(1, 0)))).isEqualTo(numbers.get(1));
    assertThat(Numbered.READS).hasValue(RecentTasks.CAPACITY + 1);
    assertThat(run(message(new Numbered(0, 0)))).isNotEqualTo(numbers.get(0));
    assertThat(Numbered.READS).hasValue(RecentTasks.CAPACITY + 2);
  }

  @Test
  void aTaskLargerThanTheLimitIsReadForEveryChunk() throws Exception {
    byte[] message = message(new Numbered(1, RecentTasks.MAX_TASK_BYTES));
    Object first = run(message);
    assertThat(run(message)).isNotEqualTo(first);
    assertThat(Numbered.READS).hasValue(2);
    assertThat(thread.submit(() -> RecentTasks.mine().size()).get()).isZero();
  }

  @Test
  void aTaskThatFailedToReadIsNotKeptAndTheNextChunkReadsItAgain() throws Exception {
    byte[] message = message(new Numbered(1, 0));
    Numbered.FAIL_READS.set(1);
    Object failed = run(message);
    assertThat(failed).isInstanceOf(IllegalStateException.class);
    assertThat(((Throwable) failed).getMessage()).contains("could not read the task");
    Object read = run(message);
    assertThat(read).isEqualTo(1);
    assertThat(run(message)).isEqualTo(1);
    assertThat(Numbered.READS).hasValue(1);
  }
}
