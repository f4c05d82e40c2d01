/**
 * pool4j on a Hazelcast cluster: {@link dev.pool4j.hazelcast.HazelcastBackend} runs a pool's chunks
 * on the members of a cluster; {@link dev.pool4j.hazelcast.Worker} starts a member that does pool
 * work.
 */
// Hazelcast's jar is an automatic module; its types (Config, ClientConfig) are in this API
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.pool4j.hazelcast {
  requires transitive dev.pool4j;
  requires transitive com.hazelcast.core;
  requires java.logging;
  // @GuardedBy, checked by Error Prone at compile time: CLASS retention, never loaded at run time
  requires static com.google.errorprone.annotations;

  exports dev.pool4j.hazelcast;
}
