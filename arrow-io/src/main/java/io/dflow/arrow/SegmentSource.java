package io.dflow.arrow;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.ArrowBuf;

/**
 * Where the bytes of one shuffle segment are: a buffer in memory (a segment fetched from
 * another executor), or a region of a local file read piece by piece as the segment is
 * validated and decoded, so a segment, however large, never has to be in memory whole: what a
 * reader holds is a message's metadata and one batch body at a time.
 *
 * <p>Threading: one reader's.
 */
public abstract class SegmentSource implements Closeable {
  /** The segment's length in bytes. */
  abstract int length();

  /** {@code length} bytes from {@code position} (within the segment), little-endian, a buffer of their own. */
  abstract ByteBuffer read(int position, int length) throws IOException;

  /** Copies {@code length} bytes from {@code position} into {@code target} from its start. */
  abstract void copyTo(int position, int length, ArrowBuf target) throws IOException;

  /** The bytes of {@code bytes} from its position to its limit, which must not change while they are read. */
  public static SegmentSource of(ByteBuffer bytes) {
    return new InMemory(bytes.slice().order(ByteOrder.LITTLE_ENDIAN));
  }

  /** {@code length} bytes of {@code file} from {@code offset}; close it to close the file. */
  public static SegmentSource ofFile(Path file, long offset, long length) throws IOException {
    if (length > Integer.MAX_VALUE) {
      throw new CorruptShuffleDataException("a segment of " + length + " bytes in " + file
          + " is larger than a segment can be (2 GiB)");
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      if (channel.size() < offset + length) {
        throw new CorruptShuffleDataException("shuffle file " + file + " is shorter (" + channel.size()
            + " bytes) than its segment of " + length + " bytes at " + offset);
      }
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new InFile(file, channel, offset, (int) length);
  }

  private static final class InMemory extends SegmentSource {
    private final ByteBuffer bytes;

    InMemory(ByteBuffer bytes) {
      this.bytes = bytes;
    }

    @Override
    int length() {
      return bytes.limit();
    }

    @Override
    ByteBuffer read(int position, int length) {
      return bytes.slice(position, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    void copyTo(int position, int length, ArrowBuf target) {
      target.setBytes(0, bytes.slice(position, length));
    }

    @Override
    public void close() {}
  }

  private static final class InFile extends SegmentSource {
    private final Path file;
    private final FileChannel channel;
    private final long offset;
    private final int length;

    InFile(Path file, FileChannel channel, long offset, int length) {
      this.file = file;
      this.channel = channel;
      this.offset = offset;
      this.length = length;
    }

    @Override
    int length() {
      return length;
    }

    @Override
    ByteBuffer read(int position, int count) throws IOException {
      ByteBuffer out = ByteBuffer.allocate(count).order(ByteOrder.LITTLE_ENDIAN);
      fill(out, position);
      return out.flip();
    }

    @Override
    void copyTo(int position, int count, ArrowBuf target) throws IOException {
      fill(target.nioBuffer(0, count), position);
    }

    private void fill(ByteBuffer into, int position) throws IOException {
      long at = offset + position;
      while (into.hasRemaining()) {
        int n = channel.read(into, at);
        if (n < 0) {
          throw new CorruptShuffleDataException("shuffle file " + file + " ended at byte " + at
              + ", inside its segment");
        }
        at += n;
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
