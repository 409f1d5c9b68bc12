package io.dflow.formats;

import io.dflow.api.Encoder;
import io.dflow.api.plan.FileSplit;
import io.dflow.arrow.BatchLimits;
import io.dflow.hdfs.BadInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The rows of Parquet files in one split, decoded column by column into Arrow vectors, a batch
 * of up to {@link BatchLimits#DEFAULT} rows at a time. A segment reads the row groups whose
 * midpoint lies inside it (Parquet's own rule for splits), and only the columns the source
 * names (all of them, by position, when it names none).
 */
final class ParquetSplitReader extends ColumnarSplit {
  private final List<FileSplit.Segment> segments;
  private final List<String> columns;
  private final List<Encoder.Scalar<?>> fields;
  private final Configuration conf;
  private final BufferAllocator allocator;
  private final int batchRows = BatchLimits.DEFAULT.maxRows();
  private int nextSegment;
  private FileSplit.Segment segment;
  private ParquetFileReader reader;
  private MessageType requested;
  private String createdBy;
  private List<ColumnReader> readers;
  private long rowsLeftInGroup;
  private long rowGroup = -1;
  private List<FieldVector> vectors;

  ParquetSplitReader(FileSplit split, Encoder<?> encoder, List<String> columns, List<Encoder.Scalar<?>> fields,
      Configuration conf, BufferAllocator allocator, Runnable progress) {
    super(encoder, progress);
    this.segments = split.segments();
    this.columns = columns;
    this.fields = fields;
    this.conf = conf;
    this.allocator = allocator;
  }

  @Override
  int loadNext() throws IOException {
    while (rowsLeftInGroup == 0) {
      if (reader == null && !openNext()) {
        return -1;
      }
      PageReadStore group = reader.readNextRowGroup();
      if (group == null) {
        closeReader();
        continue;
      }
      rowGroup++;
      ColumnReadStoreImpl store = new ColumnReadStoreImpl(group,
          new DummyRecordConverter(requested).getRootConverter(), requested, createdBy);
      readers = new ArrayList<>();
      for (int i = 0; i < requested.getFieldCount(); i++) {
        readers.add(store.getColumnReader(requested.getColumns().get(i)));
      }
      rowsLeftInGroup = group.getRowCount();
    }
    int n = (int) Math.min(batchRows, rowsLeftInGroup);
    for (int i = 0; i < vectors.size(); i++) {
      fill(vectors.get(i), readers.get(i), n);
    }
    rowsLeftInGroup -= n;
    return n;
  }

  @Override
  List<FieldVector> vectors() {
    return vectors;
  }

  /** Decodes the next {@code n} values of one column into its vector. */
  private static void fill(FieldVector vector, ColumnReader column, int n) {
    int defined = column.getDescriptor().getMaxDefinitionLevel();
    vector.clear();
    if (vector instanceof BaseVariableWidthVector) {
      vector.allocateNew();
    } else {
      vector.setInitialCapacity(n);
      vector.allocateNew();
    }
    for (int row = 0; row < n; row++) {
      if (column.getCurrentDefinitionLevel() < defined) {
        vector.setNull(row);
      } else if (vector instanceof BigIntVector v) {
        v.set(row, column.getLong());
      } else if (vector instanceof IntVector v) {
        v.set(row, column.getInteger());
      } else if (vector instanceof Float8Vector v) {
        v.set(row, column.getDouble());
      } else if (vector instanceof BitVector v) {
        v.set(row, column.getBoolean() ? 1 : 0);
      } else {
        Binary b = column.getBinary();
        byte[] bytes = b.getBytesUnsafe();
        if (vector instanceof VarCharVector v) {
          v.setSafe(row, bytes, 0, bytes.length);
        } else {
          ((VarBinaryVector) vector).setSafe(row, bytes, 0, bytes.length);
        }
      }
      column.consume();
    }
    vector.setValueCount(n);
  }

  private boolean openNext() throws IOException {
    if (nextSegment >= segments.size()) {
      return false;
    }
    segment = segments.get(nextSegment++);
    rowGroup = -1;
    Path path = new Path(segment.path());
    ParquetFileReader opened;
    try {
      opened = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf),
          HadoopReadOptions.builder(conf, path).withRange(segment.start(), segment.start() + segment.length()).build());
    } catch (IOException | RuntimeException e) {
      throw new BadInputException("not a Parquet file, or damaged (" + e.getMessage() + ")", e);
    }
    try {
      MessageType file = opened.getFooter().getFileMetaData().getSchema();
      createdBy = opened.getFooter().getFileMetaData().getCreatedBy();
      requested = project(file);
      opened.setRequestedSchema(requested);
      if (vectors == null) {
        vectors = newVectors(requested);
      }
    } catch (RuntimeException e) {
      opened.close();
      throw new BadInputException(e.getMessage(), e);
    }
    reader = opened;
    return true;
  }

  /** The file's columns the job reads, checked against the encoder's fields. */
  private MessageType project(MessageType file) {
    List<Type> chosen = new ArrayList<>();
    if (columns.isEmpty()) {
      if (file.getFieldCount() != fields.size()) {
        throw new IllegalArgumentException("it has " + file.getFieldCount() + " columns " + names(file)
            + ", the job's records " + fields.size() + ": name the columns to read");
      }
      chosen.addAll(file.getFields());
    } else {
      for (String name : columns) {
        if (!file.containsField(name)) {
          throw new IllegalArgumentException("it has no column '" + name + "' (its columns: " + names(file) + ")");
        }
        chosen.add(file.getType(name));
      }
    }
    for (int i = 0; i < chosen.size(); i++) {
      String why = ParquetTypes.mismatch(chosen.get(i), fields.get(i));
      if (why != null) {
        throw new IllegalArgumentException(why);
      }
    }
    return new MessageType(file.getName(), chosen);
  }

  private List<FieldVector> newVectors(MessageType schema) {
    List<FieldVector> made = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      String name = schema.getType(i).getName();
      made.add(switch (fields.get(i).kind()) {
        case STRING -> new VarCharVector(name, allocator);
        case LONG -> new BigIntVector(name, allocator);
        case INT -> new IntVector(name, allocator);
        case DOUBLE -> new Float8Vector(name, allocator);
        case BOOLEAN -> new BitVector(name, allocator);
        case BYTES -> new VarBinaryVector(name, allocator);
      });
    }
    return made;
  }

  private static List<String> names(MessageType schema) {
    return schema.getFields().stream().map(Type::getName).toList();
  }

  private void closeReader() throws IOException {
    rowsLeftInGroup = 0;
    if (reader != null) {
      ParquetFileReader closing = reader;
      reader = null;
      closing.close();
    }
  }

  @Override
  public String describePosition() {
    return segment == null ? "(not started)" : "file " + segment.path() + " row group " + Math.max(rowGroup, 0)
        + " of the split at byte offset " + segment.start();
  }

  @Override
  public void close() throws IOException {
    nextSegment = segments.size();
    closeReader();
    if (vectors != null) {
      vectors.forEach(FieldVector::close);
      vectors = null;
    }
  }
}
