/**
 * The control messages between driver and executors, as records of one sealed interface.
 * Serialised with {@link io.dflow.executor.serde.JavaSerde} and sent as opaque control frames
 * of the transport in {@code io.dflow.executor.net}.
 */
package io.dflow.executor.protocol;
