package io.dflow.arrow;

/**
 * Reads rows back from a byte array region, checking every read against the region's end: a
 * damaged spill block fails with a {@link CorruptShuffleDataException}, not an
 * {@code ArrayIndexOutOfBoundsException} or a huge allocation. Not thread safe.
 */
public final class RowInput {
  private byte[] bytes;
  private int position;
  private int limit;

  public RowInput() {}

  /** Reads {@code bytes[from .. to)} next. */
  public RowInput reset(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.position = from;
    this.limit = to;
    return this;
  }

  public boolean hasMore() {
    return position < limit;
  }

  public int position() {
    return position;
  }

  private void need(int n) throws CorruptShuffleDataException {
    if (n < 0 || limit - position < n) {
      throw new CorruptShuffleDataException("a row runs past the end of its block: " + n
          + " bytes wanted at offset " + position + ", " + (limit - position) + " left");
    }
  }

  int readByte() throws CorruptShuffleDataException {
    need(1);
    return bytes[position++] & 0xff;
  }

  int readInt() throws CorruptShuffleDataException {
    need(4);
    int v = (bytes[position] & 0xff) << 24 | (bytes[position + 1] & 0xff) << 16
        | (bytes[position + 2] & 0xff) << 8 | (bytes[position + 3] & 0xff);
    position += 4;
    return v;
  }

  long readLong() throws CorruptShuffleDataException {
    return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
  }

  int readVarInt() throws CorruptShuffleDataException {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      v |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0) {
          throw new CorruptShuffleDataException("a negative length in a row at offset " + position);
        }
        return v;
      }
    }
    throw new CorruptShuffleDataException("an over-long number in a row at offset " + position);
  }

  /** {@code n} bytes, as a region of the backing array: valid until the next {@link #reset}. */
  int skip(int n) throws CorruptShuffleDataException {
    need(n);
    int at = position;
    position += n;
    return at;
  }

  byte[] array() {
    return bytes;
  }
}
