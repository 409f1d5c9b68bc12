/**
 * Datasets on any Hadoop {@code FileSystem} ({@code hdfs://}, {@code file://}, whatever the
 * Configuration names as default).
 *
 * <ul>
 *   <li>{@link io.dflow.hdfs.HadoopConf} builds the Hadoop {@code Configuration} a driver or an
 *       executor works with.
 *   <li>{@link io.dflow.hdfs.InputLister} turns an input path (file, folder or glob) into
 *       {@link io.dflow.api.plan.InputFile}s with block hosts, which the planner cuts into splits.
 *   <li>{@link io.dflow.hdfs.TextSplitReader} reads the lines of one
 *       {@link io.dflow.api.plan.FileSplit} with Hadoop's line-ownership rule.
 *   <li>{@link io.dflow.hdfs.Codecs} says which compression codec a file's extension names,
 *       decompresses input and picks the codec of compressed output.
 *   <li>{@link io.dflow.hdfs.TextOutputCommitter} (driver side) and
 *       {@link io.dflow.hdfs.TaskOutputWriter} (executor side) make text output all-or-nothing.
 * </ul>
 *
 * <p>Depends on the api module and Hadoop's shaded client only; nothing here knows about the
 * planner, the executor or the driver.
 */
package io.dflow.hdfs;
