package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/** {@link LongRunTries} runs a quarter of a property's tries by default, all in the long run. */
@AddLifecycleHook(LongRunTries.class)
@Tag(LongRun.SCALED)
class LongRunTriesTest {

  private static final AtomicInteger TRIED = new AtomicInteger();

  @BeforeProperty
  void reset() {
    TRIED.set(0);
  }

  @Property(tries = 40)
  void counted(@ForAll long any) {
    TRIED.incrementAndGet();
  }

  @AfterProperty
  void madeAQuarterOfItsTriesOrAllOfThemInTheLongRun() {
    assertThat(TRIED).hasValue(LongRun.FULL ? 40 : 40 / LongRunTries.DIVISOR);
  }
}
