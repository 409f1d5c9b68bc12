/**
 * Spark SQL 3.5's side of bench/join.sh on {@code local[2]}: {@link
 * io.dflow.bench.join.SparkSortMergeJoin} joins generated sides as a sort-merge join. Built
 * from Maven Central outside dflow's own build.
 *
 * <p>Threading: a main program; Spark's engine runs its tasks.
 */
package io.dflow.bench.join;
