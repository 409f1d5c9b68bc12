package io.dflow.driver.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Where the shell's lines come from: a terminal with line editing ({@link TerminalLines}) or plain input. */
interface LineSource extends AutoCloseable {

  /** Ctrl-C at the prompt: the line typed so far is dropped. */
  final class Interrupted extends RuntimeException {
    Interrupted() {
      super("interrupted", null, false, false);
    }
  }

  /**
   * The next line, without its line end; null at the end of input.
   *
   * @param pending what was typed before this line of an unfinished snippet (for completion)
   * @throws Interrupted when Ctrl-C was pressed at the prompt
   */
  String readLine(String prompt, String pending) throws IOException;

  @Override
  void close() throws IOException;

  /** Lines read plainly (no prompt, no editing): for input that is not a terminal (a pipe, a test). */
  static LineSource plain(InputStream in) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    return new LineSource() {
      @Override
      public String readLine(String prompt, String pending) throws IOException {
        return reader.readLine();
      }

      @Override
      public void close() {
        // the stream belongs to the caller
      }
    };
  }
}
