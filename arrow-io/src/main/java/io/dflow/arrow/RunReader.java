package io.dflow.arrow;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * Reads the records of one partition of a {@link Run} back, a block at a time, checking each
 * block's length, checksum and codec before it is decompressed. A damaged block fails with a
 * {@link CorruptShuffleDataException} naming the file and the block's offset (wrapped in an
 * {@link UncheckedIOException} by {@link #next()}). Close it to release the file.
 */
public final class RunReader implements Iterator<Object>, Closeable {
  /** Largest raw block accepted: a row larger than a block still makes one block of its own. */
  static final int MAX_BLOCK_BYTES = Integer.MAX_VALUE - 8;

  private final Run run;
  private final RowCodec codec;
  private final FileChannel channel;
  private final long end;
  private final ByteBuffer header = ByteBuffer.allocate(RunWriter.HEADER_BYTES);
  private final CRC32C crc = new CRC32C();
  private final RowInput rows = new RowInput();
  private byte[] stored = new byte[0];
  private byte[] raw = new byte[0];
  private long position;
  private long left;

  public RunReader(Run run, int partition, RowCodec codec) throws IOException {
    this.run = run;
    this.codec = codec;
    this.position = run.offsets()[partition];
    this.end = run.offsets()[partition + 1];
    this.left = run.records()[partition];
    this.channel = FileChannel.open(run.file(), StandardOpenOption.READ);
    rows.reset(raw, 0, 0);
  }

  @Override
  public boolean hasNext() {
    return left > 0;
  }

  @Override
  public Object next() {
    if (left == 0) {
      throw new NoSuchElementException();
    }
    try {
      if (!rows.hasMore()) {
        readBlock();
      }
      left--;
      return codec.read(rows);
    } catch (CorruptShuffleDataException e) {
      throw new UncheckedIOException(new CorruptShuffleDataException("spill file " + run.file() + ", the block before byte "
          + position + ": " + e.getMessage(), e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readBlock() throws IOException {
    long at = position;
    if (end - at < RunWriter.HEADER_BYTES) {
      throw new CorruptShuffleDataException("spill file " + run.file() + " ends at byte " + at + " with records missing");
    }
    header.clear();
    readFully(header, at);
    header.flip();
    int storedLength = header.getInt();
    int rawLength = header.getInt();
    int checksum = header.getInt();
    Compression compression = Compression.ofId(header.get());
    if (storedLength < 0 || rawLength <= 0 || rawLength > MAX_BLOCK_BYTES
        || storedLength > end - at - RunWriter.HEADER_BYTES) {
      throw new CorruptShuffleDataException("spill file " + run.file() + ": a block at byte " + at + " claims "
          + storedLength + " stored and " + rawLength + " raw bytes");
    }
    if (stored.length < storedLength) {
      stored = new byte[storedLength];
    }
    readFully(ByteBuffer.wrap(stored, 0, storedLength), at + RunWriter.HEADER_BYTES);
    crc.reset();
    crc.update(header.array(), 4, 4);
    crc.update(header.array(), 12, 1);
    crc.update(stored, 0, storedLength);
    if ((int) crc.getValue() != checksum) {
      throw new CorruptShuffleDataException("spill file " + run.file() + ": the block at byte " + at
          + " fails its checksum");
    }
    if (raw.length < rawLength) {
      raw = new byte[rawLength];
    }
    compression.decompress(stored, storedLength, raw, rawLength);
    rows.reset(raw, 0, rawLength);
    position = at + RunWriter.HEADER_BYTES + storedLength;
  }

  private void readFully(ByteBuffer buf, long at) throws IOException {
    long p = at;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, p);
      if (n < 0) {
        throw new CorruptShuffleDataException("spill file " + run.file() + " is shorter than its index says (byte " + p + ")");
      }
      p += n;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
