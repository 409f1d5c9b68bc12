package io.dflow.formats;

import static org.apache.hadoop.fs.CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_DEFAULT;
import static org.apache.hadoop.fs.CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_KEY;

import io.dflow.api.Encoder;
import io.dflow.api.Pair;
import io.dflow.api.io.Columns;
import io.dflow.hdfs.PartFormat;
import io.dflow.hdfs.PartWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Parquet part files ({@code .parquet}, Snappy-compressed as Spark writes them by default) of
 * the encoder's columns ({@code value}, or {@code key} and {@code value}, see {@link Columns}).
 */
record ParquetPartFormat(Encoder<?> encoder) implements PartFormat {
  @Override
  public String extension() {
    return ".parquet";
  }

  @Override
  public PartWriter create(FileSystem fs, Path file, Configuration conf) throws IOException {
    List<Encoder.Scalar<?>> fields = Columns.requireScalars("saveAsParquetFile", encoder);
    List<String> names = Columns.defaultNames(encoder);
    List<Type> types = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      types.add(ParquetTypes.column(names.get(i), fields.get(i)));
    }
    MessageType schema = new MessageType("dflow", types);
    ParquetWriter<Object> writer = new Builder(new PartFile(fs, fs.makeQualified(file)), schema)
        .withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .build();
    return new PartWriter() {
      @Override
      public void write(Object record) throws IOException {
        writer.write(record);
      }

      @Override
      public void close() throws IOException {
        writer.close();
      }
    };
  }

  private static final class Builder extends ParquetWriter.Builder<Object, Builder> {
    private final MessageType schema;

    Builder(org.apache.parquet.io.OutputFile file, MessageType schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Object> getWriteSupport(Configuration conf) {
      return new RecordWriteSupport(schema);
    }
  }

  /** Writes a scalar record as its one column, a pair as its key and value columns; a null leaves a column unset. */
  private static final class RecordWriteSupport extends WriteSupport<Object> {
    private final MessageType schema;
    private RecordConsumer out;

    RecordWriteSupport(MessageType schema) {
      this.schema = schema;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(Object record) {
      out.startMessage();
      if (schema.getFieldCount() == 1) {
        field(0, record);
      } else {
        Pair<?, ?> pair = (Pair<?, ?>) record;
        field(0, pair.key());
        field(1, pair.value());
      }
      out.endMessage();
    }

    private void field(int index, Object value) {
      if (value == null) {
        return;
      }
      String name = schema.getType(index).getName();
      out.startField(name, index);
      switch (schema.getType(index).asPrimitiveType().getPrimitiveTypeName()) {
        case INT64 -> out.addLong((Long) value);
        case INT32 -> out.addInteger((Integer) value);
        case DOUBLE -> out.addDouble((Double) value);
        case BOOLEAN -> out.addBoolean((Boolean) value);
        default -> out.addBinary(value instanceof String s ? Binary.fromString(s) : Binary.fromConstantByteArray((byte[]) value));
      }
      out.endField(name, index);
    }
  }
  /**
   * The part file, created through the file system the writer is given (which may refuse to
   * make missing folders), not through the one its path would look up.
   */
  private record PartFile(FileSystem fs, Path file) implements OutputFile {
    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      return open(false, blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      return open(true, blockSizeHint);
    }

    private PositionOutputStream open(boolean overwrite, long blockSizeHint) throws IOException {
      return HadoopStreams.wrap(fs.create(file, overwrite, fs.getConf().getInt(IO_FILE_BUFFER_SIZE_KEY, IO_FILE_BUFFER_SIZE_DEFAULT),
          fs.getDefaultReplication(file), Math.max(fs.getDefaultBlockSize(file), blockSizeHint)));
    }

    @Override
    public boolean supportsBlockSize() {
      return true;
    }

    @Override
    public long defaultBlockSize() {
      return fs.getDefaultBlockSize(file);
    }

    @Override
    public String getPath() {
      return file.toString();
    }
  }
}
