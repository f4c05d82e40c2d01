/**
 * pool4j: Python's {@code multiprocessing.Pool} and {@code tqdm} for Java.
 *
 * <p>The API is {@link dev.pool4j.Pool} and the types beside it, and the progress bars of {@code
 * dev.pool4j.progress}; {@code dev.pool4j.spi} is for those who write a backend. Everything under
 * {@code dev.pool4j.internal} is private to the library and not exported.
 */
module dev.pool4j {
  // the JDK Flight Recorder events (dev.pool4j.internal.observe): static, so that a run-time
  // image made without jdk.jfr still runs the library, with the events off
  requires static jdk.jfr;
  // @GuardedBy, checked by Error Prone at compile time: CLASS retention, never loaded at run time
  requires static com.google.errorprone.annotations;

  exports dev.pool4j;
  exports dev.pool4j.progress;
  // for backend authors: PoolBackend and ChunkJob (the Hazelcast backend is one)
  exports dev.pool4j.spi;
}
