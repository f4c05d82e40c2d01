package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.Pool;
import dev.pool4j.RemoteTaskException;
import dev.pool4j.TaskFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What cannot cross the process boundary fails clearly, and the pool stays usable. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerializationTest {

  private static Pool pool;

  @BeforeAll
  static void start() {
    pool = Pool.builder().processes().workers(2).build();
  }

  @AfterAll
  static void stop() {
    pool.close();
    pool.join();
  }

  /** Not serializable. */
  static final class Opaque {
    final int value;

    Opaque(int value) {
      this.value = value;
    }
  }

  /** Thrown in a worker under a name no class of this JVM has. */
  public static class SecretException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretException(String message) {
      super(message);
    }
  }

  @Test
  void aTaskCapturingSomethingNotSerializableIsRefusedBeforeAnyWorkNamingTheClass() {
    Opaque captured = new Opaque(1);
    assertThatThrownBy(() -> pool.map(x -> x + captured.value, List.of(1, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Opaque.class.getName())
        .hasMessageContaining("Serializable");
    assertThat(pool.map(x -> x + 1, List.of(1))).containsExactly(2);
  }

  @Test
  void aResultThatCannotBeSerializedFailsItsIndex() {
    assertThatThrownBy(() -> pool.map(x -> x == 4 ? new Opaque(x) : x, List.of(0, 1, 2, 3, 4, 5)))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(4);
              assertThat(e.getCause())
                  .isInstanceOf(NotSerializableException.class)
                  .hasMessageContaining(Opaque.class.getName());
            });
    assertThat(pool.map(x -> x + 1, List.of(1))).containsExactly(2);
  }

  @Test
  void anInputThatCannotBeSerializedFailsItsIndex() {
    List<Object> inputs = List.of(1, 2, new Opaque(3), 4);
    assertThatThrownBy(() -> pool.map(x -> x.hashCode(), inputs, 10))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.index()).isEqualTo(2);
              assertThat(e.getCause())
                  .isInstanceOf(NotSerializableException.class)
                  .hasMessageContaining(Opaque.class.getName());
            });
    assertThat(pool.map(x -> x + 1, List.of(1))).containsExactly(2);
  }

  @Test
  void anExceptionWhoseClassThisJvmCannotLoadComesBackAsARemoteTaskException() {
    assertThatThrownBy(() -> pool.apply(x -> throwUnloadable(), 0))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.getCause()).isInstanceOf(RemoteTaskException.class);
              RemoteTaskException remote = (RemoteTaskException) e.getCause();
              assertThat(remote.remoteClassName()).isEqualTo(UNLOADABLE);
              assertThat(remote.remoteMessage()).isEqualTo("from the worker");
              assertThat(remote.getStackTrace())
                  .anySatisfy(f -> assertThat(f.getMethodName()).isEqualTo("throwUnloadable"));
            });
  }

  static final String UNLOADABLE =
      SecretException.class.getName().replace("SecretException", "SecretExceptioX");

  /**
   * In the worker: defines a copy of {@link SecretException} under a name that exists nowhere else,
   * and throws it.
   */
  static Object throwUnloadable() throws Exception {
    String resource = SecretException.class.getName().replace('.', '/') + ".class";
    byte[] bytes;
    try (InputStream in = SecretException.class.getClassLoader().getResourceAsStream(resource)) {
      bytes = in.readAllBytes();
    }
    byte[] from =
        SecretException.class.getName().replace('.', '/').getBytes(StandardCharsets.UTF_8);
    byte[] to = UNLOADABLE.replace('.', '/').getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + from.length <= bytes.length; i++) {
      boolean match = true;
      for (int j = 0; j < from.length && match; j++) {
        match = bytes[i + j] == from[j];
      }
      if (match) {
        System.arraycopy(to, 0, bytes, i, to.length);
      }
    }
    Class<?> renamed =
        new Loader(SerializationTest.class.getClassLoader()).define(UNLOADABLE, bytes);
    throw (RuntimeException) renamed.getConstructor(String.class).newInstance("from the worker");
  }

  private static final class Loader extends ClassLoader {
    Loader(ClassLoader parent) {
      super(parent);
    }

    Class<?> define(String name, byte[] bytes) throws IOException {
      return defineClass(name, bytes, 0, bytes.length);
    }
  }

  @Test
  void aFilterRefusingAResultClassFailsItsIndexAndKeepsThePool() {
    try (Pool strict =
        Pool.builder().processes().workers(1).deserializationFilter("!java.time.*").build()) {
      assertThatThrownBy(
              () ->
                  strict.map(
                      x -> x == 1 ? java.time.Duration.ofSeconds(x) : "ok", List.of(0, 1, 2)))
          .isInstanceOfSatisfying(
              TaskFailedException.class, e -> assertThat(e.index()).isEqualTo(1));
      assertThat(strict.map(x -> "v" + x, List.of(1))).containsExactly("v1");
    }
  }
}
