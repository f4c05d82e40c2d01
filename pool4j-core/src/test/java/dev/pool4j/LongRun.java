package dev.pool4j;

/**
 * The suite's two sizes. {@code mvn -B verify}, the README's test command that a developer runs
 * often, runs the stress, chaos and property tests small; CI's long run, {@code mvn -B verify
 * -Plong} after it in {@code .ci/run}, runs the tests tagged {@value #SCALED} again at their full
 * size ({@code -Dpool4j.long=true}), and the tests tagged {@value #ONLY}, which the default run
 * leaves out. The small size checks the same assertions on fewer iterations: it finds a broken pool
 * at once and a rare race less often; the full size is what CI holds the code to.
 */
public final class LongRun {

  /** Tag of a test that only the long run runs (the comparison harness's smoke run). */
  public static final String ONLY = "long";

  /**
   * Tag of a test that runs small by default and at its {@link #size full size} in the long run.
   */
  public static final String SCALED = "scaled";

  /** Whether this is the long run: system property {@code pool4j.long=true}. */
  public static final boolean FULL = Boolean.getBoolean("pool4j.long");

  private LongRun() {}

  /**
   * {@code full} in the long run, else {@code quick}. The test's class must be tagged {@value
   * #SCALED}, so that the long run runs it.
   */
  public static int size(int quick, int full) {
    if (quick < 1 || quick > full) {
      throw new IllegalArgumentException(
          "quick must be in [1, full], was " + quick + " with full " + full);
    }
    return FULL ? full : quick;
  }
}
