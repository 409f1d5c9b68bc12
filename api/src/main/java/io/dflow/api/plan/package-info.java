/**
 * The logical plan the dataset API builds (a DAG of {@link io.dflow.api.plan.LogicalNode}s), the
 * narrow steps, shuffles and actions it is made of, the {@link io.dflow.api.plan.JobRunner} the
 * driver implements, the {@link io.dflow.api.plan.TaskScope} through which broadcasts and
 * counters reach a running task, and the plain data types shared by the planner, the file
 * readers and the executors (input files and splits). Not for job authors: the types here may
 * change between releases.
 *
 * <p>Threading: plan nodes are immutable; the task scope is per thread.
 */
package io.dflow.api.plan;
