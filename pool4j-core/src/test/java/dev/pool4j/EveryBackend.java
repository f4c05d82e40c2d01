package dev.pool4j;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a test once per built-in backend ({@link PoolFactory#all()}: platform threads, virtual
 * threads, worker processes); the test takes the {@link PoolFactory} as its parameter. For settings
 * only the built-in backends take ({@code taskTimeout}, {@code maxTasksPerWorker}): a plugged
 * backend such as the cluster refuses them at {@code build()}, which {@code ValidationTest} checks.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.pool4j.PoolFactory#all")
@Tag("every-built-in-backend")
@interface EveryBackend {}
