package io.dflow.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.api.plan.FileFormat;
import io.dflow.api.plan.FileSplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

/** Parquet files written by parquet-hadoop's example writer read by split and column, and dflow's part files read by its reader. */
class ParquetFileFormatTest extends FormatTestBase {
  private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
      "message m { required int64 id; optional binary name (UTF8); optional double score; required int32 small; }");

  /** Rows (id, name, score, small) with small row groups; returns (name, id) pairs. */
  private List<Object> writeWithParquet(Path file, int rows) throws IOException {
    List<Object> expected = new ArrayList<>();
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
        .withConf(conf).withType(SCHEMA).withRowGroupSize(64 << 10).withPageSize(8 << 10).build()) {
      for (int i = 0; i < rows; i++) {
        Group g = groups.newGroup().append("id", (long) i).append("small", i % 100);
        String name = i % 13 == 0 ? null : "name-" + (i % 500) + "-" + "y".repeat(i % 30);
        if (name != null) {
          g.append("name", name);
        }
        if (i % 5 != 0) {
          g.append("score", i * 0.5);
        }
        writer.write(g);
        expected.add(Pair.of(name, (long) i));
      }
    }
    return expected;
  }

  private int rowGroups(Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))) {
      return r.getRowGroups().size();
    }
  }

  @Test
  void projectedColumnsAreReadOnceWhereverTheFileIsCut() throws IOException {
    Path file = dir.resolve("in.parquet");
    List<Object> expected = writeWithParquet(file, 40_000);
    assertTrue(rowGroups(file) >= 4, "several row groups: " + rowGroups(file));
    FileFormat format = new FileFormat.Parquet(List.of("name", "id"));
    long length = Files.size(file);
    for (long cut = 1; cut < length; cut += length / 7) {
      assertEquals(expected, readCut(format, Encoders.pairs(Encoders.strings(), Encoders.longs()), file, cut,
          Math.min(length - 1, cut + length / 5)), "cut at " + cut);
    }
  }

  @Test
  void batchesOfOneColumnSumExactly() throws IOException {
    Path file = dir.resolve("in.parquet");
    int n = 30_000;
    writeWithParquet(file, n);
    long sum = 0;
    try (SplitRecords records = FormatReaders.open(new FileFormat.Parquet(List.of("id")), Encoders.longs(),
        split(file, 0, Files.size(file)), conf, 1 << 20, allocator, () -> { })) {
      ColumnarSplit columnar = (ColumnarSplit) records;
      for (VectorSchemaRoot batch = columnar.nextBatch(); batch != null; batch = columnar.nextBatch()) {
        BigIntVector id = (BigIntVector) batch.getVector(0);
        for (int row = 0; row < batch.getRowCount(); row++) {
          sum += id.get(row);
        }
      }
    }
    assertEquals((long) n * (n - 1) / 2, sum);
  }

  @Test
  void aColumnOfAnotherTypeFailsNamingIt() throws IOException {
    Path file = dir.resolve("in.parquet");
    writeWithParquet(file, 100);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () ->
        read(new FileFormat.Parquet(List.of("small")), Encoders.longs(), split(file, 0, Files.size(file))));
    String m = e.getCause().getMessage();
    assertTrue(m.contains("in.parquet") && m.contains("column 'small'") && m.contains("INT32"), m);
    UncheckedIOException byPosition = assertThrows(UncheckedIOException.class, () ->
        read(new FileFormat.Parquet(List.of()), Encoders.longs(), split(file, 0, Files.size(file))));
    assertTrue(byPosition.getCause().getMessage().contains("4 columns"), byPosition.getCause().getMessage());
  }

  @Test
  void aTruncatedFileFailsNamingIt() throws IOException {
    Path file = dir.resolve("in.parquet");
    writeWithParquet(file, 1000);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.parquet");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 20));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () ->
        read(new FileFormat.Parquet(List.of("id")), Encoders.longs(), split(cut, 0, Files.size(cut))));
    assertTrue(e.getCause().getMessage().contains("cut.parquet")
        && e.getCause().getMessage().contains("not a Parquet file"), e.getCause().getMessage());
  }

  @Test
  void partFilesAreReadByParquetsReader() throws IOException {
    Path file = dir.resolve("part-00000.parquet");
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      records.add(Pair.of(i % 9 == 0 ? null : "k" + i, (long) i * 3));
    }
    write(new FileFormat.Parquet(List.of()), Encoders.pairs(Encoders.strings(), Encoders.longs()), file, records);
    List<Object> back = new ArrayList<>();
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
        new org.apache.hadoop.fs.Path(file.toUri())).withConf(conf).build()) {
      for (Group g = reader.read(); g != null; g = reader.read()) {
        String key = g.getFieldRepetitionCount("key") == 0 ? null : g.getString("key", 0);
        back.add(Pair.of(key, g.getLong("value", 0)));
      }
    }
    assertEquals(records, back);
    assertEquals(records, read(new FileFormat.Parquet(List.of()), Encoders.pairs(Encoders.strings(), Encoders.longs()),
        split(file, 0, Files.size(file))));
  }

  private static final MessageType NUMBERS = MessageTypeParser.parseMessageType(
      "message m { optional int64 opt; optional double score; required int32 small; required int64 id; optional int32 few; optional int64 whole; }");

  /**
   * Every page kind and encoding parquet-hadoop writes numbers in: pages v1 and v2, dictionary
   * pages and plain ones (v1), delta-encoded ints (v2 without a dictionary), many small pages
   * per row group and batches that end inside a page, nulls among the values, and an optional
   * column that has none (its plain pages are copied whole).
   */
  @Test
  void numberColumnsReadExactlyInEveryPageKindAndEncoding() throws IOException {
    int rows = 20_000;
    List<Object> optScore = new ArrayList<>();
    List<Object> smallId = new ArrayList<>();
    List<Object> few = new ArrayList<>();
    List<Object> wholeSmall = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      Long opt = i % 7 == 3 ? null : i * 1_000_003L - 5_000_000_000L;
      Double score = i % 5 == 0 ? null : i * -0.25;
      optScore.add(Pair.of(opt, score));
      smallId.add(Pair.of(i % 100 - 50, (long) i));
      few.add(i % 11 == 0 ? null : i % 4);
      wholeSmall.add(Pair.of(Long.MIN_VALUE + i * 7_777_777_777L, i % 100 - 50));
    }
    java.util.Set<org.apache.parquet.column.Encoding> seen = new java.util.HashSet<>();
    for (ParquetProperties.WriterVersion version : ParquetProperties.WriterVersion.values()) {
      for (boolean dictionary : new boolean[] {true, false}) {
        Path file = dir.resolve("numbers-" + version + "-" + dictionary + ".parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(NUMBERS);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(conf).withType(NUMBERS).withWriterVersion(version).withDictionaryEncoding(dictionary)
            .withRowGroupSize(96 << 10).withPageSize(1 << 10).build()) {
          for (int i = 0; i < rows; i++) {
            Pair<?, ?> os = (Pair<?, ?>) optScore.get(i);
            Pair<?, ?> si = (Pair<?, ?>) smallId.get(i);
            Group g = groups.newGroup().append("small", (Integer) si.key()).append("id", (Long) si.value())
                .append("whole", (Long) ((Pair<?, ?>) wholeSmall.get(i)).key());
            if (os.key() != null) {
              g.append("opt", (Long) os.key());
            }
            if (os.value() != null) {
              g.append("score", (Double) os.value());
            }
            if (few.get(i) != null) {
              g.append("few", (Integer) few.get(i));
            }
            writer.write(g);
          }
        }
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))) {
          r.getRowGroups().forEach(group -> group.getColumns().forEach(c -> seen.addAll(c.getEncodings())));
        }
        FileSplit whole = split(file, 0, Files.size(file));
        String what = version + (dictionary ? " with" : " without") + " a dictionary";
        assertEquals(optScore, read(new FileFormat.Parquet(List.of("opt", "score")),
            Encoders.pairs(Encoders.longs(), Encoders.doubles()), whole), what);
        assertEquals(smallId, read(new FileFormat.Parquet(List.of("small", "id")),
            Encoders.pairs(Encoders.ints(), Encoders.longs()), whole), what);
        assertEquals(few, read(new FileFormat.Parquet(List.of("few")), Encoders.ints(), whole), what);
        assertEquals(wholeSmall, read(new FileFormat.Parquet(List.of("whole", "small")),
            Encoders.pairs(Encoders.longs(), Encoders.ints()), whole), what);
      }
    }
    assertTrue(seen.contains(org.apache.parquet.column.Encoding.PLAIN)
        && seen.contains(org.apache.parquet.column.Encoding.PLAIN_DICTIONARY)
        && seen.contains(org.apache.parquet.column.Encoding.RLE_DICTIONARY)
        && seen.contains(org.apache.parquet.column.Encoding.DELTA_BINARY_PACKED), "encodings written: " + seen);
  }
}
