/**
 * The progress-bar machinery behind {@link dev.pool4j.progress.Progress} and the pool's own bars:
 * {@link dev.pool4j.internal.progress.ProgressBar} (a counter workers bump), {@link
 * dev.pool4j.internal.progress.Renderer} (one daemon thread drawing every live bar of an output)
 * and {@link dev.pool4j.internal.progress.Meter} (tqdm's {@code format_meter}, exactly). Not
 * exported: nothing here is API.
 */
package dev.pool4j.internal.progress;
