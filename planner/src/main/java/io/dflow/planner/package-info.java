/**
 * The planner: logical plan to {@link io.dflow.planner.PhysicalPlan} (stages cut at shuffle
 * boundaries, narrow steps fused into one pipeline per task) to {@link io.dflow.planner.TaskSpec}s.
 * Pure logic: no threads, no network, file listings only through
 * {@link io.dflow.planner.InputCatalog}. Depends on the api module alone.
 */
package io.dflow.planner;
