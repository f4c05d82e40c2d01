package dev.pool4j.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the workers' class path is worked out from the class loaders ({@link WorkerClassPath}). */
class WorkerClassPathRulesTest {

  private static final ClassLoader SYSTEM = ClassLoader.getSystemClassLoader();
  private static final String OWN = location(WorkerMain.class);

  /** A loader that sees nothing: a system class loader whose class path lacks pool4j. */
  private static final ClassLoader BARE_SYSTEM = new URLClassLoader(new URL[0], null);

  @Test
  void anApplicationOnTheSystemClassPathGivesItsWorkersThatPath() {
    assertThat(
            WorkerClassPath.of(
                SYSTEM, WorkerMain.class, "a.jar" + File.pathSeparator + "b", SYSTEM))
        .isEqualTo("a.jar" + File.pathSeparator + "b");
  }

  @Test
  void anApplicationInAUrlClassLoaderGivesItsWorkersItsUrlsAfterTheSystemPathAndPool4j(
      @TempDir Path dir) throws Exception {
    Path app = dir.resolve("app.jar");
    try (URLClassLoader context =
        new URLClassLoader(new URL[] {app.toUri().toURL()}, BARE_SYSTEM)) {
      assertThat(WorkerClassPath.of(context, WorkerMain.class, "launcher.jar", BARE_SYSTEM))
          .isEqualTo(String.join(File.pathSeparator, "launcher.jar", app.toString(), OWN));
    }
  }

  @Test
  void nestedLoadersGiveTheirUrlsParentFirst(@TempDir Path dir) throws Exception {
    Path outer = dir.resolve("outer");
    Path inner = dir.resolve("inner");
    try (URLClassLoader parent =
            new URLClassLoader(new URL[] {outer.toUri().toURL()}, BARE_SYSTEM);
        URLClassLoader child = new URLClassLoader(new URL[] {inner.toUri().toURL()}, parent)) {
      assertThat(WorkerClassPath.of(child, WorkerMain.class, "", BARE_SYSTEM))
          .isEqualTo(String.join(File.pathSeparator, outer.toString(), inner.toString(), OWN));
    }
  }

  @Test
  void aLoaderThatHidesItsClassPathFailsTheBuildSayingWhatToRunInstead() {
    ClassLoader opaque = new ClassLoader("opaque", BARE_SYSTEM) {};
    assertThatThrownBy(() -> WorkerClassPath.of(opaque, WorkerMain.class, "maven.jar", BARE_SYSTEM))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not hold pool4j-core")
        .hasMessageContaining("not a URLClassLoader")
        .hasMessageContaining("java -cp")
        .hasMessageContaining("exec:exec")
        .hasMessageContaining("threads()");
  }

  @Test
  void aUrlThatIsNotALocalFileFailsTheBuildWhenPool4jIsNotOnTheSystemClassPath() throws Exception {
    try (URLClassLoader remote =
        new URLClassLoader(new URL[] {new URL("http://example.invalid/app.jar")}, BARE_SYSTEM)) {
      assertThatThrownBy(() -> WorkerClassPath.of(remote, WorkerMain.class, "", BARE_SYSTEM))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("http://example.invalid/app.jar");
    }
  }

  @Test
  void aLoaderThatHidesItsClassPathStillStartsWorkersFromTheSystemClassPathWhenItHoldsPool4j() {
    ClassLoader opaque = new ClassLoader("opaque", SYSTEM) {};
    assertThat(WorkerClassPath.of(opaque, WorkerMain.class, "app.jar", SYSTEM))
        .isEqualTo(String.join(File.pathSeparator, "app.jar", OWN));
  }

  @Test
  void anEntryHoldingThePathSeparatorIsRefused(@TempDir Path dir) throws Exception {
    Path odd = dir.resolve("a" + File.pathSeparator + "b.jar");
    try (URLClassLoader context =
        new URLClassLoader(new URL[] {odd.toUri().toURL()}, BARE_SYSTEM)) {
      assertThatThrownBy(() -> WorkerClassPath.of(context, WorkerMain.class, "", BARE_SYSTEM))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(odd.toString())
          .hasMessageContaining("path separator");
    }
  }

  private static String location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
