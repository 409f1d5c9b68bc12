package io.dflow.driver.shell;

import io.dflow.driver.JobSetupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code dflow shell}: starts the application and the JShell, then a script ({@code -f}) or
 * the prompt (JLine on a terminal, plain lines otherwise), and stops the application at the end,
 * also when the process is asked to stop. Exit codes: 0, or 1 when the shell could not start or
 * a script's snippet failed.
 */
public final class ShellLauncher {
  private ShellLauncher() {}

  /**
   * @param overrides {@code --master} and {@code --conf} settings
   * @param script the {@code -f} script, or null for the prompt
   * @param in the prompt's input when it is not a terminal
   */
  public static int run(Map<String, String> overrides, List<Path> jars, Path script, InputStream in,
      PrintStream out, PrintStream err) {
    String text = null;
    if (script != null) {
      try {
        text = Files.readString(script, StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("error: cannot read script " + script + ": " + e.getMessage());
        return 1;
      }
    }
    ShellSession session;
    try {
      session = ShellSession.open(overrides, jars, err);
    } catch (JobSetupException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("error: cannot start the shell's application: " + e.getMessage());
      return 1;
    }
    ClassLoader callerLoader = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(session.loader());
    Thread hook = new Thread(() -> {
      session.interrupt();
      session.closeQuietly();
    }, "dflow-shell-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Shell shell = new Shell(session, out, err);
      if (text != null) {
        return shell.runScript(text, script.toString());
      }
      boolean terminal = System.console() != null && in == System.in;
      try (LineSource lines = terminal ? new TerminalLines(new ShellCompletion(session.analysis()), historyFile(),
          shell::interrupt) : LineSource.plain(in)) {
        if (terminal) {
          err.println("dflow shell: " + session.describeSession() + ". Type :help for help.");
        }
        return shell.runInteractive(lines);
      }
    } catch (IOException e) {
      err.println("error: the shell's input failed: " + e.getMessage());
      return 1;
    } finally {
      Thread.currentThread().setContextClassLoader(callerLoader);
      session.closeQuietly();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now; closing twice is harmless
      }
    }
  }

  private static Path historyFile() {
    return Path.of(System.getProperty("user.home"), ".dflow_history");
  }
}
