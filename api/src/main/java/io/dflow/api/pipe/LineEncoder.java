package io.dflow.api.pipe;

import io.dflow.api.Pair;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * How a record becomes one line of a child's stdin (without the {@code \n}, which the runner
 * adds). {@link #TEXT} writes {@code byte[]} as they are, strings as UTF-8, a pair as
 * {@code key<TAB>value}, and anything else as its {@code toString()}.
 */
@FunctionalInterface
public interface LineEncoder extends Serializable {
  void write(Object record, OutputStream out) throws IOException;

  LineEncoder TEXT = LineEncoder::writeText;

  /** {@link #TEXT}'s rule, for encoders that handle some records themselves. */
  static void writeText(Object record, OutputStream out) throws IOException {
    if (record instanceof byte[] bytes) {
      out.write(bytes);
    } else if (record instanceof Pair<?, ?> pair) {
      writeText(pair.key(), out);
      out.write('\t');
      writeText(pair.value(), out);
    } else {
      out.write(String.valueOf(record).getBytes(StandardCharsets.UTF_8));
    }
  }
}
