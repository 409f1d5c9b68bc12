package io.dflow.arrow;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a sorted run of records to a local spill file: rows ({@link RowCodec}) in blocks of about
 * {@value #BLOCK_BYTES} raw bytes, each compressed (or stored raw when it does not compress, see
 * {@link CompressionSkips}) and checksummed:
 * {@code storedLength:int32 | rawLength:int32 | crc32c(rawLength, codec, stored):int32 | codec:int8 | stored bytes}.
 * Partitions come in increasing order, each starting a block, so a reader can start at any.
 * A writer that fails or is closed before {@link #finish} deletes its file.
 */
public final class RunWriter implements Closeable {
  static final int BLOCK_BYTES = 64 << 10;
  static final int HEADER_BYTES = 13;

  private final Path file;
  private final FileChannel channel;
  private final RowCodec codec;
  private final Compression compression;
  private final long[] offsets;
  private final long[] records;
  private final RowOutput block = new RowOutput(BLOCK_BYTES + 1024);
  private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
  private final CRC32C crc = new CRC32C();
  private final int[] compressedLength = new int[1];
  private byte[] compressed = new byte[0];
  /** Blocks that did not compress lately are stored raw, untried, for a while. */
  private final CompressionSkips skips = new CompressionSkips();
  private int partition = -1;
  private long position;
  private long rawBytes;
  private boolean finished;

  public RunWriter(Path file, RowCodec codec, Compression compression, int numPartitions) throws IOException {
    this.file = file;
    this.codec = codec;
    this.compression = compression;
    this.offsets = new long[numPartitions + 1];
    this.records = new long[numPartitions];
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /** Starts partition {@code p}: every later record belongs to it. Partitions only go up. */
  public void startPartition(int p) throws IOException {
    if (p < partition || p >= records.length) {
      throw new IllegalArgumentException("partition " + p + " after " + partition + " of " + records.length);
    }
    flush();
    while (partition < p) {
      partition++;
      offsets[partition] = position;
    }
  }

  public void write(Object record) throws IOException {
    if (partition < 0) {
      throw new IllegalStateException("no partition started");
    }
    rawBytes += codec.write(record, block);
    records[partition]++;
    if (block.length() >= BLOCK_BYTES) {
      flush();
    }
  }

  /** Writes a record already in the row layout: {@code row[offset .. offset + length)}. */
  public void writeRow(byte[] row, int offset, int length) throws IOException {
    if (partition < 0) {
      throw new IllegalStateException("no partition started");
    }
    block.writeBytes(row, offset, length);
    rawBytes += length;
    records[partition]++;
    if (block.length() >= BLOCK_BYTES) {
      flush();
    }
  }

  private void flush() throws IOException {
    if (block.length() == 0) {
      return;
    }
    Compression used = Compression.NONE;
    byte[] bytes = block.array();
    int stored = block.length();
    if (compression != Compression.NONE && skips.worthTrying(0)) {
      compressed = compression.compress(block.array(), block.length(), compressed, compressedLength);
      skips.tried(0, block.length(), compressedLength[0]);
      if (compressedLength[0] < block.length()) { // else stored as it is: never larger than raw
        used = compression;
        bytes = compressed;
        stored = compressedLength[0];
      }
    }
    header.clear();
    header.putInt(stored).putInt(block.length()).putInt(0).put(used.id());
    crc.reset();
    crc.update(header.array(), 4, 4); // the raw length and codec too: a damaged one must not size a buffer
    crc.update(header.array(), 12, 1);
    crc.update(bytes, 0, stored);
    header.putInt(8, (int) crc.getValue()).flip();
    writeFully(header);
    writeFully(ByteBuffer.wrap(bytes, 0, stored));
    position += HEADER_BYTES + stored;
    block.reset();
  }

  private void writeFully(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  /** Flushes the last block and closes the file; the run is readable from now on. */
  public Run finish() throws IOException {
    flush();
    while (partition < records.length - 1) {
      partition++;
      offsets[partition] = position;
    }
    offsets[records.length] = position;
    channel.close();
    finished = true;
    return new Run(file, offsets.clone(), records.clone(), rawBytes);
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      channel.close();
      Files.deleteIfExists(file);
    }
  }
}
