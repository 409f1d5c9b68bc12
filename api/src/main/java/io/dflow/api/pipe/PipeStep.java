package io.dflow.api.pipe;

import io.dflow.api.plan.Step;
import io.dflow.api.plan.TaskScope;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * The narrow step that pipes each partition through a child process ({@link PipedProcess}):
 * records in as lines of stdin, lines of stdout out as its {@link LineDecoder} makes them
 * ({@code byte[]}, UTF-8 strings, or records of its own). A {@link Launch} may adapt the command
 * to the task first (its environment, files in its working directory).
 *
 * @param name the step's name in plans
 * @param decoder what each output line becomes
 * @param maxLineBytes the longest output line accepted
 * @param drainMillis how long output pumps may run on after the child exits
 */
public record PipeStep(String name, ChildCommand command, LineEncoder encoder, Launch launch, LineDecoder decoder,
    long maxLineBytes, long drainMillis) implements Step {

  /** Adapts the command to the task that runs it, just before it starts. */
  @FunctionalInterface
  public interface Launch extends Serializable {
    /** The command to start for this task; may prepare {@code workDir} (null outside a task). */
    ChildCommand prepare(ChildCommand command, TaskScope.Services task, Path workDir) throws IOException;

    Launch AS_IS = (command, task, workDir) -> command;
  }

  @Override
  public Iterator<Object> apply(int partition, Iterator<Object> input) {
    return startInTask(command, launch, input, encoder, maxLineBytes, drainMillis).decoded(decoder);
  }

  /**
   * Starts {@code command}, set up by {@code launch}, for the task of this thread (in its working
   * directory, killed when the task ends) or, outside a task, in the current directory.
   */
  public static PipedProcess startInTask(ChildCommand command, Launch launch, Iterator<?> input,
      LineEncoder encoder, long maxLineBytes, long drainMillis) {
    TaskScope.Services task = TaskScope.current();
    Path workDir = task == null ? null : task.workDir();
    ChildCommand prepared;
    try {
      prepared = launch.prepare(command, task, workDir);
    } catch (IOException e) {
      throw new PipeFailedException("cannot prepare " + command.describe() + ": " + e.getMessage(), e);
    }
    PipedProcess child = PipedProcess.start(prepared, workDir, input, encoder, task, maxLineBytes, drainMillis);
    if (task != null) {
      task.closeAtEnd(child);
    }
    return child;
  }
}
