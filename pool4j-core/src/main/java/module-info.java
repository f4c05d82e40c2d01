/**
 * pool4j: Python's {@code multiprocessing.Pool} and {@code tqdm} for Java.
 *
 * <p>The API is {@link dev.pool4j.Pool} and the types beside it, and the progress bars of {@code
 * dev.pool4j.progress}; everything under {@code dev.pool4j.internal} is private to the library
 * and not exported.
 */
module dev.pool4j {
  exports dev.pool4j;
  exports dev.pool4j.progress;
}
