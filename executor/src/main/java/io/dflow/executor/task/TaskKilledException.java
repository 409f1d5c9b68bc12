package io.dflow.executor.task;

/**
 * A task was stopped by its executor ({@link TaskWatchdog}): what it was doing when it stopped
 * is the cause; the message says why it was stopped, which is what a person needs first.
 */
public final class TaskKilledException extends RuntimeException {
  TaskKilledException(String why, Throwable cause) {
    super("the task was killed: " + why, cause, false, false);
  }
}
