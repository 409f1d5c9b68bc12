/**
 * dflow's test kit, for a job's own unit tests: {@link io.dflow.testkit.LocalSession}, a
 * {@code local[N]} application in the test's JVM, and {@link io.dflow.testkit.DatasetAssert},
 * assertions on what a dataset holds. A job depends on it in the {@code test} scope, beside
 * {@code dflow-api} in {@code provided}.
 *
 * <p>Threading: a session is used by one test thread at a time; the assertions run actions on it.
 * This package uses only the driver's public surface and must not reach into the scheduler.
 */
package io.dflow.testkit;
