/**
 * Progress bars: Python's {@code tqdm} for Java, with no dependency beyond the JDK.
 *
 * <p>{@link dev.pool4j.progress.Progress#wrap(Iterable) Progress.wrap} puts a bar on anything you
 * iterate (an {@link java.lang.Iterable}, an {@link java.util.Iterator} or a {@link
 * java.util.stream.Stream}); {@link dev.pool4j.progress.ProgressOptions} sets its description, unit
 * and total; {@link dev.pool4j.progress.Progress#formatMeter Progress.formatMeter} returns the very
 * line {@code tqdm.format_meter} returns, for building your own display.
 *
 * <pre>{@code
 * for (Path file : Progress.wrap(files, ProgressOptions.defaults().desc("Resizing").unit("img"))) {
 *   resize(file);
 * }
 * // Resizing:  42%|████▏     | 42/100 [00:05<00:07,  8.21img/s]
 * }</pre>
 *
 * <p>Bars draw on standard error: redrawn in place on a terminal at most ten times a second, or as
 * a plain line every few seconds in a log. The environment variable {@code POOL4J_PROGRESS=0} (or
 * tqdm's {@code TQDM_DISABLE=1}) switches every bar off.
 */
package dev.pool4j.progress;
