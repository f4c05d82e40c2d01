package dev.pool4j.process;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Keeps every record logged under {@code dev.pool4j} (and its children) while open, at every level.
 * The JDK's default {@code System.Logger} back end is {@code java.util.logging}, so a handler on
 * the JUL logger of that name sees what the library logs through {@code System.Logger}. Closing
 * restores the logger's level and removes the handler.
 */
final class LogCapture extends Handler implements AutoCloseable {

  /** What the tests look at: the level, the logger and the message of one record. */
  record Line(Level level, String logger, String message) {
    @Override
    public String toString() {
      return level + " " + logger + ": " + message;
    }
  }

  private final Logger logger;
  private final Level before;
  private final List<Line> lines = new CopyOnWriteArrayList<>();

  LogCapture(String name) {
    logger = Logger.getLogger(name);
    before = logger.getLevel();
    logger.setLevel(Level.ALL);
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  static LogCapture pool4j() {
    return new LogCapture("dev.pool4j");
  }

  @Override
  public void publish(LogRecord record) {
    lines.add(new Line(record.getLevel(), record.getLoggerName(), record.getMessage()));
  }

  /** The records so far whose message contains every one of {@code parts}. */
  List<Line> containing(String... parts) {
    return lines.stream()
        .filter(
            l -> {
              for (String p : parts) {
                if (l.message() == null || !l.message().contains(p)) {
                  return false;
                }
              }
              return true;
            })
        .collect(Collectors.toList());
  }

  List<Line> all() {
    return List.copyOf(lines);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(before);
  }
}
