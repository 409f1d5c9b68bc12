/**
 * {@code dflow new-job}: a Maven project for a job of one's own, from templates kept as
 * resources beside it ({@code src/main/resources/io/dflow/driver/newjob}). Single-threaded; it
 * only writes files.
 */
package io.dflow.driver.newjob;
