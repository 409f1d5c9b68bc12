package io.dflow.hdfs;

import io.dflow.api.plan.FileSplit;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.SplittableCompressionCodec;

/**
 * The text lines of one {@link FileSplit}, segment after segment, without their terminators
 * ({@code \n}, {@code \r\n} or a lone {@code \r}): UTF-8 decoded ({@link #TEXT}) or as their
 * bytes ({@link #BYTES}).
 *
 * <p>A compressed file (its extension names a codec, see {@link Codecs}) is one segment read
 * whole, decompressed, unless its codec can be split (bzip2): then each segment is read from
 * its first compressed block, by Hadoop's own line reader, whose positions are compressed
 * offsets. Each segment of a plain file follows Hadoop's {@code LineRecordReader} rule: a segment not starting at byte
 * 0 leaves its first, partial line to the previous segment, and reads every line starting at or
 * before its end, so a line crossing a boundary is read once, by the segment where it starts.
 * A line longer than the limit ({@value #MAX_LINE_BYTES_KEY}, default 64 MiB) fails with an
 * {@link IOException} naming the file and the byte offset where that line starts.
 *
 * <p>Use {@link #readLine()} directly, or as an {@link Iterator} (which wraps I/O errors in
 * {@link UncheckedIOException}). Not thread safe.
 */
public final class TextSplitReader<T> implements Iterator<T>, Closeable {
  /** How a line's bytes ({@code length} of them from {@code offset}) become a record. */
  @FunctionalInterface
  public interface LineForm<T> {
    T of(byte[] bytes, int offset, int length);
  }

  public static final LineForm<String> TEXT = (b, off, len) -> new String(b, off, len, StandardCharsets.UTF_8);
  public static final LineForm<byte[]> BYTES = (b, off, len) -> Arrays.copyOfRange(b, off, off + len);

  /** The job setting that bounds one line, in bytes. */
  public static final String MAX_LINE_BYTES_KEY = "dflow.input.maxLineBytes";
  public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;
  private static final int BUFFER_BYTES = 128 << 10;

  private final List<FileSplit.Segment> segments;
  private final Configuration conf;
  private final int maxLineBytes;
  private final LineForm<T> form;
  private int nextSegment;
  private SegmentLines current;
  private T pending;
  /** How the current segment counts line offsets, for messages: {@code byte offset}, {@code uncompressed byte offset}, ... */
  private String offsets = "byte offset";
  private String lastPath;
  private long lastLineStart = -1;

  /** Decoded lines, the line limit read from {@value #MAX_LINE_BYTES_KEY} in {@code conf}. */
  public static TextSplitReader<String> text(FileSplit split, Configuration conf) {
    return text(split, conf, conf.getInt(MAX_LINE_BYTES_KEY, DEFAULT_MAX_LINE_BYTES));
  }

  public static TextSplitReader<String> text(FileSplit split, Configuration conf, int maxLineBytes) {
    return new TextSplitReader<>(split, conf, maxLineBytes, TEXT);
  }

  public TextSplitReader(FileSplit split, Configuration conf, int maxLineBytes, LineForm<T> form) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException(MAX_LINE_BYTES_KEY + " must be positive: " + maxLineBytes);
    }
    this.segments = split.segments();
    this.conf = conf;
    this.maxLineBytes = maxLineBytes;
    this.form = form;
  }

  /** The next line, or null when the split is exhausted. */
  public T readLine() throws IOException {
    if (pending != null) {
      T line = pending;
      pending = null;
      return line;
    }
    while (true) {
      if (current == null && !openNext()) {
        return null;
      }
      T line = current.readLine(form);
      if (line != null) {
        lastPath = current.path();
        lastLineStart = current.lineStart();
        return line;
      }
      current.close();
      current = null;
    }
  }

  @Override
  public boolean hasNext() {
    if (pending == null) {
      try {
        pending = readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pending != null;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException("end of split");
    }
    T line = pending;
    pending = null;
    return line;
  }

  /** The file of the line last returned, or null before the first line. */
  public String currentPath() {
    return lastPath;
  }

  /** The byte offset where the line last returned starts in its file, or -1 before the first. */
  public long lineOffset() {
    return lastLineStart;
  }

  /** Where the line last returned came from, for error messages: {@code file F at byte offset N}. */
  public String describePosition() {
    return "file " + lastPath + " at " + offsets + " " + lastLineStart;
  }

  @Override
  public void close() throws IOException {
    nextSegment = segments.size();
    pending = null;
    if (current != null) {
      SegmentLines closing = current;
      current = null;
      closing.close();
    }
  }

  private boolean openNext() throws IOException {
    if (nextSegment >= segments.size()) {
      return false;
    }
    FileSplit.Segment segment = segments.get(nextSegment++);
    Path path = new Path(segment.path());
    FileSystem fs = FileSystems.forPath(path, conf);
    FSDataInputStream in = fs.open(path, BUFFER_BYTES);
    CompressionCodec codec = Codecs.of(segment.path(), conf);
    if (codec instanceof SplittableCompressionCodec) {
      in.close();
      offsets = "compressed byte offset";
      current = new BlockCompressedLines(segment.path(), segment.start(), segment.length(), conf, maxLineBytes);
      return true;
    }
    if (codec != null) {
      if (segment.start() != 0) {
        in.close();
        throw new IOException("A compressed file is read whole, from byte 0, not as " + segment);
      }
      offsets = "uncompressed byte offset";
      current = new SegmentLineReader(segment.path(), Codecs.open(codec, segment.path(), in), 0, Long.MAX_VALUE / 2,
          maxLineBytes, BUFFER_BYTES);
      return true;
    }
    offsets = "byte offset";
    try {
      if (segment.start() > 0) {
        in.seek(segment.start());
      }
    } catch (IOException e) {
      in.close();
      throw new IOException("Cannot seek to byte offset " + segment.start() + " of file " + segment.path(), e);
    }
    current = new SegmentLineReader(segment.path(), in, segment.start(), segment.length(), maxLineBytes, BUFFER_BYTES);
    return true;
  }
}
