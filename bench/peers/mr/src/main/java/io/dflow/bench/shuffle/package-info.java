/**
 * Hadoop MapReduce's jobs for bench/shuffle.sh: the same reduce, group and sort work as dflow's,
 * on LocalJobRunner, over the records {@code ShuffleRecords} generates. Built from Maven Central
 * outside dflow's own build.
 *
 * <p>Threading: a main program; the peers' own engines run their tasks.
 */
package io.dflow.bench.shuffle;
