package dev.pool4j.internal.observe;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The {@link System.Logger}s of pool4j-core. {@code System.Logger} is in {@code java.base}, so
 * logging costs the library no dependency; the JDK hands the records to {@code java.util.logging}
 * by default, and to SLF4J, Log4j or any other framework that ships a {@code System.LoggerFinder}
 * (SLF4J's {@code slf4j-jdk-platform-logging}, Log4j's {@code log4j-jpl}).
 *
 * <p>A small set of names, each a child of {@code dev.pool4j}, so that one setting for {@code
 * dev.pool4j} covers them all:
 *
 * <ul>
 *   <li>{@value #POOL_NAME}: the scheduler and the thread backends: retries, task timeouts on
 *       threads, thread workers started, replaced and recycled.
 *   <li>{@value #PROCESS_NAME}: worker processes: started, died, killed at a timeout, stopped; the
 *       class-data sharing archive; the channel to the workers.
 *   <li>{@code dev.pool4j.hazelcast} (in pool4j-hazelcast): cluster members joining and leaving,
 *       members taken out of a pool's rotation.
 * </ul>
 *
 * <p>Levels: {@code WARNING} for what costs the user work or time (a worker died, a task ran past
 * its timeout and its worker was killed or abandoned, an initializer failed, a chunk ran out of
 * retries, a safety check turned something off); {@code INFO} for what the pool recovered from by
 * itself (a chunk runs again after its worker was lost: the call goes on, and the death that caused
 * it was already a warning); {@code DEBUG} for the routine life of workers and of the archive
 * (started, recycled, stopped); {@code TRACE} for what happens per worker start that only someone
 * chasing a problem wants. Nothing is logged per item or per chunk.
 *
 * <p>Messages are built only when their level is on: the library logs through {@link
 * Logger#log(Level, java.util.function.Supplier)}.
 */
public final class Logs {

  /** The name of {@link #POOL}. */
  public static final String POOL_NAME = "dev.pool4j";

  /** The name of {@link #PROCESS}. */
  public static final String PROCESS_NAME = "dev.pool4j.process";

  /** The scheduler and the thread backends. */
  public static final Logger POOL = System.getLogger(POOL_NAME);

  /** Worker processes and their class-data sharing archive. */
  public static final Logger PROCESS = System.getLogger(PROCESS_NAME);

  private Logs() {}
}
