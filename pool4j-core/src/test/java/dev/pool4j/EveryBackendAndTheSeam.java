package dev.pool4j;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract: runs a test once per backend of {@link PoolFactory#allAndTheSeam()}: platform
 * threads, virtual threads, worker processes, a loopback cluster of two member JVMs (when run from
 * module {@code pool4j-hazelcast}), and platform threads behind the public backend seam ({@link
 * SeamBackend}), so that a behaviour of the scheduler is shown to hold for a plugged backend too.
 * Tests of settings only a built-in backend takes (a task timeout, a worker recycled) are on {@link
 * EveryBackend}; tests of what exists only where tasks share the caller's memory are on {@link
 * InThisJvm}. Tagged {@code contract}: the cluster module runs exactly these.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.pool4j.PoolFactory#allAndTheSeam")
@Tag("contract")
@interface EveryBackendAndTheSeam {}
