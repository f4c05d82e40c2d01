package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The backend's settings: defaults, validation at the door, each set once. Starts nothing. */
class BackendSettingsTest {

  @Test
  void theDefaultClusterIsPool4jForEveryWayIn() {
    assertThat(HazelcastBackend.embedded())
        .hasToString("Hazelcast embedded member of cluster pool4j");
    assertThat(HazelcastBackend.client()).hasToString("Hazelcast client of cluster pool4j");
    assertThat(HazelcastBackend.client().clusterName("render"))
        .hasToString("Hazelcast client of cluster render");
    assertThat(HazelcastBackend.client(new ClientConfig().setClusterName("given")))
        .hasToString("Hazelcast client of cluster given");
    assertThat(HazelcastBackend.embedded(new Config().setClusterName("mine")))
        .hasToString("Hazelcast embedded member of cluster mine");
  }

  @Test
  void wrongValuesAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> HazelcastBackend.embedded().port(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be 1..65535, was 0");
    assertThatThrownBy(() -> HazelcastBackend.embedded().localWorkers(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("localWorkers must be >= 0, was -1");
    assertThatThrownBy(() -> HazelcastBackend.embedded().members())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> HazelcastBackend.client().memberTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memberTimeout");
    assertThatThrownBy(() -> HazelcastBackend.client().connectTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "connectTimeout must be positive, was PT-1S: how long build() waits for the cluster");
    assertThatThrownBy(() -> HazelcastBackend.embedded().connectTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("connectTimeout");
    assertThatThrownBy(() -> HazelcastBackend.embedded().clusterName(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clusterName");
  }

  @Test
  void settingsOfAnEmbeddedMemberAreRefusedForAClient() {
    assertThatThrownBy(() -> HazelcastBackend.client().bindAddress("127.0.0.1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bindAddress");
    assertThatThrownBy(() -> HazelcastBackend.client().port(5701))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(() -> HazelcastBackend.client().localWorkers(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("localWorkers");
  }

  @Test
  void aSettingMayBeGivenOnce() {
    assertThatThrownBy(() -> HazelcastBackend.embedded().clusterName("a").clusterName("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("clusterName was already set to a");
    assertThatThrownBy(() -> HazelcastBackend.embedded().localWorkers(1).localWorkers(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("localWorkers was already set to 1");
    assertThatThrownBy(
            () ->
                HazelcastBackend.client()
                    .memberTimeout(Duration.ofSeconds(1))
                    .memberTimeout(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("memberTimeout was already set to PT1S");
    assertThatThrownBy(
            () ->
                HazelcastBackend.client()
                    .connectTimeout(Duration.ofSeconds(3))
                    .connectTimeout(Duration.ofSeconds(4)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("connectTimeout was already set to PT3S");
  }
}
