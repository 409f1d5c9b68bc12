package io.dflow.api.io;

import java.io.Serializable;

/**
 * How CSV (or TSV) files are read and written: RFC 4180 with a choice of separator and quote.
 * A quoted field may hold separators, doubled quotes ({@code ""} is one {@code "}) and, with
 * {@link #multiLine}, line breaks. With {@link #header} the first line of each file names the
 * columns and every row must have as many fields; a row that breaks that, or ends inside
 * quotes, is bad: the task fails naming the file, line and byte offset, or with
 * {@link #skipBadRows} the row is dropped and counted in the counter {@value #BAD_ROWS_COUNTER}.
 *
 * <p>Immutable: each {@code with} method returns a copy.
 */
public record CsvOptions(char separator, char quote, boolean header, boolean multiLine, boolean skipBadRows)
    implements Serializable {
  /** The counter that counts the rows {@link #skipBadRows} dropped. */
  public static final String BAD_ROWS_COUNTER = "csv.badRows";

  public CsvOptions {
    if (separator == quote) {
      throw new IllegalArgumentException("the CSV separator and quote must differ, both are '" + quote + "'");
    }
    if (separator == '\n' || separator == '\r' || quote == '\n' || quote == '\r') {
      throw new IllegalArgumentException("a line break cannot be the CSV separator or quote");
    }
  }

  /** Comma-separated, double quotes, no header, a row per line, bad rows fail the task. */
  public static CsvOptions csv() {
    return new CsvOptions(',', '"', false, false, false);
  }

  /** Like {@link #csv()} with tabs between fields. */
  public static CsvOptions tsv() {
    return new CsvOptions('\t', '"', false, false, false);
  }

  public CsvOptions withSeparator(char c) {
    return new CsvOptions(c, quote, header, multiLine, skipBadRows);
  }

  public CsvOptions withQuote(char c) {
    return new CsvOptions(separator, c, header, multiLine, skipBadRows);
  }

  /** On read, the first line of every file names the columns: it is skipped, and rows must have as many fields. */
  public CsvOptions withHeader(boolean on) {
    return new CsvOptions(separator, quote, on, multiLine, skipBadRows);
  }

  /** Quoted fields may span lines; each file is then read whole by one task. */
  public CsvOptions withMultiLine(boolean on) {
    return new CsvOptions(separator, quote, header, on, skipBadRows);
  }

  /** Bad rows are dropped and counted instead of failing the task. */
  public CsvOptions withSkipBadRows(boolean on) {
    return new CsvOptions(separator, quote, header, multiLine, on);
  }

  /** A short description for plan text. */
  public String describe() {
    StringBuilder s = new StringBuilder("separator '").append(separator == '\t' ? "\\t" : String.valueOf(separator))
        .append('\'');
    if (header) {
      s.append(", header");
    }
    if (multiLine) {
      s.append(", multi-line");
    }
    if (skipBadRows) {
      s.append(", skip bad rows");
    }
    return s.toString();
  }
}
