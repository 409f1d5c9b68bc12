package io.dflow.formats;

import io.dflow.api.io.CsvOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one CSV row into its fields. A field that starts with the quote is quoted: it ends at a
 * quote followed by the separator or the end of the row, {@code ""} inside it is one quote, and
 * separators and line breaks inside it are text. A quote inside an unquoted field is text.
 * Stateless and thread safe.
 */
final class CsvRowParser {
  /** What {@link #parse} found: the fields, or why the row is bad. */
  record Result(String[] fields, boolean openQuote, String error) {}

  private final char separator;
  private final char quote;

  CsvRowParser(CsvOptions options) {
    this.separator = options.separator();
    this.quote = options.quote();
  }

  /**
   * The fields of {@code row}. A row that ends inside a quoted field gives {@code openQuote}
   * (a multi-line reader then appends the next line and parses again); text between a closing
   * quote and the next separator gives an error.
   */
  Result parse(CharSequence row) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int n = row.length();
    int i = 0;
    while (true) {
      field.setLength(0);
      if (i < n && row.charAt(i) == quote) {
        i++;
        while (true) {
          if (i >= n) {
            return new Result(null, true, "a quoted field is not closed");
          }
          char c = row.charAt(i++);
          if (c != quote) {
            field.append(c);
          } else if (i < n && row.charAt(i) == quote) {
            field.append(quote);
            i++;
          } else {
            break;
          }
        }
        if (i < n && row.charAt(i) != separator) {
          return new Result(null, false, "text after the closing quote of field " + (fields.size() + 1)
              + " at character " + (i + 1));
        }
      } else {
        while (i < n && row.charAt(i) != separator) {
          field.append(row.charAt(i++));
        }
      }
      fields.add(field.toString());
      if (i >= n) {
        return new Result(fields.toArray(new String[0]), false, null);
      }
      i++; // the separator
    }
  }
}
