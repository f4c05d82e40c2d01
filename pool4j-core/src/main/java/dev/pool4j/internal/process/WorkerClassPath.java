package dev.pool4j.internal.process;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class path worker JVMs run with: the one the application's classes were loaded from.
 *
 * <p>Design note. A program started as {@code java -cp app:pool4j Main} or {@code java -jar
 * app.jar} loads its classes through the system class loader, and {@code java.class.path} names
 * them all: the workers get exactly that, as they always did. A program launched by a tool that
 * loads it in a class loader of its own sees a different world: {@code mvn exec:java} runs the
 * application in a {@link URLClassLoader}, made the thread's context class loader, while {@code
 * java.class.path} is Maven's launcher; a worker started with that path cannot even find its own
 * main class. So when the context class loader of the thread that builds the pool (or the one that
 * loaded pool4j) is not the system class loader, the workers' class path is worked out from the
 * loaders: the system class path when the loaders delegate to it, then the {@code file:} URLs of
 * each {@link URLClassLoader} from the outermost parent inwards (parent-first, the order in which
 * those loaders find a class), then the location pool4j-core itself was loaded from.
 *
 * <p>A loader that does not tell where its classes come from (not a {@link URLClassLoader}, or a
 * URL other than {@code file:}, such as a jar nested in a jar) cannot be handed to another JVM.
 * When the system class path holds pool4j-core the workers start anyway (as they did before), on
 * what is known; otherwise they could not start at all, and building the pool fails at once, saying
 * what to run instead.
 *
 * <p><b>Trust.</b> Every entry comes from a class loader of this JVM, so the workers run no code
 * this JVM could not already run. Entries are plain local paths: an entry that holds the path
 * separator (it would split into two entries on the worker's command line) is refused. The class
 * path found here is the one the class-data sharing archive is checked against ({@link
 * ClassDataSharing}), so its checks hold for what the workers actually run.
 */
final class WorkerClassPath {

  private static final String WORKER_MAIN = WorkerMain.class.getName().replace('.', '/') + ".class";

  private WorkerClassPath() {}

  /**
   * The class path for workers of a pool built now on this thread.
   *
   * @return the class path, possibly empty
   * @throws IllegalStateException if the workers could not find pool4j-core on any class path that
   *     can be passed on
   */
  static String current() {
    return of(
        Thread.currentThread().getContextClassLoader(),
        WorkerMain.class,
        System.getProperty("java.class.path", ""),
        ClassLoader.getSystemClassLoader());
  }

  /**
   * The class path for workers, worked out from the given loaders.
   *
   * @param context the context class loader of the building thread, or null
   * @param workerMain the worker's main class, whose location must be on the path
   * @param systemClassPath this JVM's {@code java.class.path}
   * @param system the system class loader
   */
  static String of(
      ClassLoader context, Class<?> workerMain, String systemClassPath, ClassLoader system) {
    if (workerMain.getModule().isNamed()) {
      return systemClassPath; // a module path: started as a module, as before
    }
    ClassLoader start = context != null ? context : workerMain.getClassLoader();
    List<ClassLoader> chain = new ArrayList<>();
    boolean reachesSystem = false;
    for (ClassLoader l = start; l != null; l = l.getParent()) {
      if (l == system) {
        reachesSystem = true;
        break;
      }
      if (l == ClassLoader.getPlatformClassLoader()) {
        break;
      }
      chain.add(l);
    }
    if (chain.isEmpty() && workerMain.getClassLoader() == system) {
      return systemClassPath; // java -cp ..., java -jar ...: the common case
    }
    Set<String> entries = new LinkedHashSet<>();
    if (reachesSystem && !systemClassPath.isEmpty()) {
      Collections.addAll(entries, systemClassPath.split(File.pathSeparator, -1));
    }
    String opaque = null;
    Collections.reverse(chain);
    for (ClassLoader l : chain) {
      if (!(l instanceof URLClassLoader)) {
        opaque = describe(l) + ", which is not a URLClassLoader";
        continue;
      }
      for (URL url : ((URLClassLoader) l).getURLs()) {
        String entry = fileEntry(url);
        if (entry == null) {
          opaque = describe(l) + ", whose class path holds " + url;
        } else {
          entries.add(entry);
        }
      }
    }
    String own = location(workerMain);
    if (own != null) {
      entries.add(own); // pool4j-core may sit in a loader of its own, or none above
    }
    boolean systemHasPool4j = system.getResource(WORKER_MAIN) != null;
    if (own == null && !systemHasPool4j) {
      throw cannotStart(
          "pool4j-core was loaded by "
              + describe(workerMain.getClassLoader())
              + " from a location that is not a local file");
    }
    if (opaque != null && !systemHasPool4j) {
      throw cannotStart("the application's classes come from " + opaque);
    }
    for (String entry : entries) {
      if (entry.contains(File.pathSeparator)) {
        throw new IllegalStateException(
            "worker processes cannot be given the class path entry "
                + entry
                + ": it holds the path separator '"
                + File.pathSeparator
                + "'; move it to a path without one");
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static IllegalStateException cannotStart(String why) {
    return new IllegalStateException(
        "worker processes cannot start: this JVM's class path (java.class.path) does not hold"
            + " pool4j-core, and "
            + why
            + ", so no class path for the workers can be worked out. Run the application with"
            + " its class path on the java command line instead (java -cp <class path> <main"
            + " class>, java -jar with a shaded jar, or mvn exec:exec rather than exec:java), or"
            + " use a thread pool (Pool.builder().threads())");
  }

  /** The local path of a {@code file:} URL, or null for any other URL. */
  private static String fileEntry(URL url) {
    if (!"file".equals(url.getProtocol())) {
      return null;
    }
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
      return null;
    }
  }

  /** Where {@code c} was loaded from, when that is a local file or directory; else null. */
  private static String location(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    URL url = source == null ? null : source.getLocation();
    return url == null ? null : fileEntry(url);
  }

  private static String describe(ClassLoader l) {
    return l == null ? "the boot class loader" : "the class loader " + l;
  }
}
