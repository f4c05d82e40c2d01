package dev.pool4j.internal.process;

import dev.pool4j.internal.observe.Logs;
import dev.pool4j.internal.wire.Protocol;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A class-data sharing archive for worker JVMs, made on first use and kept in a cache directory.
 *
 * <p>The first worker process of a command line (this JVM's java, the workers' options and class
 * path, its jars as they are now) runs with {@code -XX:ArchiveClassesAtExit}: when it exits, its
 * JVM writes the classes it loaded, parsed and verified, into a dynamic archive. Every later worker
 * of that command line, in this JVM or another, maps the archive ({@code -XX:SharedArchiveFile})
 * instead of reading, parsing and verifying those classes again.
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
 * workers run on a module path. The name of the archive hashes the command line and each jar's size
 * and modification time, so a jar that changes gets a new archive; the archives of the same command
 * line with older jars are deleted when the new one is in place.
 *
 * <p><b>Trust.</b> A worker JVM runs the classes an archive holds, so an archive is mapped (or
 * written) only where no other account can have put it: the directory and the archive must be owned
 * by the account running this JVM (by user id, not by what {@link Files#isWritable} says, which is
 * always true for root), and writable by it alone (no group or others write permission); neither
 * may be a symbolic link, and every directory above the cache directory must be owned by this
 * account or root and writable by nobody else, or have the sticky bit (as {@code /tmp} has), so
 * that no other account can rename the cache directory away or put a link in its place. Each check
 * reads the file's own attributes, never following a link ({@link LinkOption#NOFOLLOW_LINKS}), and
 * is made when the pool is built and again before every worker starts, since a worker's JVM opens
 * the archive by its path. A directory that does not exist is created with permissions {@code
 * rwx------}; an archive takes {@code rw-------} before its final name. Where a check fails the
 * workers run without the archive, and the pool logs one warning (not one per worker), through
 * {@link System.Logger}.
 *
 * <p>What remains: between the last check and the moment a starting worker's JVM opens the archive
 * (a few milliseconds) the path could change, but only by an account that the checks found could
 * not change it: this one or root. A file system without POSIX permissions (where owners and
 * writers cannot be checked this way) gets no archive.
 */
final class ClassDataSharing {

  private static final String PREFIX = "worker-";
  private static final String SUFFIX = ".jsa";

  /** Unfinished files older than this are left over from a JVM that died: deleted. */
  private static final long STALE_TEMP_MILLIS = TimeUnit.HOURS.toMillis(1);

  /** Archives a process of this JVM is writing now: one writer per archive. */
  private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

  /**
   * What to do when each writing process has exited: run once, by whoever sees the exit first, and
   * waited for by the others (this JVM's shutdown hook must not end while another thread renames
   * the archive).
   */
  private static final Map<Process, Runnable> WRITERS = new ConcurrentHashMap<>();

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The archive's final path, or null when the workers run without one. */
  final Path archive;

  /** Why there is no archive, or null. */
  final String why;

  /** The archives of this command line with other jars: deleted once the new one is in place. */
  private final String family;

  /** The owner of this JVM's files: the only owner an archive and its directory may have. */
  private final UserPrincipal me;

  /** Takes the one warning, when a check fails. */
  private final Consumer<String> warn;

  /** Whether the warning went out: at most one per pool. */
  private final AtomicBoolean warned = new AtomicBoolean();

  private ClassDataSharing(
      Path archive, String family, String why, UserPrincipal me, Consumer<String> warn) {
    this.archive = archive;
    this.family = family;
    this.why = why;
    this.me = me;
    this.warn = warn;
  }

  /** No archive, for the reason given (not a warning: nothing is wrong). */
  static ClassDataSharing off(String why) {
    return new ClassDataSharing(null, null, why, null, w -> {});
  }

  /** No archive, as the checks refused it: warned about once. */
  private static ClassDataSharing refused(String why, Consumer<String> warn) {
    ClassDataSharing off = new ClassDataSharing(null, null, why, null, warn);
    off.warnOnce(why);
    return off;
  }

  /**
   * Logs warnings as {@code dev.pool4j.process} at level WARNING (the decisions that are no warning
   * go there at DEBUG and TRACE).
   */
  static final Consumer<String> LOG = message -> Logs.PROCESS.log(Level.WARNING, message);

  /** Same as {@link #of(Path, List, String, String, Consumer)}, warning through {@link #LOG}. */
  static ClassDataSharing of(
      Path directory, List<String> command, String classPath, String modulePath) {
    return of(directory, command, classPath, modulePath, LOG);
  }

  /**
   * The archive of worker JVMs started with {@code command}, in {@code directory}; off when the
   * class path holds anything but jar files, there is a module path, or the directory cannot be
   * used safely (then with one warning to {@code warn}).
   *
   * @param directory the cache directory
   * @param command the workers' command line up to (without) their arguments
   * @param classPath the class path in {@code command}
   * @param modulePath the module path in {@code command}, or empty
   * @param warn takes the warning, if any
   */
  static ClassDataSharing of(
      Path directory,
      List<String> command,
      String classPath,
      String modulePath,
      Consumer<String> warn) {
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
      if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        return refused(
            "the file system of the cache directory "
                + directory
                + " has no POSIX permissions, so its owner and writers cannot be checked",
            warn);
      }
      Path checked = prepare(directory);
      if (!Files.isDirectory(checked, LinkOption.NOFOLLOW_LINKS)) {
        // a link, before a file is made there to learn who this account is
        return refused(unsafeDirectory(checked, null), warn);
      }
      UserPrincipal me = ownerOfANewFile(checked);
      String unsafe = unsafeDirectory(checked, me);
      if (unsafe != null) {
        return refused(unsafe, warn);
      }
      ClassDataSharing cds = new ClassDataSharing(checked.resolve(name), family, null, me, warn);
      String file = cds.unsafeArchive();
      if (file != null) {
        // checked at every launch too; warned about now, when the pool is built
        cds.warnOnce(file);
      }
      return cds;
    } catch (IOException | RuntimeException e) {
      return refused("the cache directory " + directory + " cannot be used: " + e, warn);
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
   * A worker process has exited: if it wrote an archive, the archive takes its final name now. The
   * pool calls it when it stops a worker, so that the archive is in place before {@code close()}
   * returns (this JVM may exit right after); the process's exit calls it too, for the workers that
   * die.
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

  /**
   * The options for the next worker process: map the archive, write it, or neither. Checks the
   * directory and the archive again first ({@link ClassDataSharing the trust notes}): neither when
   * a check fails, with the pool's one warning.
   */
  Launch launch() {
    if (archive == null) {
      return new Launch(List.of(), null);
    }
    String unsafe = unsafeDirectory(archive.getParent(), me);
    boolean exists = Files.exists(archive, LinkOption.NOFOLLOW_LINKS);
    if (unsafe == null && exists) {
      unsafe = unsafeArchive();
    }
    if (unsafe != null) {
      warnOnce(unsafe);
      return new Launch(List.of(), null);
    }
    if (exists) {
      Logs.PROCESS.log(Level.TRACE, () -> "pool4j: a worker process maps " + archive);
      return new Launch(quiet("-XX:SharedArchiveFile=" + archive), null);
    }
    if (!WRITING.add(archive)) {
      Logs.PROCESS.log(
          Level.TRACE,
          () -> "pool4j: a worker process starts without " + archive + ", which another writes");
      return new Launch(List.of(), null);
    }
    Logs.PROCESS.log(
        Level.DEBUG,
        () ->
            "pool4j: the class-data sharing archive "
                + archive
                + " is missing: the next worker process writes it when it exits");
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

  private void warnOnce(String unsafe) {
    if (warned.compareAndSet(false, true)) {
      try {
        warn.accept(
            "pool4j: the worker processes run without their class-data sharing archive (they"
                + " start more slowly): "
                + unsafe);
      } catch (RuntimeException e) {
        // a logger that fails must not keep a worker from starting
      }
    }
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
      if (normal
          && Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)
          && Files.size(temp) > 0
          && unsafeDirectory(archive.getParent(), me) == null
          && me.equals(Files.getOwner(temp, LinkOption.NOFOLLOW_LINKS))) {
        // the JVM made it as the umask says: the owner alone may write an archive
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        Files.move(
            temp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Logs.PROCESS.log(
            Level.DEBUG,
            () -> "pool4j: the class-data sharing archive " + archive + " is in place");
        deleteOthers();
      } else {
        Files.deleteIfExists(temp);
        Logs.PROCESS.log(
            Level.DEBUG,
            () ->
                "pool4j: the worker process that was to write "
                    + archive
                    + " left none ("
                    + Child.exitMeaning(exitCode)
                    + "); a later worker process tries again");
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
    if (unsafeDirectory(archive.getParent(), me) != null) {
      return;
    }
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
   * Creates the directory (owner only) if needed; returns it with every directory above it resolved
   * to its real path (a link there is the user's own set-up, such as a home directory elsewhere),
   * but not the directory itself: that must not be a link.
   */
  private static Path prepare(Path directory) throws IOException {
    Path absolute = directory.toAbsolutePath().normalize();
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(
          absolute,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Path parent = absolute.getParent();
    return parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName());
  }

  /**
   * The owner of a file this JVM creates (in {@code directory}, and deletes at once): this account,
   * as the file system names it, for root too.
   */
  private static UserPrincipal ownerOfANewFile(Path directory) throws IOException {
    Path probe =
        Files.createTempFile(
            directory,
            ".owner-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  /**
   * Why the cache directory must not be used, or null: it and every directory above it, by the
   * rules of the class notes, never following a link.
   */
  static String unsafeDirectory(Path directory, UserPrincipal me) {
    try {
      PosixFileAttributes own = attributes(directory);
      if (own.isSymbolicLink()) {
        return "the cache directory " + directory + " is a symbolic link; use a real directory";
      }
      if (!own.isDirectory()) {
        return "the cache directory " + directory + " is not a directory";
      }
      String mine = ownerOnly("the cache directory", directory, own, me);
      if (mine != null) {
        return mine;
      }
      for (Path above = directory.getParent(); above != null; above = above.getParent()) {
        PosixFileAttributes a = attributes(above);
        if (a.isSymbolicLink()) {
          return "the directory "
              + above
              + " above the cache directory has become a symbolic link since the pool was built";
        }
        boolean trusted = a.owner().equals(me) || isRoot(above, a);
        if (!trusted) {
          return "the directory "
              + above
              + " above the cache directory "
              + directory
              + " is owned by "
              + a.owner().getName()
              + ", who could replace the cache directory; choose another with"
              + " classDataSharing(directory)";
        }
        if (othersMayWrite(a.permissions()) && !isSticky(above)) {
          return "the directory "
              + above
              + " above the cache directory "
              + directory
              + " may be written by other users (it is "
              + PosixFilePermissions.toString(a.permissions())
              + " without the sticky bit), who could replace the cache directory; choose another"
              + " with classDataSharing(directory)";
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return "the cache directory " + directory + " cannot be checked: " + e;
    }
  }

  /** Why the archive, if there is one, must not be mapped, or null. */
  String unsafeArchive() {
    try {
      if (!Files.exists(archive, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      PosixFileAttributes a = attributes(archive);
      if (a.isSymbolicLink()) {
        return "the archive " + archive + " is a symbolic link";
      }
      if (!a.isRegularFile()) {
        return "the archive " + archive + " is not a regular file";
      }
      return ownerOnly("the archive", archive, a, me);
    } catch (IOException | RuntimeException e) {
      return "the archive " + archive + " cannot be checked: " + e;
    }
  }

  /** Why {@code path} is not this account's alone, or null. */
  private static String ownerOnly(String what, Path path, PosixFileAttributes a, UserPrincipal me) {
    if (!a.owner().equals(me)) {
      return what
          + " "
          + path
          + " is owned by "
          + a.owner().getName()
          + ", not by "
          + me.getName()
          + " (the account running this JVM), and a worker runs the classes an archive holds;"
          + " delete it, or choose another directory with classDataSharing(directory)";
    }
    if (othersMayWrite(a.permissions())) {
      return what
          + " "
          + path
          + " may be written by other users (it is "
          + PosixFilePermissions.toString(a.permissions())
          + "), and a worker runs the classes an archive holds; make it writable by its owner"
          + " only (chmod go-w), or choose another directory with classDataSharing(directory)";
    }
    return null;
  }

  private static PosixFileAttributes attributes(Path path) throws IOException {
    return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean othersMayWrite(Set<PosixFilePermission> permissions) {
    return permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE);
  }

  /** Whether {@code path} has the sticky bit; false where that cannot be told. */
  private static boolean isSticky(Path path) {
    try {
      Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return mode instanceof Integer && (((Integer) mode) & 01000) != 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Whether {@code path} is owned by root (user id 0). */
  private static boolean isRoot(Path path, PosixFileAttributes a) {
    try {
      Object uid = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      return uid instanceof Integer && (Integer) uid == 0;
    } catch (IOException | RuntimeException e) {
      return a.owner().getName().equals("root");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
