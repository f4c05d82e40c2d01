package dev.pool4j;

import static dev.pool4j.Testing.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a task may be: a lambda or method reference that throws checked exceptions with no wrapper
 * (this class compiling is half of the test), capturing anything.
 */
class TaskTest {

  /** Sleeps n milliseconds and returns n squared: the tutorial's waitSec, in milliseconds. */
  static int waitMillis(int n) throws InterruptedException {
    Thread.sleep(n);
    return n * n;
  }

  static String host(String uri) throws IOException {
    try {
      return new URI(uri).getHost();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
  }

  @EveryBackendAndTheSeam
  void tasksThatThrowCheckedExceptionsNeedNoWrapper(PoolFactory backend) {
    try (Pool pool = backend.create(3)) {
      assertThat(
              pool.map(
                  x -> {
                    Thread.sleep(x);
                    return x * x;
                  },
                  List.of(1, 5, 3)))
          .containsExactly(1, 25, 9);
      assertThat(pool.map(TaskTest::waitMillis, List.of(1, 5, 3))).containsExactly(1, 25, 9);
      assertThat(pool.imap(TaskTest::waitMillis, List.of(1, 5, 3)).toList())
          .containsExactly(1, 25, 9);
      assertThat(pool.imapUnordered(TaskTest::waitMillis, List.of(1, 5, 3)).toList())
          .containsExactlyInAnyOrder(1, 25, 9);
      assertThat(pool.apply(TaskTest::host, "https://example.org/a")).isEqualTo("example.org");
      assertThat(
              pool.starmap(
                  (Integer a, Integer b) -> {
                    Thread.sleep(a);
                    return a * b;
                  },
                  List.of(1, 2, 3, 4),
                  List.of(10, 30, 70, 20)))
          .containsExactly(10, 60, 210, 80);
    }
  }

  @EveryBackendAndTheSeam
  void tasksMayCaptureStateThatIsNotSerializable(PoolFactory backend) {
    AtomicInteger calls = new AtomicInteger();
    Object notSerializable = new Object();
    try (Pool pool = backend.create(2)) {
      if (!backend.sharesMemory()) {
        // a task that must travel to another JVM is refused before any work, saying why
        assertThatThrownBy(() -> pool.map(x -> notSerializable.hashCode() + x, range(0, 100)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("java.lang.Object is not Serializable");
        assertThat(pool.map(x -> x + 1, range(0, 3)))
            .as("the pool goes on")
            .containsExactly(1, 2, 3);
        return;
      }
      assertThat(
              pool.map(
                  x -> {
                    calls.incrementAndGet();
                    return notSerializable != null ? x : -1; // captures it
                  },
                  range(0, 100)))
          .isEqualTo(range(0, 100));
      assertThat(calls).hasValue(100);
    }
  }
}
