/**
 * Execution memory: the bytes an executor's running tasks may hold in sort buffers and
 * aggregation tables. {@link io.dflow.executor.memory.ExecutionMemory} is the executor's pool,
 * shared fairly among the tasks holding memory; {@link io.dflow.executor.memory.TaskMemory} is
 * one task's account, which asks the task's other
 * {@link io.dflow.executor.memory.MemoryConsumer}s to spill (largest first) before telling the
 * one asking to spill itself.
 *
 * <p>Threading: the pool is thread-safe and {@code acquire} may block until another task
 * releases memory; a task's account and its consumers belong to that task's thread.
 */
package io.dflow.executor.memory;
