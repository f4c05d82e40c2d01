package dev.pool4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pool4j.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the cluster secret comes from, and what is refused. Starts no Hazelcast instance. */
class SecretTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  Path file(String content, String permissions) throws Exception {
    Path f = dir.resolve("secret-" + UUID.randomUUID());
    Files.writeString(f, content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(permissions));
    return f;
  }

  /** Whether two secrets give the same key: one seals, the other opens. */
  static boolean sameKey(ClusterSecret a, ClusterSecret b) {
    byte[] id = Seal.newId();
    byte[] sealed = a.seal().seal(Seal.Direction.REQUEST, id, 0, new byte[] {1, 2, 3}, 0);
    try {
      b.seal().open(Seal.Direction.REQUEST, id, 0, sealed, 0, sealed.length);
      return true;
    } catch (Seal.Refused e) {
      return false;
    }
  }

  @Test
  void theBuilderTheEnvironmentAndAFileGiveTheSameKeyForTheSameSecret() throws Exception {
    ClusterSecret fromString = ClusterSecret.of(SECRET, "test");
    ClusterSecret fromBytes = ClusterSecret.of(SECRET.getBytes(StandardCharsets.UTF_8), "test");
    ClusterSecret fromEnv =
        ClusterSecret.fromEnvironment(Map.of(ClusterSecret.ENV, SECRET + "\n")::get);
    ClusterSecret fromFile = ClusterSecret.fromFile(file(SECRET + "\n", "rw-------"), "secretFile");
    assertThat(sameKey(fromString, fromBytes)).isTrue();
    assertThat(sameKey(fromString, fromEnv)).isTrue();
    assertThat(sameKey(fromString, fromFile)).isTrue();
    assertThat(sameKey(fromString, ClusterSecret.of(SECRET + "!", "test"))).isFalse();
    assertThat(sameKey(fromString, ClusterSecret.random())).isFalse();
    assertThat(fromEnv.source).isEqualTo("the environment variable POOL4J_CLUSTER_SECRET");
    assertThat(ClusterSecret.fromEnvironment(Map.of(ClusterSecret.ENV, " ")::get)).isNull();
    assertThat(ClusterSecret.fromEnvironment(name -> null)).isNull();
    // the builder takes each
    HazelcastBackend.embedded().secret(SECRET);
    HazelcastBackend.client().secret(SECRET.getBytes(StandardCharsets.UTF_8));
    HazelcastBackend.client().secretFile(file(SECRET, "r--------"));
  }

  @Test
  void aFileOthersMayReadOrWriteIsRefusedSayingHowToFixIt() throws Exception {
    for (String permissions : Set.of("rw-r-----", "rw----r--", "rw--w----", "rw-rw-rw-")) {
      Path f = file(SECRET, permissions);
      assertThatThrownBy(() -> HazelcastBackend.embedded().secretFile(f))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("secretFile " + f)
          .hasMessageContaining("chmod 600 " + f);
    }
    assertThatThrownBy(() -> HazelcastBackend.embedded().secretFile(dir.resolve("none")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no such regular file");
    Path big = file("x".repeat(5000), "rw-------");
    assertThatThrownBy(() -> HazelcastBackend.embedded().secretFile(big))
        .hasMessageContaining("longer than 4096 bytes");
  }

  @Test
  void aShortSecretIsRefusedNamingWhereItCameFrom() throws Exception {
    assertThatThrownBy(() -> HazelcastBackend.embedded().secret("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HazelcastBackend.secret")
        .hasMessageContaining("at least 16");
    Path f = file("  short \n", "rw-------");
    assertThatThrownBy(() -> HazelcastBackend.embedded().secretFile(f))
        .hasMessageContaining("secretFile " + f)
        .hasMessageContaining("has 5 bytes");
    assertThatThrownBy(() -> ClusterSecret.fromEnvironment(Map.of(ClusterSecret.ENV, "short")::get))
        .hasMessageContaining("POOL4J_CLUSTER_SECRET");
    assertThatThrownBy(() -> HazelcastBackend.embedded().secret(SECRET).secret(SECRET))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the secret was already set, from HazelcastBackend.secret");
  }

  @Test
  void aClientWithNoSecretFailsAtBuildNamingTheSettings() {
    Set<Thread> before = EmbeddedTest.liveThreads();
    HazelcastBackend backend =
        HazelcastBackend.client()
            .clusterName("pool4j-test-" + UUID.randomUUID())
            .members("127.0.0.1:" + TestCluster.freePort());
    backend.environment = name -> null;
    assertThatThrownBy(() -> Pool.builder().backend(backend).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no cluster secret for the client of cluster pool4j-test-")
        .hasMessageContaining("HazelcastBackend.secret(...)")
        .hasMessageContaining("secretFile(...)")
        .hasMessageContaining("POOL4J_CLUSTER_SECRET");
    assertThat(backend.instance()).isNull();
    TestCluster.await().untilAsserted(() -> assertThat(EmbeddedTest.newThreads(before)).isEmpty());
  }
}
