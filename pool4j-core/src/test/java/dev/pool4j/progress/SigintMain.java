package dev.pool4j.progress;

import dev.pool4j.internal.progress.Renderer;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * A program for {@link ExitTest}: two bars drawn live as on a terminal (on its stderr), then it
 * waits to be interrupted (Ctrl-C, SIGINT).
 */
public final class SigintMain {
  public static void main(String[] args) throws InterruptedException {
    Renderer terminal =
        Renderer.builder().output(System.err).terminal(true).columns(80).env(name -> null).build();
    Iterator<Integer> first =
        Progress.wrap(
            Stream.iterate(0, i -> i + 1).iterator(),
            ProgressOptions.defaults().desc("a"),
            terminal);
    Iterator<Integer> second =
        Progress.wrap(
            Stream.iterate(0, i -> i + 1).iterator(),
            ProgressOptions.defaults().desc("b"),
            terminal);
    for (int i = 0; i < 7; i++) {
      first.next();
      second.next();
    }
    first.next();
    terminal.tick();
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
    // Keeps the iterators reachable, so that only the interrupt can end their bars.
    System.out.println(first.hasNext() && second.hasNext());
  }
}
