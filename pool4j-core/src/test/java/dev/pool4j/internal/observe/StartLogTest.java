package dev.pool4j.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One thread sets the logger up while the others queue their lines and go on; every line is logged
 * once, whichever thread logs it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard only
class StartLogTest {

  @Test
  void whileOneThreadSetsTheLoggerUpTheOthersQueueTheirLinesAndGoOn() throws Exception {
    Recorder recorder = new Recorder();
    CountDownLatch settingUp = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StartLog log =
        new StartLog(
            () -> {
              settingUp.countDown();
              await(release);
              return recorder;
            });
    Thread setter = new Thread(() -> log.log(() -> "first"));
    setter.start();
    assertThat(settingUp.await(30, TimeUnit.SECONDS)).isTrue();

    // this thread does not wait for the set-up (it would hang here, and time out)
    log.log(() -> "second");
    log.log(() -> "third");
    assertThat(recorder.lines).isEmpty();

    release.countDown();
    setter.join();
    assertThat(recorder.lines).containsExactly("first", "second", "third");
    log.log(() -> "fourth");
    assertThat(recorder.lines).containsExactly("first", "second", "third", "fourth");
  }

  @Test
  void everyLineOfManyThreadsRacingTheSetUpIsLoggedOnce() throws Exception {
    for (int round = 0; round < 50; round++) {
      Recorder recorder = new Recorder();
      StartLog log =
          new StartLog(
              () -> {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(200_000));
                return recorder;
              });
      int threads = 2 + ThreadLocalRandom.current().nextInt(7);
      int each = 50;
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> started = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread thread =
            new Thread(
                () -> {
                  await(go);
                  for (int i = 0; i < each; i++) {
                    String line = id + ":" + i;
                    log.log(() -> line);
                  }
                });
        thread.start();
        started.add(thread);
      }
      go.countDown();
      for (Thread thread : started) {
        thread.join();
      }
      List<String> expected = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < each; i++) {
          expected.add(t + ":" + i);
        }
      }
      assertThat(recorder.lines)
          .as("round %d", round)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A logger that keeps its DEBUG lines. */
  private static final class Recorder implements System.Logger {
    final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    public String getName() {
      return "recorder";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(format);
    }
  }
}
