package io.dflow.formats;

import io.dflow.api.Encoder;
import io.dflow.api.Pair;
import io.dflow.api.plan.FileSplit;
import io.dflow.hdfs.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Writable;

/**
 * The key/value pairs of SequenceFiles in one split, by Hadoop's rule for cutting them: a
 * segment not starting at byte 0 begins at the first sync mark after its start, and reads
 * records until it passes its end and sees a sync mark, so each record is read once. The
 * files' key and value classes must be the Writables of the encoders.
 */
final class SequenceSplitReader implements SplitRecords {
  private final List<FileSplit.Segment> segments;
  private final Configuration conf;
  private final Encoder.Scalar<?> keyType;
  private final Encoder.Scalar<?> valueType;
  private final Writable key;
  private final Writable value;
  private int nextSegment;
  private SequenceFile.Reader reader;
  private FileSplit.Segment segment;
  private long end;
  private Object pending;
  private long recordStart = -1;

  SequenceSplitReader(FileSplit split, Configuration conf, List<Encoder.Scalar<?>> columns) {
    this.segments = split.segments();
    this.conf = conf;
    this.keyType = columns.get(0);
    this.valueType = columns.get(1);
    this.key = Writables.holder(keyType);
    this.value = Writables.holder(valueType);
  }

  @Override
  public boolean hasNext() {
    try {
      while (pending == null) {
        if (reader == null && !openNext()) {
          return false;
        }
        long position = reader.getPosition();
        boolean more = reader.next(key);
        if (more && !(position >= end && reader.syncSeen())) {
          reader.getCurrentValue(value);
          recordStart = position;
          pending = Pair.of(Writables.value(key), Writables.value(value));
        } else {
          reader.close();
          reader = null;
        }
      }
      return true;
    } catch (IOException e) {
      String message = "cannot read SequenceFile " + describePosition() + ": " + e.getMessage();
      throw new UncheckedIOException(e instanceof BadInputException || e instanceof java.io.EOFException
          ? new BadInputException(message, e) : new IOException(message, e));
    }
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException("end of split");
    }
    Object record = pending;
    pending = null;
    return record;
  }

  private boolean openNext() throws IOException {
    if (nextSegment >= segments.size()) {
      return false;
    }
    segment = segments.get(nextSegment++);
    recordStart = segment.start();
    SequenceFile.Reader opened;
    try {
      opened = new SequenceFile.Reader(conf, SequenceFile.Reader.file(new Path(segment.path())));
    } catch (IOException e) {
      throw new BadInputException("not a SequenceFile, or damaged (" + e.getMessage() + ")", e);
    }
    try {
      check(opened.getKeyClassName(), keyType, "keys");
      check(opened.getValueClassName(), valueType, "values");
      end = segment.start() + segment.length();
      if (segment.start() > opened.getPosition()) {
        opened.sync(segment.start());
      }
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
    reader = opened;
    return true;
  }

  private void check(String found, Encoder.Scalar<?> expected, String what) throws IOException {
    String wanted = Writables.classOf(expected).getName();
    if (!found.equals(wanted)) {
      throw new BadInputException("it holds " + what + " of " + found + ", but the job reads them as "
          + expected.describe() + " (" + wanted + ")");
    }
  }

  @Override
  public String describePosition() {
    return segment == null ? "(not started)" : "file " + segment.path() + " at byte offset " + recordStart;
  }

  @Override
  public void close() throws IOException {
    nextSegment = segments.size();
    pending = null;
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
