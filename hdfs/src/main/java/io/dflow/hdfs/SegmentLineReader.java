package io.dflow.hdfs;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The lines of one byte range of one file, with Hadoop's ownership rule: a range that does not
 * start at byte 0 skips everything up to and including the first line terminator, and a range
 * reads every line that starts at or before its end. Neighbouring ranges therefore read every
 * line exactly once. Terminators are {@code \n}, {@code \r\n} and a lone {@code \r}.
 *
 * <p>Bytes are scanned in a buffer that grows only while one line is longer than it.
 */
final class SegmentLineReader implements SegmentLines {
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LF_BYTES = 0x0A0A0A0A0A0A0A0AL;
  private static final long CR_BYTES = 0x0D0D0D0D0D0D0D0DL;

  private final String path;
  private final InputStream in;
  private final long start;
  private final long end;
  private final int maxLineBytes;

  private byte[] buf;
  private int pos;
  private int limit;
  private long bufOffset;
  private boolean eof;
  private boolean started;
  private boolean done;
  private long lineStart = -1;

  /** {@code in} must be positioned at {@code start}. */
  SegmentLineReader(String path, InputStream in, long start, long length, int maxLineBytes, int bufferBytes) {
    this.path = path;
    this.in = in;
    this.start = start;
    this.end = start + length;
    this.maxLineBytes = maxLineBytes;
    this.buf = new byte[bufferBytes];
    this.bufOffset = start;
  }

  /** The next line this range owns, without its terminator, in {@code form}, or null at the end. */
  @Override
  public <T> T readLine(TextSplitReader.LineForm<T> form) throws IOException {
    if (!started) {
      started = true;
      done = start != 0 && !skipPartialLine();
    }
    if (done) {
      return null;
    }
    long startOffset = bufOffset + pos;
    if (startOffset > end) {
      done = true;
      return null;
    }
    int scanned = 0;
    while (true) {
      int i = indexOfTerminator(buf, pos + scanned, limit);
      if (i < 0) {
        scanned = limit - pos;
        if (scanned > maxLineBytes) {
          throw tooLong(startOffset);
        }
        if (!fill()) {
          done = true;
          return scanned == 0 ? null : take(form, startOffset, scanned, limit);
        }
        continue;
      }
      int length = i - pos;
      if (length > maxLineBytes) {
        throw tooLong(startOffset);
      }
      if (buf[i] == '\r' && i + 1 == limit) {
        fill(); // to see whether a '\n' follows; moves the line to the buffer's front
        i = pos + length;
      }
      return take(form, startOffset, length, afterTerminator(i));
    }
  }

  /** The byte offset in the file where the line last returned starts, or -1 before the first. */
  @Override
  public long lineStart() {
    return lineStart;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private <T> T take(TextSplitReader.LineForm<T> form, long startOffset, int length, int next) {
    T line = form.of(buf, pos, length);
    lineStart = startOffset;
    pos = next;
    return line;
  }

  /** Consumes the (possibly partial) first line, which the previous range reads. */
  private boolean skipPartialLine() throws IOException {
    while (true) {
      int i = indexOfTerminator(buf, pos, limit);
      if (i < 0) {
        pos = limit;
        if (!fill()) {
          return false;
        }
        continue;
      }
      if (buf[i] == '\r' && i + 1 == limit) {
        pos = i;
        fill();
        i = pos;
      }
      pos = afterTerminator(i);
      return true;
    }
  }

  private int afterTerminator(int i) {
    int next = i + 1;
    if (buf[i] == '\r' && next < limit && buf[next] == '\n') {
      next++;
    }
    return next;
  }

  /** The index of the first {@code \n} or {@code \r} in {@code bytes[from, to)}, or -1. */
  static int indexOfTerminator(byte[] bytes, int from, int to) {
    int i = from;
    // Eight bytes at a time: a byte equal to LF or CR becomes zero after the XOR, and the
    // classic "has a zero byte" test flags it; the lowest flag is always a true match.
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      long found = zeroBytes(word ^ LF_BYTES) | zeroBytes(word ^ CR_BYTES);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        return i;
      }
    }
    return -1;
  }

  private static long zeroBytes(long word) {
    return (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
  }

  /** Moves the unread bytes to the front, grows the buffer if they fill it, and reads more. */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      bufOffset += pos;
      limit -= pos;
      pos = 0;
    }
    if (limit == buf.length) {
      grow();
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    return true;
  }

  private void grow() throws IOException {
    // Room for the longest allowed line plus a CR and the byte after it is always enough.
    long capacity = Math.min(2L * buf.length, (long) maxLineBytes + 2);
    capacity = Math.min(Math.max(capacity, limit + 1L), MAX_ARRAY);
    if (capacity <= limit) {
      throw tooLong(bufOffset);
    }
    buf = Arrays.copyOf(buf, (int) capacity);
  }

  private IOException tooLong(long startOffset) {
    return new BadInputException("Line longer than " + maxLineBytes + " bytes in file " + path
        + " at byte offset " + startOffset + " (raise " + TextSplitReader.MAX_LINE_BYTES_KEY
        + " to allow longer lines)");
  }
}
