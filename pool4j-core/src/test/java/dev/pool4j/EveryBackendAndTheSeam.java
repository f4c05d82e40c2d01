package dev.pool4j;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a test once per backend of {@link PoolFactory#allAndTheSeam()}: every backend, and
 * platform threads behind the public backend seam ({@link SeamBackend}), so that a behaviour of
 * the scheduler is shown to hold for a plugged backend too. Tests of what only a built-in backend
 * can do (a task timeout, a worker recycled, {@code join()} refused inside the pool's own task,
 * which needs to know the threads that run tasks) stay on {@link EveryBackend}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.pool4j.PoolFactory#allAndTheSeam")
@interface EveryBackendAndTheSeam {}
