/**
 * What the driver and executors say to each other: the control messages (records of one sealed
 * interface), the ids they carry ({@code ExecutorId}, {@code StageId}, {@code TaskAttempt}, ...)
 * and how a task ended ({@code TaskEndReason}). Serialised with
 * {@link io.dflow.executor.serde.JavaSerde} and sent as opaque control frames of the transport
 * in {@code io.dflow.executor.net}; {@link io.dflow.executor.protocol.ControlEndpoint} is the one
 * place both ends decode and dispatch them.
 *
 * <p>Threading: messages are immutable; the endpoint runs on the transport's event loop.
 */
package io.dflow.executor.protocol;
