package dev.pool4j.internal.scheduler;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.stream.Stream;

/**
 * A call's input: an iterator read lazily, its size when known, and what to close when the call
 * ends.
 *
 * <p>Only the one worker holding the call's read token touches the iterator, so iterators need not
 * be thread safe. {@link #close()} runs once, when the call stops reading.
 */
public final class Input {

  private final Iterator<?> iterator;
  private final long size;
  private final AutoCloseable onClose;

  /** What {@link #poll} returns when the input has ended. */
  static final Object END = new Object();

  /** What {@link #poll} returns when the next element is not there yet. */
  static final Object NOT_READY = new Object();

  /** Another call whose results this input is, or null. */
  private final Call upstream;

  /**
   * A random-access list given as the input, read a chunk at a time by index ({@link #readList}),
   * or null: then the iterator is read.
   */
  private List<?> list;

  /** The index in {@link #list} of the next element to read; the read token's holder's. */
  private int listIndex;

  private Input(Iterator<?> iterator, long size, AutoCloseable onClose) {
    this(iterator, size, onClose, null);
  }

  private Input(Iterator<?> iterator, long size, AutoCloseable onClose, Call upstream) {
    this.iterator = iterator;
    this.size = size;
    this.onClose = onClose;
    this.upstream = upstream;
  }

  /**
   * The next element, {@link #END}, or, for the results of another call that are not ready yet,
   * {@link #NOT_READY}: then {@code whenReady} runs once they are. Only the read token's holder
   * calls this. An ordinary iterator may block here.
   */
  Object poll(Runnable whenReady) {
    if (upstream != null) {
      return upstream.poll(whenReady);
    }
    return iterator.hasNext() ? iterator.next() : END;
  }

  /**
   * The iterator to read directly, in a loop of {@code hasNext}/{@code next} with no {@link #END}
   * or {@link #NOT_READY} to test for; null when the input must be {@link #poll}ed (the results of
   * another call).
   */
  Iterator<?> direct() {
    return upstream == null ? iterator : null;
  }

  /** An {@code Iterable}; its size is known when it is a {@link Collection}. */
  public static Input of(Iterable<?> inputs, String name) {
    Objects.requireNonNull(inputs, name);
    long size = inputs instanceof Collection ? ((Collection<?>) inputs).size() : -1;
    Input input =
        new Input(Objects.requireNonNull(inputs.iterator(), name + ".iterator()"), size, null);
    if (inputs instanceof List && inputs instanceof RandomAccess) {
      input.list = (List<?>) inputs;
    }
    return input;
  }

  /**
   * Whether the input is a random-access list, read with {@link #readList} instead of its iterator.
   */
  boolean isList() {
    return list != null;
  }

  /**
   * The list's next (at most) {@code max} elements, copied in one go ({@code subList(from,
   * to).toArray()}: an array copy for an {@code ArrayList}, where an iterator costs a call and a
   * check per element); empty at the end. Only the read token's holder calls this. Like its
   * iterator, the list must not change while a call reads it.
   */
  Object[] readList(int max) {
    int from = listIndex;
    int to = (int) Math.min(list.size(), (long) from + Math.max(0, max));
    if (to <= from) {
      return new Object[0];
    }
    Object[] part = list.subList(from, to).toArray();
    listIndex = from + part.length;
    return part;
  }

  /**
   * Whether reading this input never blocks: a random-access list (read by index), or another
   * call's results (polled). An iterator or a stream may block in {@code hasNext()}.
   */
  boolean neverBlocks() {
    return list != null || upstream != null;
  }

  /** Whether a list input has been read to its end. */
  boolean listEnded() {
    return listIndex >= list.size();
  }

  /** An iterator, read from where it stands; size unknown. */
  public static Input of(Iterator<?> inputs, String name) {
    Objects.requireNonNull(inputs, name);
    if (inputs instanceof ResultsView) {
      // another call's results: polled, so that no worker ever blocks waiting for them
      return new Input(inputs, -1, null, ((ResultsView<?>) inputs).call());
    }
    return new Input(inputs, -1, null);
  }

  /** A stream, consumed lazily and closed when the call stops reading it. */
  public static Input of(Stream<?> inputs, String name) {
    Objects.requireNonNull(inputs, name);
    return new Input(inputs.iterator(), -1, inputs);
  }

  /** A single element. */
  public static Input single(Object input) {
    return new Input(java.util.Collections.singletonList(input).iterator(), 1, null);
  }

  /**
   * Two inputs zipped into {@code Object[]{first, second}} pairs. Unequal sizes are refused here
   * when both are known, else they fail the call at the first position one of them lacks, with an
   * {@link UnequalInputsException}.
   */
  public static Input zip(Input firsts, Input seconds) {
    if (firsts.size >= 0 && seconds.size >= 0 && firsts.size != seconds.size) {
      throw new IllegalArgumentException(
          "firsts and seconds must have the same length, were "
              + firsts.size
              + " and "
              + seconds.size
              + ": trim the longer one, or pad the shorter");
    }
    Iterator<Object[]> zipped =
        new Iterator<>() {
          private long position;

          @Override
          public boolean hasNext() {
            boolean a = firsts.iterator.hasNext();
            boolean b = seconds.iterator.hasNext();
            if (a != b) {
              throw new UnequalInputsException(
                  "firsts and seconds must have the same length, but "
                      + (a ? "seconds" : "firsts")
                      + " ended after "
                      + position
                      + " elements while the other went on: trim the longer one, or pad the"
                      + " shorter");
            }
            return a;
          }

          @Override
          public Object[] next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            position++;
            return new Object[] {firsts.iterator.next(), seconds.iterator.next()};
          }
        };
    AutoCloseable both =
        () -> {
          try {
            firsts.close();
          } finally {
            seconds.close();
          }
        };
    return new Input(zipped, firsts.size >= 0 ? firsts.size : seconds.size, both);
  }

  /** The number of elements, or -1 when unknown. */
  public long size() {
    return size;
  }

  void close() {
    if (onClose != null) {
      try {
        onClose.close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        // closing the caller's stream is a courtesy; its failure must not fail a finished call
      }
    }
  }

  /** Thrown by a zipped input whose two sides have unequal lengths. */
  public static final class UnequalInputsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnequalInputsException(String message) {
      super(message);
    }
  }
}
