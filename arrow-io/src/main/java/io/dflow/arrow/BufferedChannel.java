package io.dflow.arrow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Coalesces the many small writes of Arrow IPC framing (prefixes, metadata, padding) into
 * large writes to the file, and counts the bytes accepted. Large writes go straight through.
 * Closing flushes but leaves the target open: its owner closes it.
 */
final class BufferedChannel implements WritableByteChannel {
  private final WritableByteChannel target;
  private final ByteBuffer buffer;
  private long position;
  private boolean open = true;

  BufferedChannel(WritableByteChannel target, int bufferBytes) {
    this.target = target;
    this.buffer = ByteBuffer.allocate(bufferBytes);
  }

  /** Bytes accepted so far. */
  long position() {
    return position;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int length = src.remaining();
    if (length > buffer.remaining()) {
      flush();
      if (length >= buffer.capacity()) {
        writeFully(src);
        position += length;
        return length;
      }
    }
    buffer.put(src);
    position += length;
    return length;
  }

  void flush() throws IOException {
    buffer.flip();
    writeFully(buffer);
    buffer.clear();
  }

  private void writeFully(ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      target.write(src);
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    if (open) {
      open = false;
      flush();
    }
  }
}
