package io.dflow.streaming;

import io.dflow.api.Pair;
import io.dflow.api.pipe.LineEncoder;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How a reducer or a combiner gets its records: {@code key<separator>value}, the separator
 * being {@code stream.reduce.input.field.separator} (a tab by default), always written, so an
 * empty value leaves the key followed by the separator, as in Hadoop.
 */
record PairLines(byte[] separator) implements LineEncoder {
  @Override
  public void write(Object record, OutputStream out) throws IOException {
    Pair<?, ?> pair = (Pair<?, ?>) record;
    out.write((byte[]) pair.key());
    out.write(separator);
    out.write((byte[]) pair.value());
  }
}
