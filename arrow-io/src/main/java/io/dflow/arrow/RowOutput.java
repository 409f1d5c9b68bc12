package io.dflow.arrow;

import java.util.Arrays;

/**
 * A growable byte array that rows are written into: what a {@link RowCodec} appends to. The
 * array and its length are exposed for copying out without a second buffer. Not thread safe.
 */
public final class RowOutput {
  private byte[] bytes;
  private int length;

  public RowOutput(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  /** The bytes written so far: valid up to {@link #length()}. */
  public byte[] array() {
    return bytes;
  }

  public int length() {
    return length;
  }

  /** Forgets what was written, keeping the array. */
  public void reset() {
    length = 0;
  }

  void ensure(int more) {
    if (length + more > bytes.length) {
      long want = Math.max((long) bytes.length * 2, (long) length + more);
      if (want > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("a row buffer cannot grow past 2 GiB");
      }
      bytes = Arrays.copyOf(bytes, (int) want);
    }
  }

  void writeByte(int b) {
    ensure(1);
    bytes[length++] = (byte) b;
  }

  void writeInt(int v) {
    ensure(4);
    bytes[length] = (byte) (v >>> 24);
    bytes[length + 1] = (byte) (v >>> 16);
    bytes[length + 2] = (byte) (v >>> 8);
    bytes[length + 3] = (byte) v;
    length += 4;
  }

  void writeLong(long v) {
    writeInt((int) (v >>> 32));
    writeInt((int) v);
  }

  /** An unsigned LEB128 number: one byte for lengths under 128. */
  void writeVarInt(int v) {
    while ((v & ~0x7f) != 0) {
      writeByte((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    writeByte(v);
  }

  void writeBytes(byte[] src, int offset, int count) {
    ensure(count);
    System.arraycopy(src, offset, bytes, length, count);
    length += count;
  }
}
