/**
 * Where executors come from: {@code local[N]} (one executor in the driver's JVM) and
 * {@code local-cluster[E,N]} (executor JVMs on this machine over authenticated loopback
 * connections); YARN containers are {@code io.dflow.driver.yarn}'s. Backends whose executors
 * register over the network keep them in {@link io.dflow.driver.backend.RegisteredExecutors}.
 * A backend starts executors, hands the scheduler an
 * {@link io.dflow.driver.backend.ExecutorHandle} for each, and reports through a
 * {@link io.dflow.driver.backend.DriverEndpoint} what executors send and when one is lost.
 *
 * <p>Threading: handles are used on the scheduler's event loop and must not block; endpoint calls
 * come from network threads and only post events. Depends on the executor's protocol and
 * transport, never on the scheduler's internals.
 */
package io.dflow.driver.backend;
