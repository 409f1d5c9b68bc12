package io.dflow.api.pipe;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How one line of a child's stdout (without its end) becomes a record, the twin of
 * {@link LineEncoder}: {@link Plain#BYTES} copies it, {@link Plain#UTF8} decodes it; a decoder
 * of its own (a key/value cut, say) makes its record straight from the bytes the line was read
 * into, so a line is not copied once to be cut and again into its parts.
 */
public interface LineDecoder extends Serializable {
  /** The record of the line {@code bytes[from, to)}; the array is the reader's, reused for later lines. */
  Object decode(byte[] bytes, int from, int to);

  /** The encoder of the records this decoder makes. */
  Encoder<?> encoder();

  /**
   * The decoder one child's lines go through, in order, from one thread: this one, or a fresh
   * one for a decoder that keeps something from line to line.
   */
  default LineDecoder open() {
    return this;
  }

  /** Lines as {@code byte[]} or as UTF-8 strings. */
  enum Plain implements LineDecoder {
    BYTES {
      @Override
      public Object decode(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
      }

      @Override
      public Encoder<?> encoder() {
        return Encoders.bytes();
      }
    },
    UTF8 {
      @Override
      public Object decode(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
      }

      @Override
      public Encoder<?> encoder() {
        return Encoders.strings();
      }
    }
  }
}
