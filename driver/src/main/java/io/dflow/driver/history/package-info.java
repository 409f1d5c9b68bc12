/**
 * What applications did, kept after they end: {@link io.dflow.driver.history.EventLog} writes
 * every scheduler event of an application as one JSON line, and
 * {@link io.dflow.driver.history.EventLogs} reads the logs back (for {@code dflow history}).
 *
 * <p>Threading: an event log is written on the listener bus's thread only; reading is for one
 * thread at a time.
 */
package io.dflow.driver.history;
