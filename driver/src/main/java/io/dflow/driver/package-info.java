/**
 * The driver of an application: {@link io.dflow.driver.JobLauncher} turns a {@code dflow run}
 * into a {@link io.dflow.driver.Session}, which plans each action's job, hands it to the
 * scheduler, collects its results and commits its output; the configuration, the job jar and
 * the progress display live here too.
 *
 * <p>Threading: a session is driven by the job's own thread (the one running the user's
 * {@code DflowJob}); scheduling happens on the scheduler's event loop
 * ({@code io.dflow.driver.scheduler}) and progress on the listener bus's thread. Nothing here
 * carries shuffle data: executors exchange it among themselves.
 */
package io.dflow.driver;
