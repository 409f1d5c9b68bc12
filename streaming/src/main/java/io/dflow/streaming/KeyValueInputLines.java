package io.dflow.streaming;

import io.dflow.api.pipe.LineEncoder;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How a mapper gets the lines of {@code KeyValueTextInputFormat}: each input line cut at its
 * first key/value separator and written as {@code key<separator>value}, the separator being
 * {@code stream.map.input.field.separator}; a line without one is all key, so the mapper sees
 * it followed by the separator.
 */
record KeyValueInputLines(FieldSplit split, byte[] separator) implements LineEncoder {
  @Override
  public void write(Object record, OutputStream out) throws IOException {
    byte[] line = (byte[]) record;
    int end = split.keyEnd(line);
    if (end < 0) {
      out.write(line);
      out.write(separator);
      return;
    }
    out.write(line, 0, end);
    out.write(separator);
    int value = end + split.separator().length;
    out.write(line, value, line.length - value);
  }
}
