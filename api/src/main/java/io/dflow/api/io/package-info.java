/**
 * Options of the file formats a job reads and writes beyond plain text: {@link
 * io.dflow.api.io.CsvOptions} for CSV and TSV, and {@link io.dflow.api.io.BatchFunction}, the
 * function {@code Dataset.mapBatches} gives each Arrow record batch.
 *
 * <p>Threading: options are immutable values; a batch function is called by one task thread at
 * a time, with a batch valid only for that call.
 */
package io.dflow.api.io;
