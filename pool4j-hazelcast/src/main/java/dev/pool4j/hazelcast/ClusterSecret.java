package dev.pool4j.hazelcast;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The cluster secret and where it came from: the builder ({@code secret}, {@code secretFile}), the
 * {@code Worker}'s {@code --secret-file}, the environment variable {@value #ENV}, or, for an
 * embedded pool given none, 32 random bytes. Checked when it is given: at least {@value #MIN_BYTES}
 * bytes; a file must be a regular file of at most {@value #MAX_FILE_BYTES} bytes that only its
 * owner may read or write. Text (a string, a file, the variable) loses the white space around it,
 * so that {@code openssl rand -base64 32 > file} and {@code export VAR=$(cat file)} give the same
 * secret.
 */
final class ClusterSecret {

  /** The environment variable read when no secret is set. */
  static final String ENV = "POOL4J_CLUSTER_SECRET";

  static final int MIN_BYTES = 16;

  static final int MAX_FILE_BYTES = 4096;

  /** How the messages tell the user to set a secret. */
  static final String HOW =
      "HazelcastBackend.secret(...) or secretFile(...), Worker --secret-file FILE, or the"
          + " environment variable "
          + ENV
          + " (the same secret everywhere; make one with: openssl rand -base64 32)";

  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private final byte[] bytes;

  /** Where it came from, for messages: never the secret itself. */
  final String source;

  /** The file it was read from, or null. */
  private final Path file;

  private ClusterSecret(byte[] bytes, String source) {
    this(bytes, source, null);
  }

  private ClusterSecret(byte[] bytes, String source, Path file) {
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "the cluster secret from "
              + source
              + " has "
              + bytes.length
              + " bytes; it needs at least "
              + MIN_BYTES
              + " (make one with: openssl rand -base64 32)");
    }
    this.bytes = bytes;
    this.source = source;
    this.file = file;
  }

  /** The seal keyed by this secret. */
  Seal seal() {
    return new Seal(bytes);
  }

  static ClusterSecret of(byte[] secret, String source) {
    return new ClusterSecret(secret.clone(), source);
  }

  static ClusterSecret of(String secret, String source) {
    return new ClusterSecret(secret.strip().getBytes(StandardCharsets.UTF_8), source);
  }

  /** A secret for an embedded pool given none: no other JVM knows it. */
  static ClusterSecret random() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return new ClusterSecret(b, "a random secret made for this pool");
  }

  /** The secret in the environment variable, or null when it is unset or blank. */
  static ClusterSecret fromEnvironment(Function<String, String> env) {
    String value = env.apply(ENV);
    if (value == null || value.isBlank()) {
      return null;
    }
    return of(value, "the environment variable " + ENV);
  }

  /**
   * Reads a secret file: refused unless it is a regular file that only its owner may read or write
   * (on file systems with POSIX permissions; others are not checked), of at most {@value
   * #MAX_FILE_BYTES} bytes.
   *
   * @param setting the setting that named it, for messages
   * @throws IllegalArgumentException naming the file and the fix
   */
  static ClusterSecret fromFile(Path file, String setting) {
    String where = setting + " " + file;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(where + ": no such regular file");
    }
    PosixFileAttributeView posix =
        Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (posix != null) {
      Set<PosixFilePermission> permissions;
      try {
        permissions = posix.readAttributes().permissions();
      } catch (IOException e) {
        throw new IllegalArgumentException(where + ": cannot read its permissions: " + e, e);
      }
      Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
      open.addAll(permissions);
      open.retainAll(OTHERS);
      if (!open.isEmpty()) {
        throw new IllegalArgumentException(
            where
                + ": others than its owner may use it ("
                + open
                + "); a cluster secret must be the owner's alone: chmod 600 "
                + file);
      }
    }
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": cannot be read: " + e, e);
    }
    if (content.length > MAX_FILE_BYTES) {
      throw new IllegalArgumentException(
          where + ": longer than " + MAX_FILE_BYTES + " bytes; is it the secret?");
    }
    int from = 0;
    int to = content.length;
    while (from < to && Character.isWhitespace(content[from])) {
      from++;
    }
    while (to > from && Character.isWhitespace(content[to - 1])) {
      to--;
    }
    byte[] secret = Arrays.copyOfRange(content, from, to);
    Arrays.fill(content, (byte) 0);
    return new ClusterSecret(secret, where, file);
  }

  /**
   * How the {@link Worker} command gets this secret, for the messages that print the command: the
   * flag with this file, or what to do without one.
   */
  String workerFlag() {
    if (file != null) {
      return "--secret-file " + file;
    }
    if (source.startsWith("a random secret")) {
      return "--secret-file FILE (this pool made a random secret, which no Worker can have: give"
          + " the pool and the Worker the same one, secretFile(FILE) here)";
    }
    if (source.startsWith("the environment variable")) {
      return "(with " + ENV + " set to this pool's secret, or --secret-file FILE)";
    }
    return "--secret-file FILE (FILE holding this pool's secret, readable by its owner only)";
  }

  @Override
  public String toString() {
    return "cluster secret from " + source;
  }
}
