package dev.pool4j.benchmarks;

import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where {@link ProgressBenchmark}'s bars draw: an output that keeps nothing but counts what it is
 * given, so that a trial can prove its bar really drew (and JMH's console stays readable).
 */
final class CountingSink extends OutputStream implements Appendable {

  private final LongAdder chars = new LongAdder();
  private final LongAdder writes = new LongAdder();

  /** Characters (or bytes) written so far. */
  long chars() {
    return chars.sum();
  }

  /** Calls that wrote something: for a renderer, about one per frame. */
  long writes() {
    return writes.sum();
  }

  @Override
  public Appendable append(CharSequence csq) {
    count(csq == null ? 4 : csq.length());
    return this;
  }

  @Override
  public Appendable append(CharSequence csq, int start, int end) {
    return append((csq == null ? "null" : csq).subSequence(start, end));
  }

  @Override
  public Appendable append(char c) {
    count(1);
    return this;
  }

  @Override
  public void write(int b) {
    count(1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    count(len);
  }

  private void count(int n) {
    chars.add(n);
    writes.increment();
  }
}
