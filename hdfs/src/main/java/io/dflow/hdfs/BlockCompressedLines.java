package io.dflow.hdfs;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;

/**
 * The lines of one byte range of a file compressed with a codec that can be split (bzip2), read
 * by Hadoop's own {@link LineRecordReader}: it starts at the first compressed block that begins
 * in the range and owns the lines that start in the blocks of the range, so neighbouring ranges
 * read every line once, exactly as Hadoop's {@code TextInputFormat} cuts such a file. Positions
 * ({@link #lineStart()}) are compressed byte offsets, as Hadoop reports them.
 */
final class BlockCompressedLines implements SegmentLines {
  private final String path;
  private final int maxLineBytes;
  private final LineRecordReader reader = new LineRecordReader();
  private long lineStart = -1;

  BlockCompressedLines(String path, long start, long length, Configuration conf, int maxLineBytes) throws IOException {
    this.path = path;
    this.maxLineBytes = maxLineBytes;
    Configuration own = new Configuration(conf);
    own.setInt(LineRecordReader.MAX_LINE_LENGTH, Integer.MAX_VALUE); // longer lines fail here, not skipped
    try {
      reader.initialize(new FileSplit(new Path(path), start, length, new String[0]),
          new TaskAttemptContextImpl(own, new TaskAttemptID()));
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw new IOException("Cannot read " + path + " from compressed byte offset " + start + ": " + e.getMessage(), e);
    }
  }

  @Override
  public <T> T readLine(TextSplitReader.LineForm<T> form) throws IOException {
    boolean more;
    try {
      more = reader.nextKeyValue();
    } catch (IOException | RuntimeException e) {
      throw new BadInputException("Cannot decompress " + path + " (bzip2): " + e.getMessage() + ", near compressed byte offset "
          + Math.max(0, lineStart), e);
    }
    if (!more) {
      return null;
    }
    lineStart = reader.getCurrentKey().get();
    Text line = reader.getCurrentValue();
    if (line.getLength() > maxLineBytes) {
      throw new BadInputException("Line of " + line.getLength() + " bytes in " + path + " after compressed byte offset "
          + lineStart + " is longer than the limit of " + maxLineBytes + " bytes (raise "
          + TextSplitReader.MAX_LINE_BYTES_KEY + ")");
    }
    return form.of(line.getBytes(), 0, line.getLength());
  }

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
    reader.close();
  }
}
