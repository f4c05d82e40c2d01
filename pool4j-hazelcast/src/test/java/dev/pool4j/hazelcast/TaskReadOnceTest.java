package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import dev.pool4j.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member reads a call's task once per executor thread, not once per chunk, and keeps it only
 * behind the seal: a chunk whose seal fails is refused even when its task is kept; a member thread
 * keeps a bounded number of tasks; and a task is read again, with the right classes, under another
 * context class loader.
 */
@Timeout(120)
class TaskReadOnceTest {

  private static final Seal SEAL = new Seal("task-read-once-test-secret".getBytes());

  /** Deserializations, by the thread that did them. */
  static final Map<String, AtomicInteger> READS = new ConcurrentHashMap<>();

  /** Chunks run, by the thread that ran them. */
  static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

  /** Counts where it is read and where it runs; {@code salt} makes tasks of other bytes. */
  static final class Counted implements Task<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    final int salt;

    Counted(int salt) {
      this.salt = salt;
    }

    @Override
    public Integer apply(Integer x) {
      RUNS.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger())
          .incrementAndGet();
      return x + salt;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      READS
          .computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger())
          .incrementAndGet();
    }
  }

  /**
   * The system property where {@link WhoLoadedMe} notes its class loader: a class of another loader
   * is in another run-time package and cannot reach this test's fields.
   */
  static final String LOADED_BY = "pool4j.test.TaskReadOnceTest.loadedBy";

  /** Notes which class loader defined its class. */
  public static final class WhoLoadedMe implements Task<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer apply(Integer x) {
      System.setProperty(
          "pool4j.test.TaskReadOnceTest.loadedBy",
          String.valueOf(getClass().getClassLoader().getName()));
      return x;
    }
  }

  private final ExecutorService memberThread = Executors.newSingleThreadExecutor();

  @BeforeEach
  void reset() {
    READS.clear();
    RUNS.clear();
  }

  @AfterEach
  void stop() {
    memberThread.shutdownNow();
  }

  private static int total(Map<String, AtomicInteger> counts) {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  @Test
  void aMemberReadsTheTaskOnceForEachOfItsThreadsNotOnceForEachChunk() throws Exception {
    HazelcastBackend backend = EmbeddedTest.embedded().localWorkers(1);
    Pool pool = Pool.builder().backend(backend).build();
    try {
      List<Integer> inputs = IntStream.range(0, 200).boxed().collect(Collectors.toList());
      // chunks of one item: 200 chunks, 200 deserializations before
      List<Integer> results = pool.imap(new Counted(1000), inputs, 1).toList();
      assertThat(results)
          .isEqualTo(inputs.stream().map(x -> x + 1000).collect(Collectors.toList()));
      assertThat(total(RUNS)).isEqualTo(200);
      // each thread that ran chunks read the task once, on its first chunk
      assertThat(READS.keySet()).isEqualTo(RUNS.keySet());
      assertThat(READS.values()).allSatisfy(n -> assertThat(n).hasValue(1));
      assertThat(total(READS)).isLessThan(200);
    } finally {
      pool.terminate();
      pool.join();
    }
  }

  /** Answers a chunk on the test's member thread, as an executor thread would. */
  private byte[] answer(ChunkTask.Runner member, byte[] id, byte[] sealed) throws Exception {
    Future<byte[]> reply =
        memberThread.submit(() -> member.answer(id, sealed, "member under test"));
    return reply.get();
  }

  private static byte[] seal(byte[] id, byte[] message) {
    return SEAL.seal(Seal.Direction.REQUEST, id, 0, message, 0);
  }

  @Test
  void aChunkWhoseTaskIsKeptIsStillRefusedWhenItsSealFailsAndRunsNothing() throws Exception {
    ChunkTask.Runner member = new ChunkTask.SealedRunner(SEAL);
    byte[] message = SealTest.chunkMessage(new Counted(7), List.of(1, 2, 3));
    byte[] id = Seal.newId();
    byte[] sealed = seal(id, message);
    assertThat(ChunkTask.open(SEAL, id, answer(member, id, sealed)).outcome()).isNotEmpty();
    assertThat(total(READS)).isEqualTo(1);
    assertThat(total(RUNS)).isEqualTo(3);

    // the same chunk again: the kept task runs, nothing is read
    byte[] again = Seal.newId();
    assertThat(ChunkTask.open(SEAL, again, answer(member, again, seal(again, message))).outcome())
        .isNotEmpty();
    assertThat(total(READS)).isEqualTo(1);
    assertThat(total(RUNS)).isEqualTo(6);

    // a byte of the kept task's chunk flipped, another secret's seal, a replay under another id:
    // refused, and the kept task does not run
    byte[] tampered = sealed.clone();
    tampered[tampered.length - Seal.TAG_BYTES - 1] ^= 0x01;
    assertThat(answer(member, id, tampered)[0]).isEqualTo(ChunkTask.REFUSED);
    Seal other = new Seal("another-secret-of-the-test".getBytes());
    byte[] foreign = other.seal(Seal.Direction.REQUEST, id, 0, message, 0);
    assertThat(answer(member, id, foreign)[0]).isEqualTo(ChunkTask.REFUSED);
    assertThat(answer(member, Seal.newId(), sealed)[0]).isEqualTo(ChunkTask.REFUSED);
    assertThat(total(RUNS)).isEqualTo(6);
    assertThat(total(READS)).isEqualTo(1);
  }

  @Test
  void aMemberThreadKeepsABoundedNumberOfTasksAndReadsAnEvictedOneAgain() throws Exception {
    ChunkTask.Runner member = new ChunkTask.SealedRunner(SEAL);
    int kept = 8; // RecentTasks.CAPACITY in pool4j-core, as PoolBackend.runMessage documents it
    for (int salt = 0; salt <= kept; salt++) {
      byte[] id = Seal.newId();
      byte[] reply =
          answer(member, id, seal(id, SealTest.chunkMessage(new Counted(salt), List.of(1))));
      assertThat(ChunkTask.open(SEAL, id, reply).outcome()).isNotEmpty();
    }
    assertThat(total(READS)).isEqualTo(kept + 1);
    // the most recent ones are kept
    for (int salt = kept; salt >= 2; salt--) {
      byte[] id = Seal.newId();
      answer(member, id, seal(id, SealTest.chunkMessage(new Counted(salt), List.of(1))));
    }
    assertThat(total(READS)).isEqualTo(kept + 1);
    // the first fell out when the ninth came: read again
    byte[] id = Seal.newId();
    answer(member, id, seal(id, SealTest.chunkMessage(new Counted(0), List.of(1))));
    assertThat(total(READS)).isEqualTo(kept + 2);
  }

  /** Defines {@link WhoLoadedMe} itself (child first); everything else comes from its parent. */
  static final class OwnLoader extends URLClassLoader {
    OwnLoader(ClassLoader parent) {
      super("own-loader", new URL[0], parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(WhoLoadedMe.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          String file = name.replace('.', '/') + ".class";
          try (InputStream in = getParent().getResourceAsStream(file)) {
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException | NullPointerException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }
  }

  @Test
  void aKeptTaskIsReadAgainWithTheClassesOfAnotherContextClassLoader() throws Exception {
    ChunkTask.Runner member = new ChunkTask.SealedRunner(SEAL);
    byte[] message = chunkOf(new WhoLoadedMe());
    ClassLoader app = TaskReadOnceTest.class.getClassLoader();
    assertThat(runUnder(member, message, app)).isEqualTo(String.valueOf(app.getName()));
    try (OwnLoader own = new OwnLoader(app)) {
      assertThat(runUnder(member, message, own)).isEqualTo("own-loader");
      assertThat(runUnder(member, message, own)).isEqualTo("own-loader");
    }
    // and back: the task of the application's loader, as kept or read again
    assertThat(runUnder(member, message, app)).isEqualTo(String.valueOf(app.getName()));
  }

  private static byte[] chunkOf(WhoLoadedMe task) {
    return SealTest.chunkMessage(task, List.of(1));
  }

  /** Runs the chunk on the member thread with {@code loader} as its context class loader. */
  private String runUnder(ChunkTask.Runner member, byte[] message, ClassLoader loader)
      throws Exception {
    byte[] id = Seal.newId();
    byte[] sealed = seal(id, message);
    byte[] reply =
        memberThread
            .submit(
                () -> {
                  Thread t = Thread.currentThread();
                  ClassLoader before = t.getContextClassLoader();
                  t.setContextClassLoader(loader);
                  try {
                    return member.answer(id, sealed, "member under test");
                  } finally {
                    t.setContextClassLoader(before);
                  }
                })
            .get();
    assertThat(ChunkTask.open(SEAL, id, reply).outcome()).isNotEmpty();
    return System.getProperty(LOADED_BY);
  }
}
