package io.dflow.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.api.plan.FileFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/** Arrow IPC files written by Arrow's own writer read by split and column, and dflow's part files read by Arrow's reader. */
class ArrowFileFormatTest extends FormatTestBase {
  private static final int BATCH = 1000;

  /** Writes {@code batches} batches of (word utf8, n int64, x double) with Arrow's file writer; returns (word, n) pairs. */
  private List<Object> writeWithArrow(Path file, int batches) throws IOException {
    Schema schema = new Schema(List.of(
        Field.nullable("word", ArrowType.Utf8.INSTANCE),
        Field.nullable("n", new ArrowType.Int(64, true)),
        Field.nullable("x", new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE))));
    List<Object> expected = new ArrayList<>();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
      writer.start();
      VarCharVector word = (VarCharVector) root.getVector("word");
      BigIntVector n = (BigIntVector) root.getVector("n");
      Float8Vector x = (Float8Vector) root.getVector("x");
      int i = 0;
      for (int b = 0; b < batches; b++) {
        word.allocateNew();
        n.allocateNew(BATCH);
        x.allocateNew(BATCH);
        for (int row = 0; row < BATCH; row++, i++) {
          String w = "w" + (i % 37);
          word.setSafe(row, w.getBytes(StandardCharsets.UTF_8));
          if (i % 11 == 0) {
            n.setNull(row);
          } else {
            n.set(row, i);
          }
          x.set(row, i / 2.0);
          expected.add(Pair.of(w, i % 11 == 0 ? null : (long) i));
        }
        root.setRowCount(BATCH);
        writer.writeBatch();
      }
      writer.end();
    }
    return expected;
  }

  @Test
  void namedColumnsAreReadOnceWhereverTheFileIsCut() throws IOException {
    Path file = dir.resolve("in.arrow");
    List<Object> expected = writeWithArrow(file, 5);
    FileFormat format = new FileFormat.Arrow(List.of("word", "n"));
    long length = Files.size(file);
    for (long cut = 1; cut < length; cut += length / 13) {
      assertEquals(expected, readCut(format, Encoders.pairs(Encoders.strings(), Encoders.longs()), file, cut),
          "cut at " + cut);
    }
  }

  @Test
  void batchesAreGivenAsRead() throws IOException {
    Path file = dir.resolve("in.arrow");
    writeWithArrow(file, 3);
    double sum = 0;
    int batches = 0;
    try (SplitRecords records = FormatReaders.open(new FileFormat.Arrow(List.of("x")), Encoders.doubles(),
        split(file, 0, Files.size(file)), conf, 1 << 20, allocator, () -> { })) {
      ColumnarSplit columnar = (ColumnarSplit) records;
      for (VectorSchemaRoot batch = columnar.nextBatch(); batch != null; batch = columnar.nextBatch()) {
        batches++;
        assertEquals(List.of("x"), batch.getSchema().getFields().stream().map(Field::getName).toList());
        Float8Vector x = (Float8Vector) batch.getVector(0);
        for (int row = 0; row < batch.getRowCount(); row++) {
          sum += x.get(row);
        }
      }
    }
    assertEquals(3, batches);
    assertEquals((3 * BATCH - 1) * (3 * BATCH) / 4.0, sum, 1e-6);
  }

  @Test
  void aColumnOfAnotherTypeOrNameFailsNamingIt() throws IOException {
    Path file = dir.resolve("in.arrow");
    writeWithArrow(file, 1);
    UncheckedIOException wrongType = assertThrows(UncheckedIOException.class, () ->
        read(new FileFormat.Arrow(List.of("x")), Encoders.longs(), split(file, 0, Files.size(file))));
    assertTrue(wrongType.getCause().getMessage().contains("column 'x'")
        && wrongType.getCause().getMessage().contains("long"), wrongType.getCause().getMessage());
    UncheckedIOException missing = assertThrows(UncheckedIOException.class, () ->
        read(new FileFormat.Arrow(List.of("nope")), Encoders.longs(), split(file, 0, Files.size(file))));
    assertTrue(missing.getCause().getMessage().contains("no column 'nope'")
        && missing.getCause().getMessage().contains("in.arrow"), missing.getCause().getMessage());
  }

  @Test
  void aTruncatedFileFailsNamingIt() throws IOException {
    Path file = dir.resolve("in.arrow");
    writeWithArrow(file, 2);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.arrow");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () ->
        read(new FileFormat.Arrow(List.of("n")), Encoders.longs(), split(cut, 0, Files.size(cut))));
    assertTrue(e.getCause().getMessage().contains("cut.arrow"), e.getCause().getMessage());
  }

  @Test
  void partFilesAreReadByArrowsReader() throws IOException {
    Path file = dir.resolve("part-00000.arrow");
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      records.add(Pair.of("k" + (i % 100), i % 7 == 0 ? null : (double) i));
    }
    write(new FileFormat.Arrow(List.of()), Encoders.pairs(Encoders.strings(), Encoders.doubles()), file, records);
    List<Object> back = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file);
        ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      assertEquals(List.of("key", "value"), root.getSchema().getFields().stream().map(Field::getName).toList());
      for (ArrowBlock block : reader.getRecordBlocks()) {
        reader.loadRecordBatch(block);
        VarCharVector k = (VarCharVector) root.getVector("key");
        Float8Vector v = (Float8Vector) root.getVector("value");
        for (int row = 0; row < root.getRowCount(); row++) {
          back.add(Pair.of(new String(k.get(row), StandardCharsets.UTF_8), v.isNull(row) ? null : v.get(row)));
        }
      }
      assertTrue(reader.getRecordBlocks().size() > 1, "several batches");
    }
    assertEquals(records, back);
  }
}
