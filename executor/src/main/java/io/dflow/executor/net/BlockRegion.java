package io.dflow.executor.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Where the bytes of a block live: {@code length} bytes of {@code file} from {@code offset}.
 *
 * @param file the file holding the block
 * @param offset where the block starts in the file
 * @param length the block's length in bytes
 */
public record BlockRegion(Path file, long offset, long length) implements BlockData {

  /** Checks that the region is well formed. */
  public BlockRegion {
    Objects.requireNonNull(file, "file");
    if (offset < 0 || length < 0 || offset + length < 0) {
      throw new IllegalArgumentException("bad block region: offset " + offset + ", length " + length);
    }
  }

  @Override
  public byte[] readAll() throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(length));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) {
          throw new IOException("block file " + file + " is shorter than the block (" + length + " bytes from " + offset + ")");
        }
      }
    }
    return buf.array();
  }
}
