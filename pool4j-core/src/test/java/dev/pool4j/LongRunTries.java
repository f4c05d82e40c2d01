package dev.pool4j;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Runs a jqwik property with a quarter of the tries its {@code @Property(tries = n)} names, except
 * in the {@link LongRun long run}, which runs all {@code n}. Added to a class with
 * {@code @AddLifecycleHook(LongRunTries.class)}; the class is tagged {@value LongRun#SCALED} too.
 */
public final class LongRunTries implements AroundPropertyHook {

  /** The share of the tries the default run makes. */
  static final int DIVISOR = 4;

  /** Added to a class, the hook reaches the class's properties. */
  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public PropertyExecutionResult aroundProperty(
      PropertyLifecycleContext context, PropertyExecutor property) {
    context
        .attributes()
        .tries()
        .ifPresent(n -> context.attributes().setTries(LongRun.size(Math.max(1, n / DIVISOR), n)));
    return property.execute();
  }
}
