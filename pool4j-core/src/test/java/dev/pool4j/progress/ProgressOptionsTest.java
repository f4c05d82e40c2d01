package dev.pool4j.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Options are immutable values with tqdm's defaults. */
class ProgressOptionsTest {

  @Test
  void defaultsAreTqdms() {
    ProgressOptions d = ProgressOptions.defaults();
    assertThat(d.desc()).isEmpty();
    assertThat(d.unit()).isEqualTo("it");
    assertThat(d.unitScale()).isFalse();
    assertThat(d.ascii()).isEmpty();
    assertThat(d.total()).isEmpty();
  }

  @Test
  void eachSettingReturnsANewValueAndLeavesTheOldOneAlone() {
    ProgressOptions d = ProgressOptions.defaults();
    ProgressOptions o = d.desc("x").unit("B").unitScale(true).ascii(true).total(5);
    assertThat(o.desc()).isEqualTo("x");
    assertThat(o.unit()).isEqualTo("B");
    assertThat(o.unitScale()).isTrue();
    assertThat(o.ascii()).isEqualTo(Optional.of(true));
    assertThat(o.total()).isEqualTo(OptionalLong.of(5));
    assertThat(d).isEqualTo(ProgressOptions.defaults());
    assertThat(o)
        .isNotEqualTo(d)
        .hasSameHashCodeAs(d.desc("x").unit("B").unitScale(true).ascii(true).total(5));
  }

  @Test
  void aNegativeTotalMeansNoTotal() {
    assertThat(ProgressOptions.defaults().total(-7).total()).isEqualTo(OptionalLong.of(-1));
  }

  @Test
  void nullTextIsRejectedByName() {
    assertThatThrownBy(() -> ProgressOptions.defaults().desc(null)).hasMessage("desc");
    assertThatThrownBy(() -> ProgressOptions.defaults().unit(null)).hasMessage("unit");
  }
}
