/**
 * Child processes as steps of a job: {@link io.dflow.api.pipe.PipedProcess} runs one command
 * over one partition (records to its stdin as lines, its stdout lines back, its stderr as a
 * side channel for counters and status), {@link io.dflow.api.pipe.PipeStep} makes it a narrow
 * step ({@code Dataset.pipe}, and the mappers and reducers of {@code dflow streaming}), and
 * {@link io.dflow.api.pipe.CommandWords} splits a command line as a shell would, without one.
 *
 * <p>Threading: a {@code PipedProcess} is iterated by its task's thread; its three pump threads
 * are its own and end with the child (or are abandoned, as daemons, a bounded time after it).
 */
package io.dflow.api.pipe;
