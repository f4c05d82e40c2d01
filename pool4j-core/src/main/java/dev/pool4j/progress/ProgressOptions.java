package dev.pool4j.progress;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a progress bar looks: description, unit, SI scaling, ASCII or Unicode, and the total when the
 * input cannot tell it. The keyword arguments of {@code tqdm(...)}, as an immutable value.
 *
 * <p>Start from {@link #defaults()} and change what you need; each method returns a new options
 * object and leaves the receiver as it was, so one options object can be shared freely between
 * threads and calls.
 *
 * <pre>{@code
 * ProgressOptions download = ProgressOptions.defaults()
 *     .desc("Downloading")   // tqdm(desc="Downloading")
 *     .unit("B")             // tqdm(unit="B")
 *     .unitScale(true);      // tqdm(unit_scale=True): 1.21MB/s instead of 1210000.00B/s
 *
 * for (Chunk chunk : Progress.wrap(chunks, download)) {
 *   write(chunk);
 * }
 * // Downloading: 100%|██████████| 4.19M/4.19M [00:03<00:00, 1.21MB/s]
 * }</pre>
 *
 * <p>Two options objects are {@link #equals equal} when every setting is.
 */
public final class ProgressOptions {

  private static final ProgressOptions DEFAULTS =
      new ProgressOptions("", "it", false, null, Long.MIN_VALUE);

  private final String desc;
  private final String unit;
  private final boolean unitScale;
  private final Boolean ascii; // null: decided by what the output can show
  private final long total; // Long.MIN_VALUE: taken from the input; negative: unknown

  private ProgressOptions(String desc, String unit, boolean unitScale, Boolean ascii, long total) {
    this.desc = desc;
    this.unit = unit;
    this.unitScale = unitScale;
    this.ascii = ascii;
    this.total = total;
  }

  /**
   * tqdm's defaults: no description, unit {@code "it"}, no SI scaling, Unicode blocks where the
   * output can show them, and the total taken from the input.
   *
   * @return the default options
   */
  public static ProgressOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Sets the text in front of the bar, like tqdm's {@code desc}; {@code ": "} is added after it.
   *
   * @param desc the description; empty for none
   * @return options with this description
   * @throws NullPointerException if {@code desc} is null
   */
  public ProgressOptions desc(String desc) {
    return new ProgressOptions(requireNonNull(desc, "desc"), unit, unitScale, ascii, total);
  }

  /**
   * Sets what is counted, like tqdm's {@code unit}: {@code 12.00img/s} with {@code "img"}.
   *
   * @param unit the unit's name; {@code "it"} by default
   * @return options with this unit
   * @throws NullPointerException if {@code unit} is null
   */
  public ProgressOptions unit(String unit) {
    return new ProgressOptions(desc, requireNonNull(unit, "unit"), unitScale, ascii, total);
  }

  /**
   * Shows counts and rates with SI prefixes, like tqdm's {@code unit_scale=True}: {@code 1.23M}
   * instead of {@code 1234567}.
   *
   * @param unitScale whether to scale
   * @return options with this setting
   */
  public ProgressOptions unitScale(boolean unitScale) {
    return new ProgressOptions(desc, unit, unitScale, ascii, total);
  }

  /**
   * Draws the bar with {@code #} and digits ({@code true}) or Unicode eighth blocks ({@code
   * false}), like tqdm's {@code ascii}. Unset, the bar uses blocks when standard error's charset
   * can encode them.
   *
   * @param ascii whether to draw an ASCII bar
   * @return options with this setting
   */
  public ProgressOptions ascii(boolean ascii) {
    return new ProgressOptions(desc, unit, unitScale, ascii, total);
  }

  /**
   * Sets the number of items expected, like tqdm's {@code total}, in place of what the input tells
   * ({@link java.util.Collection#size()}, a sized {@link java.util.stream.Stream}).
   *
   * @param total the number of items; negative to show no total (and no bar) at all
   * @return options with this total
   */
  public ProgressOptions total(long total) {
    return new ProgressOptions(desc, unit, unitScale, ascii, total < 0 ? -1 : total);
  }

  /**
   * The description; empty when there is none.
   *
   * @return the description
   */
  public String desc() {
    return desc;
  }

  /**
   * What is counted.
   *
   * @return the unit, {@code "it"} by default
   */
  public String unit() {
    return unit;
  }

  /**
   * Whether counts and rates get SI prefixes.
   *
   * @return the setting, {@code false} by default
   */
  public boolean unitScale() {
    return unitScale;
  }

  /**
   * Whether the bar is ASCII, if set.
   *
   * @return empty when the output's charset decides (the default)
   */
  public Optional<Boolean> ascii() {
    return Optional.ofNullable(ascii);
  }

  /**
   * The total, if set.
   *
   * @return empty when the input decides (the default); {@code -1} when set to show none
   */
  public OptionalLong total() {
    return total == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(total);
  }

  /** The total to draw for an input whose own size is {@code inputSize} (negative: unknown). */
  long totalFor(long inputSize) {
    return total == Long.MIN_VALUE ? inputSize : total;
  }

  /** The ascii setting as the renderer takes it: null when the output decides. */
  Boolean asciiOrNull() {
    return ascii;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ProgressOptions)) {
      return false;
    }
    ProgressOptions that = (ProgressOptions) o;
    return unitScale == that.unitScale
        && total == that.total
        && desc.equals(that.desc)
        && unit.equals(that.unit)
        && Objects.equals(ascii, that.ascii);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desc, unit, unitScale, ascii, total);
  }

  @Override
  public String toString() {
    return "ProgressOptions[desc="
        + desc
        + ", unit="
        + unit
        + ", unitScale="
        + unitScale
        + ", ascii="
        + (ascii == null ? "auto" : ascii)
        + ", total="
        + (total == Long.MIN_VALUE ? "from input" : total < 0 ? "none" : Long.toString(total))
        + "]";
  }
}
