/**
 * The wire codec: how chunks, results, failures and values become bytes and back, bounded and
 * filtered on the way in. {@link dev.pool4j.internal.wire.Protocol} frames and the messages of a
 * worker process's connection, {@link dev.pool4j.internal.wire.Values} the compact encodings of
 * common values, {@link dev.pool4j.internal.wire.Messages} the chunk and result messages a plugged
 * backend sends (the cluster's). It knows how to write and read, not who sends: worker processes
 * ({@code internal.process}), the plugged seam and the Hazelcast backend use it.
 */
package dev.pool4j.internal.wire;
