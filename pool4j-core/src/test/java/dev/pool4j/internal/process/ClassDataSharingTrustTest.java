package dev.pool4j.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class-data sharing archive is mapped only when this account owns it and its directory, nobody
 * else may write them, and neither is a symbolic link, checked when the pool is built and again at
 * every worker's launch; otherwise the workers run without it, with one warning.
 *
 * <p>"Mapped" here is what a worker's command line gets: {@code -XX:SharedArchiveFile} for the
 * archive, or nothing. The archive is a file of any content: no JVM starts.
 */
class ClassDataSharingTrustTest {

  /** A user id that is not this account's: {@code nobody} on most systems. */
  private static final int OTHER_UID = 65534;

  @TempDir Path dir;

  private Path cache;
  private String classPath;
  private final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void aJarClassPath() throws IOException {
    Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1, 2, 3});
    classPath = jar.toString();
    cache = dir.resolve("cache");
  }

  private ClassDataSharing build() {
    return ClassDataSharing.of(
        cache, List.of("java", "-Xshare:auto"), classPath, "", warnings::add);
  }

  /** Puts a file where {@code cds} keeps its archive, owner-only, as the pool leaves one. */
  private static Path archiveOf(ClassDataSharing cds) throws IOException {
    Path archive = Files.write(cds.archive, new byte[] {42});
    Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-------"));
    return archive;
  }

  private static boolean maps(ClassDataSharing cds) {
    return cds.launch().options.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile="));
  }

  private static boolean writes(ClassDataSharing cds) {
    ClassDataSharing.Launch launch = cds.launch();
    boolean writes =
        launch.options.stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
    launch.failed(); // frees the archive for the next writer
    return writes;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void chown(Path path, int uid) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void anArchiveOfThisAccountAloneIsMappedAtEveryLaunchWithoutWarnings() throws IOException {
    ClassDataSharing cds = build();
    assertThat(cds.why).isNull();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
        .isEqualTo("rwx------");
    assertThat(writes(cds)).isTrue();
    archiveOf(cds);
    assertThat(maps(cds)).isTrue();
    assertThat(maps(cds)).isTrue();
    assertThat(warnings).isEmpty();
    // the probe that told who this account is was deleted
    try (var files = Files.list(cache)) {
      assertThat(files).containsExactly(cds.archive);
    }
  }

  @Test
  void aSymlinkedArchiveFileIsNotMapped() throws IOException {
    ClassDataSharing cds = build();
    Path real = Files.write(dir.resolve("elsewhere.jsa"), new byte[] {42});
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(cds.archive, real);
    assertThat(maps(cds)).isFalse();
    assertThat(writes(cds)).isFalse();
    assertThat(warnings).singleElement().asString().contains("is a symbolic link");
  }

  @Test
  void aSymlinkedCacheDirectoryIsNotUsed() throws IOException {
    Path real = Files.createDirectory(dir.resolve("real"));
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwx------"));
    Files.createSymbolicLink(cache, real);
    ClassDataSharing cds = build();
    assertThat(cds.archive).isNull();
    assertThat(cds.launch().options).isEmpty();
    assertThat(warnings).singleElement().asString().contains(cache + " is a symbolic link");
    try (var files = Files.list(real)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aCacheDirectoryGroupOrOthersMayWriteIsNotUsed() throws IOException {
    for (String permissions : List.of("rwxrwx---", "rwx---rwx", "rwxrwxrwx")) {
      warnings.clear();
      Files.createDirectories(cache);
      Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString(permissions));
      ClassDataSharing cds = build();
      assertThat(cds.archive).as(permissions).isNull();
      assertThat(warnings)
          .as(permissions)
          .singleElement()
          .asString()
          .contains("may be written by other users (it is " + permissions + ")");
      Files.delete(cache);
    }
  }

  @Test
  void anArchiveGroupOrOthersMayWriteIsNotMapped() throws IOException {
    ClassDataSharing cds = build();
    Path archive = archiveOf(cds);
    for (String permissions : List.of("rw-rw----", "rw----rw-")) {
      Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString(permissions));
      assertThat(maps(cds)).as(permissions).isFalse();
      assertThat(writes(cds)).as(permissions).isFalse();
    }
    assertThat(warnings).singleElement().asString().contains("may be written by other users");
    // an archive already there is checked when the pool is built, and warned about then
    warnings.clear();
    ClassDataSharing again = build();
    assertThat(warnings).singleElement().asString().contains("may be written by other users");
    assertThat(maps(again)).isFalse();
    assertThat(warnings).hasSize(1);
  }

  @Test
  void aCacheDirectoryOfAnotherAccountIsNotUsedEvenByRoot() throws IOException {
    // Files.isWritable is true for root whoever owns the directory: the owner is what counts
    assumeTrue(isRoot(), "changing a directory's owner takes root (CI runs as root)");
    Files.createDirectories(cache);
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
    chown(cache, OTHER_UID);
    ClassDataSharing cds = build();
    assertThat(cds.archive).isNull();
    assertThat(warnings).singleElement().asString().contains(cache + " is owned by");
  }

  @Test
  void anArchiveOfAnotherAccountIsNotMappedEvenByRoot() throws IOException {
    assumeTrue(isRoot(), "changing a file's owner takes root (CI runs as root)");
    ClassDataSharing cds = build();
    Path archive = archiveOf(cds);
    assertThat(maps(cds)).isTrue();
    // another account replaced the archive with its own
    chown(archive, OTHER_UID);
    assertThat(maps(cds)).isFalse();
    assertThat(warnings).singleElement().asString().contains(archive + " is owned by");
  }

  @Test
  void aCacheDirectorySwappedForASymlinkAfterTheBuildIsCaughtAtTheNextLaunch() throws IOException {
    ClassDataSharing cds = build();
    archiveOf(cds);
    assertThat(maps(cds)).isTrue();
    // the directory moves away and a link takes its place, to a directory with the same archive
    Path moved = Files.move(cache, dir.resolve("moved"));
    Files.createSymbolicLink(cache, moved);
    assertThat(maps(cds)).isFalse();
    assertThat(maps(cds)).isFalse();
    assertThat(writes(cds)).isFalse();
    assertThat(warnings).singleElement().asString().contains(cache + " is a symbolic link");
  }

  @Test
  void aDirectoryAboveOthersMayWriteIsRefusedUnlessItHasTheStickyBit() throws IOException {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    cache = shared.resolve("cache");
    // others could rename the cache directory away and put theirs in its place
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    ClassDataSharing open = build();
    assertThat(open.archive).isNull();
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains(shared + " above the cache directory")
        .contains("without the sticky bit");

    // as /tmp: others may add entries, but not rename or delete this account's
    warnings.clear();
    Files.setAttribute(shared, "unix:mode", 01777, LinkOption.NOFOLLOW_LINKS);
    ClassDataSharing sticky = build();
    assertThat(sticky.archive).isNotNull();
    archiveOf(sticky);
    assertThat(maps(sticky)).isTrue();
    assertThat(warnings).isEmpty();

    // the sticky bit taken off after the build: caught at the next launch
    Files.setAttribute(shared, "unix:mode", 0777, LinkOption.NOFOLLOW_LINKS);
    assertThat(maps(sticky)).isFalse();
    assertThat(warnings).singleElement().asString().contains("without the sticky bit");
  }

  @Test
  void anArchiveAWorkerWroteTakesOwnerOnlyPermissionsSoThatLaterLaunchesMapIt()
      throws IOException, InterruptedException {
    ClassDataSharing cds = build();
    ClassDataSharing.Launch launch = cds.launch();
    String option =
        launch.options.stream()
            .filter(o -> o.startsWith("-XX:ArchiveClassesAtExit="))
            .findFirst()
            .orElseThrow();
    // what a worker's JVM writes as it exits, under a umask that lets the group write
    Path temp = Path.of(option.substring(option.indexOf('=') + 1));
    Files.write(temp, new byte[] {42});
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-rw-r--"));
    Process exits = new ProcessBuilder(ProcessBackend.javaExecutable(), "-version").start();
    launch.started(exits);
    exits.getInputStream().readAllBytes();
    exits.getErrorStream().readAllBytes();
    assertThat(exits.waitFor()).isZero();
    ClassDataSharing.exited(exits);
    assertThat(cds.archive).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cds.archive)))
        .isEqualTo("rw-------");
    assertThat(maps(cds)).isTrue();
    assertThat(warnings).isEmpty();
  }
}
