/**
 * For those who write a backend: {@link dev.pool4j.spi.PoolBackend} runs the chunks a pool hands
 * it, each a {@link dev.pool4j.spi.ChunkJob} that it reports exactly once. A user of the library
 * needs none of this; plug a backend in with {@link
 * dev.pool4j.Pool.Builder#backend(dev.pool4j.spi.PoolBackend)}. The Hazelcast module's {@code
 * HazelcastBackend} is one.
 */
package dev.pool4j.spi;
