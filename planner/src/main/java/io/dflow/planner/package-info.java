/**
 * The planner: a job's logical DAG to a {@link io.dflow.planner.PhysicalPlan} of
 * {@link io.dflow.planner.Stage}s, each a small DAG of {@link io.dflow.planner.PartitionOp}s
 * (narrow steps fused into pipelines, shared operators computed once per task) cut at shuffle
 * boundaries, with the source input of each task; and the plan as text for {@code explain}.
 * Pure logic: no threads, no network, file listings only through
 * {@link io.dflow.planner.InputCatalog}. Depends on the api module alone.
 */
package io.dflow.planner;
