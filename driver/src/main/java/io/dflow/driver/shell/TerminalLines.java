package io.dflow.driver.shell;

import java.io.IOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Lines from a terminal through JLine: editing, history kept in a file between sessions, Tab
 * completion from JShell ({@link ShellCompletion}), and Ctrl-C while a snippet runs handed to
 * {@code onInterrupt} (at the prompt it drops the line instead).
 */
final class TerminalLines implements LineSource {
  private final Terminal terminal;
  private final LineReader reader;
  private String pending = "";

  TerminalLines(ShellCompletion completion, Path historyFile, Runnable onInterrupt) throws IOException {
    this.terminal = TerminalBuilder.builder().system(true).build();
    DefaultParser parser = new DefaultParser();
    parser.setEscapeChars(new char[0]); // Java source: quotes and backslashes are the compiler's business
    parser.setQuoteChars(new char[0]);
    this.reader = LineReaderBuilder.builder().terminal(terminal).appName("dflow").parser(parser)
        .completer((r, line, candidates) -> candidates.addAll(
            completion.candidates(pending, line.line(), line.cursor(), line.wordCursor())))
        .variable(LineReader.HISTORY_FILE, historyFile)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is Java's not
        .build();
    terminal.handle(Terminal.Signal.INT, signal -> onInterrupt.run());
  }

  /** The terminal the shell writes to. */
  Terminal terminal() {
    return terminal;
  }

  @Override
  public String readLine(String prompt, String pending) {
    this.pending = pending;
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException e) {
      throw new Interrupted();
    } catch (EndOfFileException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      reader.getHistory().save();
    } finally {
      terminal.close();
    }
  }
}
