/**
 * The executor: {@link io.dflow.executor.Executor} runs tasks in a fixed number of slots and
 * keeps the shuffle outputs and cached partitions they write; {@link io.dflow.executor.ExecutorMain}
 * is the main class of an executor JVM, connected to its driver; job jars are fetched once per
 * executor by content hash and loaded child-first.
 *
 * <p>Threading: messages from the driver may arrive on any thread and are handled without
 * blocking; each task runs on its slot thread; status updates leave in batches from one sender
 * thread. Depends on the planner's plan types, arrow-io, hdfs and the transport, never on the
 * driver.
 */
package io.dflow.executor;
