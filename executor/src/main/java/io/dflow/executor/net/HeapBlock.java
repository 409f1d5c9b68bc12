package io.dflow.executor.net;

import java.util.Arrays;
import java.util.Objects;

/**
 * A block held in memory: the first {@code size} bytes of {@code bytes}. The array must not
 * change while the block is served.
 */
public record HeapBlock(byte[] bytes, int size) implements BlockData {
  public HeapBlock {
    Objects.requireNonNull(bytes, "bytes");
    if (size < 0 || size > bytes.length) {
      throw new IllegalArgumentException("bad heap block size " + size + " of " + bytes.length);
    }
  }

  @Override
  public long length() {
    return size;
  }

  @Override
  public byte[] readAll() {
    return Arrays.copyOf(bytes, size);
  }
}
