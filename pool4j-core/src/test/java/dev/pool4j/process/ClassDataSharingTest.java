package dev.pool4j.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Pool;
import dev.pool4j.internal.process.ProcessBackend;
import dev.pool4j.internal.process.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Worker JVMs share an archive of their classes: the first worker of a class path of jars writes it
 * when it exits, later ones map it; there is none when the class path holds a directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClassDataSharingTest extends ProcessPoolTest {

  @Test
  void aClassPathWithADirectoryGetsNoArchiveAndTheWorkersRunAllTheSame() {
    // as under Maven: target/classes is a directory
    pool = Pool.builder().processes().workers(1).classDataSharing(dir.resolve("cache")).build();
    ProcessBackend backend = Internals.backend(pool);
    assertThat(backend.cdsArchive()).isNull();
    assertThat(backend.cdsOffReason()).contains("is not a jar file");
    assertThat(pool.map(x -> x + 1, List.of(1, 2))).containsExactly(2, 3);
  }

  @Test
  void turnedOffThereIsNoArchive() {
    pool = Pool.builder().processes().workers(1).classDataSharing(false).build();
    assertThat(Internals.backend(pool).cdsOffReason()).isEqualTo("turned off");
  }

  @Test
  void aDirectoryOthersMayWriteIsNotUsed() throws IOException {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    String line = runParent(jars(), shared);
    assertThat(line).startsWith("off ").contains("may be written by other users");
    assertThat(Files.list(shared)).isEmpty();
  }

  @Test
  void theFirstWorkerOfAClassPathOfJarsWritesTheArchiveAndLaterWorkersMapIt() throws IOException {
    List<Path> jars = jars();
    Path cache = dir.resolve("cache");
    // the workers log where each class comes from (the same options every run: an archive is
    // made for one command line)
    Path logs = Files.createDirectory(dir.resolve("logs"));
    String logOption = "-Xlog:class+load=info:file=" + logs.resolve("load-%p.log");

    String first = runParent(jars, cache, logOption);
    assertThat(first).startsWith("archive ");
    Path archive = Path.of(first.substring("archive ".length()));
    assertThat(archive.getParent()).isEqualTo(cache);
    assertThat(archive).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
        .isEqualTo("rwx------");
    // nothing left half-written
    assertThat(names(cache)).containsExactly(archive.getFileName().toString());

    // the first parent's workers read the pool's classes from the jar
    assertThat(classSources(logs)).hasSize(2).allMatch(source -> source.startsWith("file:"));

    // a second parent's workers map them from the archive (its top layer)
    String second = runParent(jars, cache, logOption);
    assertThat(second).isEqualTo(first);
    assertThat(classSources(logs)).hasSize(2).containsOnly("shared objects file (top)");

    // a jar that changes gets a new archive, and the old one goes
    Files.setLastModifiedTime(
        jars.get(1),
        FileTime.fromMillis(Files.getLastModifiedTime(jars.get(1)).toMillis() + 60_000));
    String third = runParent(jars, cache, logOption);
    assertThat(third).startsWith("archive ").isNotEqualTo(first);
    assertThat(names(cache))
        .containsExactly(Path.of(third.substring("archive ".length())).getFileName().toString());
  }

  @Test
  void aCacheDirectorySwappedForALinkAfterTheBuildIsNotMappedByTheWorkersStartedAfter()
      throws IOException {
    Path cache = dir.resolve("cache");
    String out = run(jars(), CdsMainSwap.class, cache.toString());
    String before = line(out, "before ");
    assertThat(before).startsWith("-XX:SharedArchiveFile=" + cache + "/worker-");
    List<String> after = List.of(line(out, "after ").replaceAll("[\\[\\]]", "").split(", "));
    assertThat(after).hasSize(3);
    // the last two workers started after the swap (one at a time, a worker for each task)
    assertThat(after.subList(1, 3)).containsOnly("none");
    // one warning for the pool, not one per worker
    String warning = "pool4j: the worker processes run without their class-data sharing archive";
    assertThat(out.split(warning, -1)).as(out).hasSize(2);
    assertThat(out).contains(cache + " is a symbolic link");
  }

  private static String line(String out, String start) {
    return out.lines()
        .filter(l -> l.startsWith(start))
        .map(l -> l.substring(start.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(out));
  }

  /** Runs {@code main} on a class path of {@code jars}; returns its output, stdout and stderr. */
  private static String run(List<Path> jars, Class<?> main, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-cp");
    command.add(jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(parent.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      parent.destroyForcibly();
    }
    assertThat(parent.exitValue()).as(out).isZero();
    return out;
  }

  /** Where each worker's WorkerMain came from, by its class-load log; the logs are then deleted. */
  private static List<String> classSources(Path logs) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(logs)) {
      files = s.collect(Collectors.toList());
    }
    List<String> sources = new ArrayList<>();
    String marker = " " + WorkerMain.class.getName() + " source: ";
    for (Path log : files) {
      for (String line : Files.readAllLines(log)) {
        int at = line.indexOf(marker);
        if (at >= 0) {
          sources.add(line.substring(at + marker.length()).trim());
        }
      }
      Files.delete(log);
    }
    return sources;
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
    }
  }

  /** Runs {@link CdsMain} on a class path of {@code jars}; returns its archive line. */
  private static String runParent(List<Path> jars, Path cache, String... workerOptions)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-cp");
    command.add(jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    command.add(CdsMain.class.getName());
    command.add(cache.toString());
    command.addAll(List.of(workerOptions));
    Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(parent.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      parent.destroyForcibly();
    }
    assertThat(parent.exitValue()).as(out).isZero();
    assertThat(out).contains("sum 328350");
    return out.lines()
        .filter(l -> l.startsWith("archive ") || l.startsWith("off "))
        .findFirst()
        .orElseThrow(() -> new AssertionError(out));
  }

  /** pool4j-core's classes and this test's parent, each in a jar, as an application ships. */
  private List<Path> jars() throws IOException {
    Path core = Path.of(classesOf(WorkerMain.class));
    Path tests = Path.of(classesOf(CdsMain.class));
    Path coreJar = dir.resolve("pool4j-core.jar");
    Path appJar = dir.resolve("app.jar");
    jar(core, coreJar, p -> true);
    String pkg = CdsMain.class.getPackageName().replace('.', '/') + "/";
    jar(
        tests,
        appJar,
        p -> {
          String name = tests.relativize(p).toString().replace(File.separatorChar, '/');
          return name.startsWith(pkg + "CdsMain") || name.startsWith(pkg + "Internals");
        });
    return List.of(coreJar, appJar);
  }

  private static String classesOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static void jar(Path root, Path jar, java.util.function.Predicate<Path> include)
      throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile).filter(include)::iterator) {
        String name = root.relativize(p).toString().replace(File.separatorChar, '/');
        out.putNextEntry(new JarEntry(name));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
  }
}
