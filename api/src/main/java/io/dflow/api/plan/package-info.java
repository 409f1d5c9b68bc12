/**
 * The logical plan the dataset API builds ({@link io.dflow.api.plan.LogicalNode}), the narrow
 * steps and shuffles it is made of, and the plain data types shared by the planner, the file
 * readers and the executors (input files and splits). Not for job authors: the types here may
 * change between releases.
 */
package io.dflow.api.plan;
