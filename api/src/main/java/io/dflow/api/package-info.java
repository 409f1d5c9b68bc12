/**
 * What a dflow job is written against: {@link io.dflow.api.JobContext} sources,
 * {@link io.dflow.api.Dataset} and {@link io.dflow.api.PairDataset} steps, encoders,
 * partitioners, and the {@link io.dflow.api.DflowJob} entry point of a job jar. Depends on the
 * JDK only (and, for {@code Dataset.mapBatches} alone, on Arrow's vectors, an optional
 * dependency), so a job compiles against this module alone.
 */
package io.dflow.api;
