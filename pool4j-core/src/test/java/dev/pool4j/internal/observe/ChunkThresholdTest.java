package dev.pool4j.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;

/**
 * Which chunks the flight recorder times: those expected to reach an eighth of the lowest {@code
 * dev.pool4j.Chunk} threshold among the running recordings that take the event, and every chunk of
 * unknown length.
 */
class ChunkThresholdTest {

  @Test
  void timespansAreReadAsJfrWritesThem() {
    assertThat(ChunkThreshold.parseNanos("100 us")).isEqualTo(100_000);
    assertThat(ChunkThreshold.parseNanos("0ms")).isZero();
    assertThat(ChunkThreshold.parseNanos("0 ns")).isZero();
    assertThat(ChunkThreshold.parseNanos("20 ms")).isEqualTo(20_000_000);
    assertThat(ChunkThreshold.parseNanos("1 s")).isEqualTo(1_000_000_000);
    assertThat(ChunkThreshold.parseNanos("infinity")).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> ChunkThreshold.parseNanos("soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("soon");
    assertThat(ChunkThreshold.DEFAULT_NANOS).isEqualTo(100_000);
  }

  @Test
  void theLowestThresholdOfTheRunningRecordingsThatTakeChunksSetsTheFloor() throws Exception {
    long defaultFloor = ChunkThreshold.DEFAULT_NANOS / ChunkThreshold.FRACTION;
    try (Recording defaults = new Recording(Configuration.getConfiguration("default"))) {
      defaults.start();
      assertThat(ChunkThreshold.worthTiming(-1)).as("a chunk of unknown length").isTrue();
      assertThat(ChunkThreshold.floorNanos()).isEqualTo(defaultFloor);
      assertThat(ChunkThreshold.worthTiming(defaultFloor - 1)).isFalse();
      assertThat(ChunkThreshold.worthTiming(defaultFloor)).isTrue();

      try (Recording off = new Recording()) {
        off.enable("dev.pool4j.Chunk").withThreshold(Duration.ZERO);
        off.disable("dev.pool4j.Chunk");
        off.start();
        assertThat(ChunkThreshold.floorNanos())
            .as("a recording that does not take the event")
            .isEqualTo(defaultFloor);
      }

      try (Recording every = new Recording()) {
        every.enable("dev.pool4j.Chunk").withThreshold(Duration.ZERO);
        every.start(); // the listener computes the floor again
        assertThat(ChunkThreshold.floorNanos()).isZero();
        assertThat(ChunkThreshold.worthTiming(0)).isTrue();
        every.stop();
      }
      assertThat(ChunkThreshold.floorNanos()).isEqualTo(defaultFloor);

      try (Recording slow = new Recording()) {
        slow.enable("dev.pool4j.Chunk").withThreshold(Duration.ofMillis(20));
        slow.start();
        assertThat(ChunkThreshold.floorNanos())
            .as("the lowest threshold wins")
            .isEqualTo(defaultFloor);
      }
    }
  }
}
