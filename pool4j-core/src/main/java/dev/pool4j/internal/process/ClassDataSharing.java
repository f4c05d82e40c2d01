package dev.pool4j.internal.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A class-data sharing archive for worker JVMs, made on first use and kept in a cache directory.
 *
 * <p>The first worker process of a command line (this JVM's java, the workers' options and class
 * path, its jars as they are now) runs with {@code -XX:ArchiveClassesAtExit}: when it exits, its
 * JVM writes the classes it loaded, parsed and verified, into a dynamic archive. Every later
 * worker of that command line, in this JVM or another, maps the archive ({@code
 * -XX:SharedArchiveFile}) instead of reading, parsing and verifying those classes again.
 *
 * <p>Only one process of this JVM writes a given archive at a time, into a file of its own; the
 * archive takes its final name (an atomic rename) once that process has exited normally, so that a
 * worker never maps a half-written archive. A worker killed before it exits (a terminate, a
 * timeout) leaves none, and a later worker tries again.
 *
 * <p>Nothing here can keep a worker from starting: a JVM that cannot map or write the archive runs
 * without it ({@code -Xshare:auto}, with its CDS messages off), and any file error turns the
 * archive off for the pool.
 *
 * <p>The JVM archives classes from jar files only, so there is none when the class path holds a
 * directory (as when running from an IDE or from Maven's {@code target/classes}), or when the
 * workers run on a module path. The name of the archive hashes the command line and each jar's
 * size and modification time, so a jar that changes gets a new archive; the archives of the same
 * command line with older jars are deleted when the new one is in place.
 *
 * <p><b>Trust.</b> A worker JVM runs the classes an archive holds, so the directory must be
 * writable by this user only: one that group or others may write is refused, and one that does not
 * exist is created with permissions {@code rwx------}.
 */
final class ClassDataSharing {

  private static final String PREFIX = "worker-";
  private static final String SUFFIX = ".jsa";
  /** Unfinished files older than this are left over from a JVM that died: deleted. */
  private static final long STALE_TEMP_MILLIS = TimeUnit.HOURS.toMillis(1);

  /** Archives a process of this JVM is writing now: one writer per archive. */
  private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

  /**
   * What to do when each writing process has exited: run once, by whoever sees the exit first,
   * and waited for by the others (this JVM's shutdown hook must not end while another thread
   * renames the archive).
   */
  private static final Map<Process, Runnable> WRITERS = new ConcurrentHashMap<>();

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The archive's final path, or null when the workers run without one. */
  final Path archive;

  /** Why there is no archive, or null. */
  final String why;

  /** The archives of this command line with other jars: deleted once the new one is in place. */
  private final String family;

  private ClassDataSharing(Path archive, String family, String why) {
    this.archive = archive;
    this.family = family;
    this.why = why;
  }

  /** No archive, for the reason given. */
  static ClassDataSharing off(String why) {
    return new ClassDataSharing(null, null, why);
  }

  /**
   * The archive of worker JVMs started with {@code command}, in {@code directory}; off when the
   * class path holds anything but jar files, there is a module path, or the directory cannot be
   * used safely.
   *
   * @param directory the cache directory
   * @param command the workers' command line up to (without) their arguments
   * @param classPath the class path in {@code command}
   * @param modulePath the module path in {@code command}, or empty
   */
  static ClassDataSharing of(
      Path directory, List<String> command, String classPath, String modulePath) {
    if (!modulePath.isEmpty()) {
      return off("the workers run on a module path");
    }
    if (classPath.isEmpty()) {
      return off("the class path is empty");
    }
    List<Path> jars = new ArrayList<>();
    for (String entry : classPath.split(java.io.File.pathSeparator, -1)) {
      Path jar = Path.of(entry.isEmpty() ? "." : entry);
      if (!Files.isRegularFile(jar)) {
        return off("the class path entry " + entry + " is not a jar file");
      }
      jars.add(jar);
    }
    try {
      MessageDigest line = sha256();
      line.update(System.getProperty("java.home", "").getBytes(StandardCharsets.UTF_8));
      line.update(System.getProperty("java.vm.version", "").getBytes(StandardCharsets.UTF_8));
      for (String part : command) {
        line.update(part.getBytes(StandardCharsets.UTF_8));
        line.update((byte) 0);
      }
      MessageDigest stamps = sha256();
      for (Path jar : jars) {
        stamps.update(
            (Files.size(jar) + "/" + Files.getLastModifiedTime(jar).toMillis() + "\0")
                .getBytes(StandardCharsets.UTF_8));
      }
      String family = PREFIX + Protocol.hex(line.digest()).substring(0, 16) + "-";
      String name = family + Protocol.hex(stamps.digest()).substring(0, 16) + SUFFIX;
      String unsafe = prepare(directory);
      if (unsafe != null) {
        return off(unsafe);
      }
      return new ClassDataSharing(directory.resolve(name), family, null);
    } catch (IOException | RuntimeException e) {
      return off("the cache directory " + directory + " cannot be used: " + e);
    }
  }

  /** The default cache directory: {@code $XDG_CACHE_HOME/pool4j}, else {@code ~/.cache/pool4j}. */
  static Path defaultDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isEmpty()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home", "."), ".cache");
    return base.resolve("pool4j");
  }

  /** A worker process about to start: the options it gets, and what to do once it started. */
  final class Launch {
    final List<String> options;
    private final Path writing;

    private Launch(List<String> options, Path writing) {
      this.options = options;
      this.writing = writing;
    }

    /**
     * The process started: once it has exited, its archive, if it writes one, takes its name
     * ({@link #exited}).
     */
    void started(Process process) {
      if (writing != null) {
        WRITERS.put(process, () -> finish(writing, process.exitValue()));
        process.onExit().thenRun(() -> exited(process));
      }
    }

    /** The process could not start. */
    void failed() {
      if (writing != null) {
        WRITING.remove(archive);
      }
    }
  }

  /**
   * A worker process has exited: if it wrote an archive, the archive takes its final name now.
   * The pool calls it when it stops a worker, so that the archive is in place before {@code
   * close()} returns (this JVM may exit right after); the process's exit calls it too, for the
   * workers that die.
   */
  static void exited(Process process) {
    Runnable finish = WRITERS.get(process);
    if (finish == null) {
      return;
    }
    // the first thread in finishes, and only then forgets the writer: one that came meanwhile
    // waits for the monitor, so that it returns only once the archive is in place
    synchronized (finish) {
      if (WRITERS.containsKey(process)) {
        try {
          finish.run();
        } finally {
          WRITERS.remove(process);
        }
      }
    }
  }

  /** Whether {@code process} is writing an archive. */
  static boolean writes(Process process) {
    return WRITERS.containsKey(process);
  }

  /** The options for the next worker process: map the archive, write it, or neither. */
  Launch launch() {
    if (archive == null) {
      return new Launch(List.of(), null);
    }
    if (Files.isRegularFile(archive)) {
      return new Launch(quiet("-XX:SharedArchiveFile=" + archive), null);
    }
    if (!WRITING.add(archive)) {
      return new Launch(List.of(), null);
    }
    Path temp =
        archive.resolveSibling(
            archive.getFileName()
                + "."
                + ProcessHandle.current().pid()
                + "-"
                + Long.toHexString(RANDOM.nextLong())
                + ".tmp");
    return new Launch(quiet("-XX:ArchiveClassesAtExit=" + temp), temp);
  }

  /** An archive option, with the JVM's CDS messages off: a worker without one is no error. */
  private static List<String> quiet(String option) {
    return List.of(option, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  }

  private void finish(Path temp, int exitCode) {
    try {
      // a worker exits with 0 when its pool stops it, and halts with PARENT_GONE when this JVM
      // exits (the shutdown hook lets a writer finish); either way its JVM wrote the archive
      boolean normal = exitCode == 0 || exitCode == WorkerMain.PARENT_GONE;
      if (normal && Files.isRegularFile(temp) && Files.size(temp) > 0) {
        Files.move(
            temp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        deleteOthers();
      } else {
        Files.deleteIfExists(temp);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException | RuntimeException ignored) {
        // a later start deletes it once it is stale
      }
    } finally {
      WRITING.remove(archive);
    }
  }

  /** Deletes this command line's archives for other jars, and stale unfinished files. */
  private void deleteOthers() throws IOException {
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(archive.getParent(), PREFIX + "*")) {
      for (Path p : all) {
        String name = p.getFileName().toString();
        boolean older = name.startsWith(family) && name.endsWith(SUFFIX) && !p.equals(archive);
        boolean stale =
            name.endsWith(".tmp")
                && now - Files.getLastModifiedTime(p).toMillis() > STALE_TEMP_MILLIS;
        if (older || stale) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * Creates the directory (owner only) if needed; returns why it must not be used, or null. On a
   * file system without POSIX permissions it is used as it is.
   */
  private static String prepare(Path directory) throws IOException {
    boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(directory)) {
      if (posix) {
        Files.createDirectories(
            directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(directory);
      }
    }
    if (!Files.isWritable(directory)) {
      return "the cache directory " + directory + " is not writable";
    }
    if (posix) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(directory);
      if (perms.contains(PosixFilePermission.GROUP_WRITE)
          || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        return "the cache directory "
            + directory
            + " may be written by other users, and a worker runs the classes its archive holds";
      }
    }
    return null;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
