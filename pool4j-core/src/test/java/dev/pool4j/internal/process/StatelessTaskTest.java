package dev.pool4j.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pool4j.Task;
import org.junit.jupiter.api.Test;

/**
 * Which tasks a process pool sends to a worker once for all calls: lambdas and method references
 * that capture nothing (see {@code dev.pool4j.process.TaskReuseTest} for what the calls see).
 */
class StatelessTaskTest {

  private static final class Named implements Task<Integer, Integer> {
    @Override
    public Integer apply(Integer x) {
      return x;
    }
  }

  static int twice(int x) {
    return 2 * x;
  }

  private int offset = 1;

  private int plusOffset(int x) {
    return x + offset;
  }

  @Test
  void onlyLambdasAndMethodReferencesThatCaptureNothingAreReused() {
    int captured = 3;
    assertThat(ProcessBackend.capturesNothing((Integer x) -> x + 1)).isTrue();
    assertThat(ProcessBackend.capturesNothing((Task<Integer, Integer>) StatelessTaskTest::twice))
        .isTrue();
    assertThat(ProcessBackend.capturesNothing((Integer x) -> x + captured)).isFalse();
    assertThat(ProcessBackend.capturesNothing((Task<Integer, Integer>) this::plusOffset)).isFalse();
    assertThat(ProcessBackend.capturesNothing(new Named())).isFalse();
  }
}
