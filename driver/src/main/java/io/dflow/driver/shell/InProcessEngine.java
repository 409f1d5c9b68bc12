package io.dflow.driver.shell;

import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * The JShell execution engine of the shell: snippets run in the driver's JVM (each on its own
 * thread, as JShell's local engine runs them), so they reach the live {@code ctx}; their classes
 * go through {@link SnippetClasses}, which keeps their bytes for executors. Redefining a loaded
 * class is refused, so JShell gives a changed declaration a fresh class instead: a class's bytes
 * never change once executors may have loaded them.
 */
final class InProcessEngine implements ExecutionControlProvider {
  private final SnippetClasses classes;

  InProcessEngine(SnippetClasses classes) {
    this.classes = classes;
  }

  @Override
  public String name() {
    return "dflow";
  }

  @Override
  public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
    return new LocalExecutionControl(classes);
  }
}
