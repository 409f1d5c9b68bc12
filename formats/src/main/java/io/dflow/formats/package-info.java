/**
 * The file formats beyond plain text: how one input split of CSV, SequenceFiles, Arrow IPC
 * files or Parquet files is read as records ({@link io.dflow.formats.FormatReaders}), and how a
 * task's part file is written in each ({@link io.dflow.formats.FormatWriters}). Every format is
 * cut into splits by byte ranges like text; each reader reads the records its range owns (rows
 * starting in it, records after its first sync mark, batches or row groups starting in it).
 * Columnar formats load Arrow batches ({@link io.dflow.formats.ColumnarSplit}) that
 * {@code mapBatches} can take as they are.
 *
 * <p>Threading: a reader or writer belongs to the one task thread that opened it.
 */
package io.dflow.formats;
