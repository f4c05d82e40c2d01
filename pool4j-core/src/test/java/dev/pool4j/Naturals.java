package dev.pool4j;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An endless input 0, 1, 2, ... that counts how many elements were read from it: how far ahead of
 * its consumer a call has read. Read by one worker at a time, as every input is; the counter is
 * atomic so that the test thread sees it.
 */
final class Naturals implements Iterator<Integer> {

  private final AtomicLong read = new AtomicLong();

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public Integer next() {
    return (int) read.getAndIncrement();
  }

  /** How many elements were read so far. */
  long read() {
    return read.get();
  }
}
