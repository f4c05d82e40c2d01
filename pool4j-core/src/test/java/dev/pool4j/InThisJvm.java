package dev.pool4j;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a test once per backend of {@link PoolFactory#inThisJvm()}: platform and virtual threads,
 * where a task shares the caller's memory. Only for behaviours that exist there alone (a task that
 * calls its own pool, a task's thread seen by the test); each such test says why in its Javadoc.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.pool4j.PoolFactory#inThisJvm")
@Tag("in-this-jvm")
@interface InThisJvm {}
