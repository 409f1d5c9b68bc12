package io.dflow.driver.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * The shell's read-eval-print loop over a {@link ShellSession}: cuts input into snippets as
 * JShell does (a snippet may span lines, a line may hold several), runs them, prints their values
 * and, for a failure, one clear message; runs dflow's {@code :commands}. A script
 * ({@link #runScript}) stops at its first failing snippet.
 *
 * <p>Threading: one thread runs the loop; {@link #interrupt} may be called from another.
 */
public final class Shell {
  static final String PROMPT = "dflow> ";
  static final String CONTINUATION = "   ...> ";

  private final ShellSession session;
  private final PrintStream out;
  private final PrintStream err;
  private String lastError;

  public Shell(ShellSession session, PrintStream out, PrintStream err) {
    this.session = session;
    this.out = out;
    this.err = err;
  }

  /** Ctrl-C: cancels the running snippet's jobs (see {@link ShellSession#interrupt}). */
  void interrupt() {
    if (session.interrupt()) {
      err.println("cancelling: the running jobs' tasks are killed");
    }
  }

  /** Reads and runs snippets until the input ends or {@code :quit}; returns the exit code, 0. */
  int runInteractive(LineSource in) throws IOException {
    SourceCodeAnalysis analysis = session.analysis();
    String pending = "";
    while (true) {
      String line;
      try {
        line = in.readLine(pending.isEmpty() ? PROMPT : CONTINUATION, pending);
      } catch (LineSource.Interrupted e) {
        pending = "";
        continue;
      }
      if (line == null) {
        if (!pending.isBlank()) {
          report(session.eval(pending));
        }
        return 0;
      }
      if (pending.isEmpty() && line.strip().startsWith(":")) {
        if (!command(line.strip())) {
          return 0;
        }
        continue;
      }
      String rest = pending + line + "\n";
      pending = "";
      while (!rest.isBlank()) {
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
        if (isIncomplete(info.completeness())) {
          pending = rest;
          break;
        }
        if (info.completeness() == Completeness.EMPTY) {
          break;
        }
        report(session.eval(info.source()));
        rest = info.remaining();
      }
    }
  }

  /**
   * Runs {@code text} (the script {@code name}) snippet by snippet; returns 0, or 1 at the first
   * snippet that fails (its place and why on stderr), the rest not run.
   */
  int runScript(String text, String name) {
    SourceCodeAnalysis analysis = session.analysis();
    String rest = text;
    int line = 1;
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
      int consumed = rest.length() - info.remaining().length();
      String snippet = rest.substring(0, consumed);
      int snippetLine = line + leadingLines(snippet);
      if (isIncomplete(info.completeness())) {
        err.println("error: " + name + ":" + snippetLine + ": the script ends inside an unfinished snippet: "
            + firstLine(rest.strip()));
        return 1;
      }
      if (info.completeness() != Completeness.EMPTY) {
        SnippetOutcome outcome = session.eval(info.source());
        outcome.shown().forEach(out::println);
        if (outcome.failed()) {
          lastError = outcome.error();
          err.println("error: " + name + ":" + snippetLine + ": " + brief(outcome.error()));
          return 1;
        }
      }
      line += (int) snippet.chars().filter(c -> c == '\n').count();
      rest = info.remaining();
    }
    return 0;
  }

  private static boolean isIncomplete(Completeness c) {
    return c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE;
  }

  private static int leadingLines(String snippet) {
    int n = 0;
    for (int i = 0; i < snippet.length() && Character.isWhitespace(snippet.charAt(i)); i++) {
      if (snippet.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private void report(SnippetOutcome outcome) {
    outcome.shown().forEach(out::println);
    if (outcome.failed()) {
      lastError = outcome.error();
      err.println("error: " + brief(outcome.error()));
    }
  }

  /**
   * A failure as shown at the prompt: a compile error whole (it is short: message, line, caret),
   * anything else its first line, the rest kept for {@code :last}.
   */
  private static String brief(String error) {
    if (error.contains("\n    ") && error.endsWith("^")) {
      return error;
    }
    String first = firstLine(error);
    return first.length() == error.length() ? first : first + "  (:last shows the whole message)";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Runs a {@code :command}; returns false for {@code :quit}. */
  private boolean command(String line) {
    String name = line.split("\\s+", 2)[0];
    switch (name) {
      case ":quit", ":exit", ":q" -> {
        return false;
      }
      case ":help", ":h", ":?" -> help();
      case ":vars", ":methods", ":types", ":imports" -> {
        List<String> lines = session.declared(name.substring(1));
        if (lines.isEmpty()) {
          out.println("(none)");
        }
        lines.forEach(l -> out.println("  " + l));
      }
      case ":session" -> out.println(session.describeSession());
      case ":last" -> out.println(lastError == null ? "(no failure yet)" : lastError);
      default -> err.println("error: unknown command " + name + "; :help lists the commands");
    }
    return true;
  }

  private void help() {
    out.println("""
        Java snippets run in the driver against a live dflow application; their lambdas and classes
        reach the executors. Predefined:
          ctx          the JobContext: ctx.textFile(path), ctx.parallelize(list, encoder), ...
          imports      %s
        Commands:
          :help        this text
          :vars        the variables declared so far, with their values
          :methods     the methods declared so far
          :types       the classes, interfaces, records and enums declared so far
          :imports     the imports in force
          :session     the application: master, id, jobs, stages and tasks run so far
          :last        the whole message of the last failure
          :quit        end the shell (also Ctrl-D); its executors stop
        Keys: Tab completes, Up/Down walk the history (kept in ~/.dflow_history),
              Ctrl-C cancels the running job (its tasks are killed) and keeps the shell.
        The executors stay up between snippets: a dataset you persist() stays cached for the next action.""".formatted(
        String.join(", ", ShellSession.IMPORTS)));
  }
}
