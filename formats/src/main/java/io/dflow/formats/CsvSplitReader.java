package io.dflow.formats;

import io.dflow.api.io.CsvOptions;
import io.dflow.api.plan.TaskScope;
import io.dflow.hdfs.BadInputException;
import io.dflow.hdfs.TextSplitReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/**
 * The rows of CSV files in one split, as {@code String[]}, read from the split's text lines
 * (so compression, segment boundaries and line limits are those of {@link TextSplitReader}).
 * A line that starts at byte 0 of its file is the header when the options say there is one. In
 * multi-line mode (files read whole) a row ending inside quotes takes the next line too,
 * joined by {@code \n}. Bad rows fail with the file, the line (when the split started at the
 * file's start) and the byte offset, or are counted and skipped.
 */
final class CsvSplitReader implements SplitRecords {
  private final TextSplitReader<String> lines;
  private final CsvOptions options;
  private final CsvRowParser parser;
  private int expectedFields = -1;
  private String[] pending;
  private String path;
  private long lineNumber;
  private boolean lineKnown;
  private long rowOffset;
  private long rowLine;

  CsvSplitReader(TextSplitReader<String> lines, CsvOptions options) {
    this.lines = lines;
    this.options = options;
    this.parser = new CsvRowParser(options);
  }

  @Override
  public boolean hasNext() {
    try {
      while (pending == null) {
        String line = nextLine();
        if (line == null) {
          return false;
        }
        pending = row(line);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException("end of split");
    }
    String[] row = pending;
    pending = null;
    return row;
  }

  /** The fields of the row starting with {@code line}, or null for a header or a skipped bad row. */
  private String[] row(String line) throws IOException {
    rowOffset = lines.lineOffset();
    rowLine = lineNumber;
    boolean header = options.header() && rowOffset == 0;
    CsvRowParser.Result parsed = parser.parse(line);
    if (options.multiLine()) {
      StringBuilder joined = null;
      while (parsed.openQuote()) {
        String more = nextLine();
        if (more == null) {
          break;
        }
        joined = (joined == null ? new StringBuilder(line) : joined).append('\n').append(more);
        parsed = parser.parse(joined);
      }
    }
    if (parsed.error() != null) {
      return bad(parsed.openQuote() && !options.multiLine()
          ? parsed.error() + " at the end of the line (quoted line breaks need multi-line mode)"
          : parsed.error());
    }
    if (header) {
      expectedFields = parsed.fields().length;
      return null;
    }
    if (expectedFields >= 0 && parsed.fields().length != expectedFields) {
      return bad("the row has " + parsed.fields().length + " fields, the header " + expectedFields);
    }
    return parsed.fields();
  }

  private String nextLine() throws IOException {
    String line = lines.readLine();
    if (line == null) {
      return null;
    }
    if (lines.lineOffset() == 0) {
      lineNumber = 1;
      lineKnown = true;
      path = lines.currentPath();
    } else if (lineKnown && lines.currentPath().equals(path)) {
      lineNumber++;
    } else {
      lineKnown = false;
      path = lines.currentPath();
    }
    return line;
  }

  private String[] bad(String why) throws IOException {
    if (options.skipBadRows()) {
      TaskScope.Services task = TaskScope.current();
      if (task != null) {
        task.addToCounter(CsvOptions.BAD_ROWS_COUNTER, 1);
      }
      return null;
    }
    throw new BadInputException("bad CSV row in " + where() + ": " + why
        + " (skip bad rows with CsvOptions.withSkipBadRows(true))");
  }

  private String where() {
    return "file " + path + (lineKnown ? " line " + rowLine + "," : "") + " at byte offset " + rowOffset;
  }

  @Override
  public String describePosition() {
    return where();
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
