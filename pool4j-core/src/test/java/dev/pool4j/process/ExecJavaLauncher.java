package dev.pool4j.process;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Does what {@code mvn exec:java} does, for {@link WorkerClassPathTest}: loads the application in a
 * {@link URLClassLoader} of its own, makes it the thread's context class loader and calls its
 * {@code main}, while {@code java.class.path} names only this launcher. JDK only: the test copies
 * this one class file to a directory of its own and runs it from there.
 *
 * <p>Arguments: the main class, then the application's class path entries.
 */
public final class ExecJavaLauncher {
  public static void main(String[] args) throws Exception {
    URL[] urls = new URL[args.length - 1];
    for (int i = 1; i < args.length; i++) {
      urls[i - 1] = Path.of(args[i]).toUri().toURL();
    }
    try (URLClassLoader app =
        new URLClassLoader("exec-java", urls, ClassLoader.getSystemClassLoader())) {
      Thread.currentThread().setContextClassLoader(app);
      Method main = app.loadClass(args[0]).getMethod("main", String[].class);
      main.invoke(null, (Object) new String[0]);
    }
  }
}
