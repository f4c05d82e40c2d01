package dev.pool4j;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What tasks did, seen by the test whatever JVM they ran in: a set of names (one empty file each in
 * a {@link Shared} folder) and a counter (a file per {@link #tick()}). It takes the place of the
 * concurrent sets and atomic counters a test would use on threads, which a task in a worker JVM or
 * on a cluster member cannot reach.
 */
final class Marks implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final String TICK = "tick-";
  private static final String NAME = "name-";

  private final String folder = Shared.newFolder("marks");

  /** Adds {@code name} to the set (again is a no-op). Names are short, file-name safe strings. */
  void add(Object name) {
    create(NAME + name);
  }

  /** Counts one more event. */
  void tick() {
    create(TICK + UUID.randomUUID());
  }

  /** The names added so far. */
  Set<String> names() {
    return list(NAME).collect(Collectors.toSet());
  }

  /** The names added so far, read as integers. */
  Set<Integer> ints() {
    return list(NAME).map(Integer::valueOf).collect(Collectors.toSet());
  }

  boolean contains(Object name) {
    return Files.exists(Path.of(folder, NAME + name));
  }

  /** How many ticks so far. */
  int ticks() {
    return (int) list(TICK).count();
  }

  private Stream<String> list(String prefix) {
    try (Stream<Path> all = Files.list(Path.of(folder))) {
      return all
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix))
          .map(n -> n.substring(prefix.length()))
          .collect(Collectors.toList())
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void create(String name) {
    try {
      Files.createFile(Path.of(folder, name));
    } catch (FileAlreadyExistsException e) {
      // a set: once is enough
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
