package io.dflow.formats;

import io.dflow.api.Encoder;
import io.dflow.api.plan.FileSplit;
import io.dflow.arrow.BatchLimits;
import io.dflow.hdfs.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * The rows of Parquet files in one split, decoded column by column into Arrow vectors, a batch
 * of up to {@link BatchLimits#DEFAULT} rows at a time: columns of 8- and 4-byte numbers page by
 * page into the vectors' buffers, the others a value at a time through Parquet's column reader. A segment reads the row groups whose
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
  private List<ColumnDecoder> decoders;
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
      decoders = new ArrayList<>();
      ColumnReadStoreImpl store = null;
      for (ColumnDescriptor column : requested.getColumns()) {
        if (FixedWidthPages.reads(column)) {
          decoders.add(new FixedWidthPages(column, group.getPageReader(column)));
        } else {
          if (store == null) {
            store = new ColumnReadStoreImpl(group, new DummyRecordConverter(requested).getRootConverter(),
                requested, createdBy);
          }
          ColumnReader values = store.getColumnReader(column);
          decoders.add((vector, n) -> fill(vector, values, n));
        }
      }
      rowsLeftInGroup = group.getRowCount();
    }
    int n = (int) Math.min(batchRows, rowsLeftInGroup);
    for (int i = 0; i < vectors.size(); i++) {
      FieldVector vector = vectors.get(i);
      vector.clear();
      if (!(vector instanceof BaseVariableWidthVector)) {
        vector.setInitialCapacity(n);
      }
      vector.allocateNew();
      decoders.get(i).decode(vector, n);
      vector.setValueCount(n);
    }
    rowsLeftInGroup -= n;
    return n;
  }

  @Override
  List<FieldVector> vectors() {
    return vectors;
  }

  /** Decodes the next {@code n} values of one column into its vector, a value at a time through Parquet's reader. */
  private static void fill(FieldVector vector, ColumnReader column, int n) {
    int defined = column.getDescriptor().getMaxDefinitionLevel();
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

  /** How one column's values reach its vector, batch after batch of a row group. */
  @FunctionalInterface
  private interface ColumnDecoder {
    /** Decodes the next {@code n} rows into {@code vector}, allocated for them with all rows null. */
    void decode(FieldVector vector, int n) throws IOException;
  }

  /**
   * A column of 8- or 4-byte values (INT64, DOUBLE, INT32) decoded page by page straight into the
   * vector's buffers, without Parquet's per-value reader: a plain page without nulls is copied
   * into the data buffer as it is (both are little-endian words), other plain pages are read a
   * word at a time, dictionary pages through the dictionary, other encodings through Parquet's
   * values reader. Flat columns only (no repetition levels); definition levels mark the nulls.
   */
  private static final class FixedWidthPages implements ColumnDecoder {
    private final ColumnDescriptor column;
    private final PageReader pages;
    private final PrimitiveTypeName type;
    private final int maxDefinition;
    private final Dictionary dictionary;
    private int leftInPage;
    private DefinitionLevels levels;
    private ByteBuffer plain;  // the values of a plain page, else null
    private ValuesReader values;  // the values of any other page
    private boolean dictionaryPage;
    private boolean copyPlain;  // a plain page without nulls: its bytes are the vector's, copied as they are

    FixedWidthPages(ColumnDescriptor column, PageReader pages) throws IOException {
      this.column = column;
      this.pages = pages;
      this.type = column.getPrimitiveType().getPrimitiveTypeName();
      this.maxDefinition = column.getMaxDefinitionLevel();
      DictionaryPage page = pages.readDictionaryPage();
      this.dictionary = page == null ? null : page.getEncoding().initDictionary(column, page);
    }

    /** Whether {@code column} is one this class decodes. */
    static boolean reads(ColumnDescriptor column) {
      PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
      return column.getMaxRepetitionLevel() == 0
          && (type == PrimitiveTypeName.INT64 || type == PrimitiveTypeName.DOUBLE || type == PrimitiveTypeName.INT32);
    }

    @Override
    public void decode(FieldVector vector, int n) throws IOException {
      ArrowBuf data = vector.getDataBuffer();
      ArrowBuf validity = vector.getValidityBuffer();
      boolean wide = type != PrimitiveTypeName.INT32;
      int width = wide ? 8 : 4;
      int row = 0;
      while (row < n) {
        if (leftInPage == 0) {
          nextPage();
        }
        int end = row + Math.min(n - row, leftInPage);
        leftInPage -= end - row;
        if (copyPlain) {
          int bytes = (end - row) * width;
          data.setBytes((long) row * width, plain, plain.position(), bytes);
          plain.position(plain.position() + bytes);
          setDefined(validity, row, end);
          row = end;
          continue;
        }
        for (; row < end; row++) {
          if (maxDefinition != 0 && levels.next() < maxDefinition) {
            continue;  // null: the validity bit stays 0
          }
          BitVectorHelper.setBit(validity, row);
          if (wide) {
            data.setLong((long) row << 3, nextWide());
          } else {
            data.setInt((long) row << 2, nextInt());
          }
        }
      }
    }

    /** Marks rows {@code from} to {@code to} (exclusive) as not null, whole bytes at a time. */
    private static void setDefined(ArrowBuf validity, int from, int to) {
      int row = from;
      for (; row < to && (row & 7) != 0; row++) {
        BitVectorHelper.setBit(validity, row);
      }
      int bytes = (to - row) >>> 3;
      if (bytes > 0) {
        validity.setOne((long) (row >>> 3), bytes);
        row += bytes << 3;
      }
      for (; row < to; row++) {
        BitVectorHelper.setBit(validity, row);
      }
    }

    /** The next INT64, or the bits of the next DOUBLE. */
    private long nextWide() {
      if (plain != null) {
        return plain.getLong();
      }
      return type == PrimitiveTypeName.INT64 ? nextLongValue() : Double.doubleToRawLongBits(nextDoubleValue());
    }

    private long nextLongValue() {
      return dictionaryPage ? dictionary.decodeToLong(values.readValueDictionaryId()) : values.readLong();
    }

    private double nextDoubleValue() {
      return dictionaryPage ? dictionary.decodeToDouble(values.readValueDictionaryId()) : values.readDouble();
    }

    private int nextInt() {
      if (plain != null) {
        return plain.getInt();
      }
      return dictionaryPage ? dictionary.decodeToInt(values.readValueDictionaryId()) : values.readInteger();
    }

    private void nextPage() throws IOException {
      DataPage page = pages.readPage();
      if (page == null) {
        throw new IOException("column '" + String.join(".", column.getPath()) + "' has fewer values than its row group's rows");
      }
      leftInPage = page.getValueCount();
      Encoding encoding;
      ByteBufferInputStream in;
      if (page instanceof DataPageV1 v1) {
        in = v1.getBytes().toInputStream();
        v1.getRlEncoding().getValuesReader(column, ValuesType.REPETITION_LEVEL).initFromPage(leftInPage, in);
        ValuesReader definition = v1.getDlEncoding().getValuesReader(column, ValuesType.DEFINITION_LEVEL);
        definition.initFromPage(leftInPage, in);
        levels = definition::readInteger;
        encoding = v1.getValueEncoding();
      } else {
        DataPageV2 v2 = (DataPageV2) page;
        if (maxDefinition != 0) {
          RunLengthBitPackingHybridDecoder decoder = new RunLengthBitPackingHybridDecoder(
              BytesUtils.getWidthFromMaxInt(maxDefinition), v2.getDefinitionLevels().toInputStream());
          levels = decoder::readInt;
        }
        in = v2.getData().toInputStream();
        encoding = v2.getDataEncoding();
      }
      plain = null;
      values = null;
      copyPlain = false;
      dictionaryPage = encoding.usesDictionary();
      if (dictionaryPage) {
        if (dictionary == null) {
          throw new IOException("column '" + String.join(".", column.getPath()) + "' has dictionary-encoded pages but no dictionary");
        }
        values = encoding.getDictionaryBasedValuesReader(column, ValuesType.VALUES, dictionary);
        values.initFromPage(leftInPage, in);
      } else if (encoding == Encoding.PLAIN) {
        plain = in.slice(in.available()).order(ByteOrder.LITTLE_ENDIAN);
        // A plain page holds one value per row that is not null: as many values as rows, no nulls.
        int width = type == PrimitiveTypeName.INT32 ? 4 : 8;
        copyPlain = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && plain.remaining() == (long) leftInPage * width;
      } else {
        values = encoding.getValuesReader(column, ValuesType.VALUES);
        values.initFromPage(leftInPage, in);
      }
    }
  }

  /** The definition level of each row of a page, in order. */
  @FunctionalInterface
  private interface DefinitionLevels {
    int next() throws IOException;
  }
}
