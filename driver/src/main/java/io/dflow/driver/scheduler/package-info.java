/**
 * The driver's scheduler, in layers: {@link io.dflow.driver.scheduler.DagScheduler} turns jobs
 * into stages, submits each stage once the stages it reads are available, and owns what outlives
 * jobs (the map output tracker, the cache tracker, the stages of shuffles); a
 * {@code TaskSetManager} per stage attempt keeps its pending tasks by preferred executor and
 * host, its attempts and failures; the {@code TaskScheduler} matches free slots to task sets and
 * batches launches per executor; the {@link io.dflow.driver.scheduler.ListenerBus} tells
 * listeners (the progress display) what happened.
 *
 * <p>Threading: all scheduler state is changed on one event loop thread
 * ({@link io.dflow.driver.scheduler.Scheduler}); other threads only post events or ask
 * {@link io.dflow.driver.scheduler.Scheduler#query} questions. Time is read from an injected
 * {@link io.dflow.driver.scheduler.Clock}, so tests drive the DAG scheduler by hand with fake
 * executors in simulated time. Listeners run on the bus's own thread.
 */
package io.dflow.driver.scheduler;
