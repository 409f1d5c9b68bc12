package io.dflow.executor.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A channel that keeps what is written in a growing array until it would pass
 * {@code memoryLimit} bytes, then moves it to a file (asked of {@code spillFile}) and writes there.
 */
final class SpillingChannel implements WritableByteChannel {
  private final long memoryLimit;
  private final Supplier<Path> spillFile;
  private byte[] heap = new byte[256];
  private int length;
  private FileChannel file;
  private Path path;
  private long fileLength;
  private boolean open = true;

  SpillingChannel(long memoryLimit, Supplier<Path> spillFile) {
    this.memoryLimit = memoryLimit;
    this.spillFile = spillFile;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    if (file == null && (long) length + n > memoryLimit) {
      spill();
    }
    if (file != null) {
      while (src.hasRemaining()) {
        fileLength += file.write(src);
      }
      return n;
    }
    if (length + n > heap.length) {
      heap = Arrays.copyOf(heap, (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) heap.length * 2, (long) length + n)));
    }
    src.get(heap, length, n);
    length += n;
    return n;
  }

  private void spill() throws IOException {
    path = spillFile.get();
    file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    ByteBuffer held = ByteBuffer.wrap(heap, 0, length);
    while (held.hasRemaining()) {
      fileLength += file.write(held);
    }
    heap = null;
    length = 0;
  }

  /** The bytes, when they stayed in memory (valid up to {@link #heapLength()}), else null. */
  byte[] heap() {
    return heap;
  }

  int heapLength() {
    return length;
  }

  /** The file the bytes went to, or null. */
  Path file() {
    return path;
  }

  long size() {
    return file != null ? fileLength : length;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    if (file != null) {
      file.close();
    }
  }
}
