/**
 * Spark 3.5's jobs for bench/shuffle.sh on {@code local[2]}: the same reduce, group and sort work
 * as dflow's, over the records {@code ShuffleRecords} generates. Built from Maven Central outside
 * dflow's own build.
 *
 * <p>Threading: a main program; the peers' own engines run their tasks.
 */
package io.dflow.bench.shuffle;
