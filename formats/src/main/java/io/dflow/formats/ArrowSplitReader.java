package io.dflow.formats;

import io.dflow.api.Encoder;
import io.dflow.api.plan.FileSplit;
import io.dflow.hdfs.BadInputException;
import io.dflow.hdfs.FileSystems;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The record batches of Arrow IPC files in one split: a segment reads the batches whose block
 * starts inside it (the file's footer lists them), loaded as written, into the reader's own
 * vectors. The columns named bind to the encoder's fields; with none named the file must have
 * exactly as many columns.
 */
final class ArrowSplitReader extends ColumnarSplit {
  private final List<FileSplit.Segment> segments;
  private final List<String> columns;
  private final Configuration conf;
  private final BufferAllocator allocator;
  private final int fields;
  private int nextSegment;
  private FileSplit.Segment segment;
  private ArrowFileReader reader;
  private List<ArrowBlock> blocks;
  private int nextBlock;
  private List<FieldVector> vectors;

  ArrowSplitReader(FileSplit split, Encoder<?> encoder, List<String> columns, int fields, Configuration conf,
      BufferAllocator allocator, Runnable progress) {
    super(encoder, progress);
    this.segments = split.segments();
    this.columns = columns;
    this.fields = fields;
    this.conf = conf;
    this.allocator = allocator;
  }

  @Override
  int loadNext() throws IOException {
    while (true) {
      if (reader == null && !openNext()) {
        return -1;
      }
      if (nextBlock < blocks.size()) {
        reader.loadRecordBatch(blocks.get(nextBlock++));
        return reader.getVectorSchemaRoot().getRowCount();
      }
      closeReader();
    }
  }

  @Override
  List<FieldVector> vectors() {
    return vectors;
  }

  private boolean openNext() throws IOException {
    if (nextSegment >= segments.size()) {
      return false;
    }
    segment = segments.get(nextSegment++);
    Path path = new Path(segment.path());
    FileSystem fs = FileSystems.forPath(path, conf);
    long length = fs.getFileStatus(path).getLen();
    ArrowFileReader opened = new ArrowFileReader(
        new SeekableReadChannel(new FsSeekableChannel(fs.open(path), length)), allocator);
    try {
      long end = segment.start() + segment.length();
      List<ArrowBlock> mine = new ArrayList<>();
      for (ArrowBlock block : opened.getRecordBlocks()) {
        if (block.getOffset() >= segment.start() && block.getOffset() < end) {
          mine.add(block);
        }
      }
      VectorSchemaRoot root = opened.getVectorSchemaRoot();
      vectors = bind(root);
      blocks = mine;
      nextBlock = 0;
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw new BadInputException("not an Arrow IPC file, or damaged, or not what the job reads: " + e.getMessage(), e);
    }
    reader = opened;
    return true;
  }

  private List<FieldVector> bind(VectorSchemaRoot root) {
    List<Field> fileFields = root.getSchema().getFields();
    List<FieldVector> chosen = new ArrayList<>();
    if (columns.isEmpty()) {
      if (fileFields.size() != fields) {
        throw new IllegalArgumentException("it has " + fileFields.size() + " columns " + names(fileFields)
            + ", the job's records " + fields + ": name the columns to read");
      }
      chosen.addAll(root.getFieldVectors());
    } else {
      for (String name : columns) {
        FieldVector v = root.getVector(name);
        if (v == null) {
          throw new IllegalArgumentException("it has no column '" + name + "' (its columns: " + names(fileFields) + ")");
        }
        chosen.add(v);
      }
    }
    for (FieldVector v : chosen) {
      if (v.getField().getDictionary() != null) {
        throw new IllegalArgumentException("column '" + v.getName() + "' is dictionary-encoded, which is not read");
      }
    }
    return chosen;
  }

  private static List<String> names(List<Field> fields) {
    return fields.stream().map(Field::getName).toList();
  }

  private void closeReader() throws IOException {
    if (reader != null) {
      ArrowFileReader closing = reader;
      reader = null;
      closing.close();
    }
  }

  @Override
  public String describePosition() {
    return segment == null ? "(not started)"
        : "file " + segment.path() + " record batch " + nextBlock + " (split at byte offset " + segment.start() + ")";
  }

  @Override
  public void close() throws IOException {
    nextSegment = segments.size();
    closeReader();
  }
}
