/**
 * {@code dflow streaming}: Hadoop Streaming's contract on dflow. A job's mapper, combiner and
 * reducer are commands run as child processes ({@link io.dflow.api.pipe.PipedProcess}) that read
 * lines on stdin and write lines on stdout; this package turns the command line
 * ({@link io.dflow.streaming.StreamingOptions}) into a dataset job
 * ({@link io.dflow.streaming.StreamingJob}): raw input lines piped through the mapper, its
 * output split into keys and values, shuffled and sorted by the raw bytes of the key (or by
 * key fields, as Hadoop's {@code KeyFieldBasedComparator} and {@code KeyFieldBasedPartitioner}
 * do), piped through the reducer and written as {@code key<TAB>value} part files. A mapper,
 * combiner or reducer may instead be a Java class of Hadoop's old {@code mapred} API
 * ({@link io.dflow.streaming.HadoopClasses}), run in the task itself.
 *
 * <p>Threading: everything here is built on the driver, or runs inside one task; the classes
 * shipped to executors are immutable; a Java mapper or reducer instance belongs to the one task
 * that made it.
 */
package io.dflow.streaming;
