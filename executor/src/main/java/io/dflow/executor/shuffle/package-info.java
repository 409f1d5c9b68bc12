/**
 * The shuffle on the executor: the map side partitions (and, for aggregations, combines) a task's
 * records in an {@link io.dflow.executor.shuffle.ExternalSorter}, which keeps them serialised
 * in memory, sorted by partition and key, and spills sorted runs to disk when the task's memory
 * is short; it then writes one Arrow data file with an index per shuffle
 * ({@link io.dflow.executor.shuffle.MapOutputWriter}, {@link io.dflow.executor.shuffle.ShuffleStore}).
 * The reduce side streams its segment of every map output, from this executor or another
 * ({@link io.dflow.executor.shuffle.NetworkFetcher}), with a bound on the bytes in flight, and
 * merges them by the shuffle's kind through a sorter again
 * ({@link io.dflow.executor.shuffle.ShuffleReader}, {@link io.dflow.executor.shuffle.Merger}),
 * fetching another executor's large segments to disk first. A grouping hands each key's values
 * out as they are merged ({@code StreamedGroups}); a sort-merge join walks two key-sorted
 * inputs in step ({@link io.dflow.executor.shuffle.SortMergeJoiner}).
 * A segment that cannot be fetched or decoded is a
 * {@link io.dflow.executor.shuffle.FetchFailedException}: the scheduler recomputes its map task.
 *
 * <p>Threading: the store and the fetcher are shared by all tasks and thread-safe; writers,
 * readers, combiners and mergers belong to one task.
 */
package io.dflow.executor.shuffle;
