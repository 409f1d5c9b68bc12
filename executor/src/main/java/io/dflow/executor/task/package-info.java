/**
 * Running one task: {@link io.dflow.executor.task.TaskRunner} reads its stage's sinks and its
 * partition's inputs, computes the partition of each sink's operator tree
 * ({@code OpEvaluator}, pulling records through fused iterator chains) and hands the records to
 * the sink's output ({@code TaskOutputs}: a shuffle file, or the action), then says how it ended
 * as a {@code TaskEndReason}.
 *
 * <p>Threading: a {@code TaskContext} and everything made from it belong to the task's slot
 * thread; the {@link io.dflow.executor.task.TaskEnvironment} is shared by all slots.
 */
package io.dflow.executor.task;
