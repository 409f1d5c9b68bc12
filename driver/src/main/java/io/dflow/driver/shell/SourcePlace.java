package io.dflow.driver.shell;

/** Names a place in a snippet's source: its line, the line itself, and a caret under the column. */
final class SourcePlace {
  private SourcePlace() {}

  /** {@code message}, then the source line holding {@code position} with a caret under it. */
  static String describe(String source, long position, String message) {
    int pos = (int) Math.max(0, Math.min(position, source.length()));
    int start = source.lastIndexOf('\n', pos - 1) + 1;
    int end = source.indexOf('\n', pos);
    String line = source.substring(start, end < 0 ? source.length() : end);
    int lineNumber = 1 + (int) source.substring(0, start).chars().filter(c -> c == '\n').count();
    return message + (lineNumber > 1 ? " (line " + lineNumber + " of the snippet)" : "") + "\n    " + line
        + "\n    " + " ".repeat(pos - start) + "^";
  }
}
