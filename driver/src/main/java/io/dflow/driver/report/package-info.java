/**
 * The report of an application, from its event log or from its live events: {@link
 * io.dflow.driver.report.AppReport} analyses the events (per-stage task duration quantiles, bytes,
 * spills, locality, a timeline lane for every task attempt, counters, and {@link
 * io.dflow.driver.report.Advisor}'s warnings with what to change; {@link
 * io.dflow.driver.report.AppReport.Builder} builds it as a running application's events come, for
 * the warnings printed at its end), {@link io.dflow.driver.report.HtmlReport} renders it as one
 * self-contained HTML page whose inlined script draws it with Apache ECharts (inlined too), and {@link io.dflow.driver.report.LiveReport} serves that page over HTTP while the
 * application runs.
 *
 * <p>Threading: the analysis and rendering are plain functions of their input, for any thread;
 * an {@code AppReport.Builder} is guarded by its owner.
 * {@link io.dflow.driver.report.LiveReport} receives events on the listener bus's thread and
 * serves requests on its HTTP server's thread; the events it keeps are guarded by its lock.
 */
package io.dflow.driver.report;
