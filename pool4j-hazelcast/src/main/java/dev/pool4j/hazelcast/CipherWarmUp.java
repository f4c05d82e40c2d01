package dev.pool4j.hazelcast;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seals and opens small messages under a throwaway secret, in the background, so that the JIT has
 * compiled the JDK's AES-GCM, and the seal's own work per message and frame, before the pool's own
 * messages need them.
 *
 * <p>Why: the JDK runs AES-GCM at several GB/s only in code that C2 compiled with the AES and
 * carry-less multiply intrinsics, and C2 compiles it only after some ten thousand calls. Until then
 * it runs in the interpreter and C1 at 50-90 MB/s here. A pool or a member that has sent a few
 * hundred chunks is still there: about 110 ms of CPU to seal and open the 4 MB of a million tiny
 * items, each way (the regression issue 17's A/B found in the cluster's tiny {@code map}). Here,
 * 16,000 rounds of a 1 KiB message (0.4-0.8 s of one core, JDK 17 and 25) bring it to C2: 4 MiB
 * messages then seal and open in 7-28 ms from the first and 7 ms within a few, where a cold JVM
 * takes 115-250 ms for its first ones. The rounds go through {@link Seal}, not the bare cipher: a
 * warm-up of the bare cipher costs 0.2-0.3 s but leaves the seal's work per message (an HMAC, a key
 * schedule, the frames) cold, 115-250 µs per 64 KiB message for its first thousand where it takes
 * 40-50 µs warm, and the cluster's tiny {@code map} stayed 30% slower, where through {@code Seal}
 * it is back to its speed before the seal ({@code
 * pool4j-benchmarks/results/jdk25/seal-warm-up-2026-12-07}). The JIT's timing varies from run to
 * run: these are what this machine gave, not bounds.
 *
 * <p>Once per JVM: {@link #JVM} counts the rounds run by every pool and member of the JVM together,
 * and a warm-up that finds them done starts no thread. A pool's warm-up is its own thread ({@code
 * pool4j-hazelcast-warm-up}), stopped and joined when the pool's backend closes; the rounds it did
 * not run are left to the next pool's. A {@code Worker}'s is {@code pool4j-worker-warm-up}.
 */
final class CipherWarmUp {

  /** Rounds of seal and open per JVM. */
  static final int ROUNDS = 16_000;

  /**
   * Plain bytes per round: at least the 512 bytes from which the JDK's AES-GCM takes the path that
   * large messages take.
   */
  static final int BYTES = 1024;

  /** This JVM's warm-up, shared by its pools and members. */
  static final CipherWarmUp JVM = new CipherWarmUp(ROUNDS);

  private final int rounds;
  private final AtomicInteger claimed = new AtomicInteger();

  CipherWarmUp(int rounds) {
    this.rounds = rounds;
  }

  /**
   * Starts what is left of this warm-up on a daemon thread of this name, or returns null when no
   * round is left. The caller stops it with {@link #stop} when it closes.
   */
  Thread start(String name) {
    if (claimed.get() >= rounds) {
      return null;
    }
    Thread thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
    return thread;
  }

  /** Runs rounds on this thread until none is left or the thread is interrupted. */
  void run() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Seal seal = new Seal(secret);
    byte[] id = Seal.newId();
    byte[] plain = new byte[BYTES];
    while (!Thread.currentThread().isInterrupted()) {
      int round = claimed.getAndIncrement();
      if (round >= rounds) {
        claimed.decrementAndGet(); // keep the count at most the rounds, however many threads
        return;
      }
      byte[] sealed = seal.seal(Seal.Direction.REQUEST, id, round, plain, 0);
      try {
        seal.open(Seal.Direction.REQUEST, id, round, sealed, 0, sealed.length);
      } catch (Seal.Refused e) {
        throw new IllegalStateException("a message sealed here did not open here", e);
      }
    }
  }

  /** Rounds run or running so far. */
  int done() {
    return Math.min(claimed.get(), rounds);
  }

  /** Interrupts a warm-up thread (null: none) and waits until it has ended. */
  static void stop(Thread thread) {
    if (thread == null) {
      return;
    }
    thread.interrupt();
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
