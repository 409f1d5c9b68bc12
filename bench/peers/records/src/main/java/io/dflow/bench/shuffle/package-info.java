/**
 * The records every contestant of bench/shuffle.sh generates identically ({@link
 * io.dflow.bench.shuffle.ShuffleRecords}), so that dflow, Spark and Hadoop MR do the same work.
 * Built from Maven Central outside dflow's own build.
 *
 * <p>Threading: a main program; the peers' own engines run their tasks.
 */
package io.dflow.bench.shuffle;
