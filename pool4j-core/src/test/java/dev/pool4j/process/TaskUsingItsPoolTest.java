package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.Pool;
import dev.pool4j.Results;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task sent to worker JVMs cannot use the pool it runs in (the pool lives in this JVM): a call
 * whose task holds the pool is refused when it is made, with a message that says so and what to do
 * instead, and the pool stays usable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskUsingItsPoolTest extends ProcessPoolTest {

  @Test
  void aNestedMapOnAProcessPoolIsRefusedSayingWhyAndWhatToDoInstead() {
    pool = Pool.builder().processes().workers(1).build();
    Pool p = pool;
    assertThatThrownBy(() -> p.map(x -> p.map(y -> y + 1, List.of(x)).get(0), List.of(1, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the task (of class ")
        .hasMessageContaining("holds the pool (dev.pool4j.Pool)")
        .hasMessageContaining("a task that runs on a worker JVM cannot use its pool")
        .hasMessageContaining("make the nested call on the caller's side")
        .hasMessageContaining("Pool.builder().threads()");
    // nothing was sent, and the pool works on
    assertThat(p.map(x -> x + 1, List.of(1, 2))).containsExactly(2, 3);
  }

  @Test
  void aPoolHeldDeeperInsideTheTaskIsNamedTheSameWay() {
    pool = Pool.builder().processes().workers(1).build();
    Holder holder = new Holder(pool);
    assertThatThrownBy(() -> pool.imap(x -> holder.pool.workers() + x, List.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds the pool (dev.pool4j.Pool)")
        .hasMessageContaining("a task that runs on a worker JVM cannot use its pool");
  }

  @Test
  void anotherValueThatCannotBeSerializedKeepsTheUsualMessage() {
    pool = Pool.builder().processes().workers(1).build();
    Object lock = new Object();
    assertThatThrownBy(() -> pool.map(x -> lock.hashCode() + x, List.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object is not Serializable")
        .hasMessageNotContaining("cannot use its pool");
    Results<Integer> fine = pool.imap(x -> x * 2, List.of(1, 2));
    assertThat(fine.toList()).containsExactly(2, 4);
  }

  /** A serializable object that holds a pool, as a task's captured state might. */
  static final class Holder implements Serializable {
    private static final long serialVersionUID = 1L;
    final Pool pool;

    Holder(Pool pool) {
      this.pool = pool;
    }
  }
}
