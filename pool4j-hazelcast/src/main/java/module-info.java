/**
 * pool4j on a Hazelcast cluster: {@link dev.pool4j.hazelcast.HazelcastBackend} runs a pool's
 * chunks on the members of a cluster; {@link dev.pool4j.hazelcast.Worker} starts a member that
 * does pool work.
 */
module dev.pool4j.hazelcast {
  requires transitive dev.pool4j;
  requires transitive com.hazelcast.core;
  requires java.logging;

  exports dev.pool4j.hazelcast;
}
