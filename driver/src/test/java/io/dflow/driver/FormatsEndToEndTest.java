package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dflowtest.jobs.FormatsJob} over a SequenceFile, CSV, Arrow and Parquet files written
 * here by each format's own library (Hadoop's SequenceFile writer, Arrow's file writer,
 * parquet-hadoop's example writer), each cut into several splits, on the local disk and on a
 * MiniDFSCluster; its outputs are read back by the same libraries and compared with sums
 * computed here.
 */
class FormatsEndToEndTest {
  private static final int ROWS = 30_000;
  private static final MessageType PARQUET = MessageTypeParser.parseMessageType(
      "message m { required int64 id; optional binary name (UTF8); required int64 amount; }");
  private static MiniDFSCluster cluster;

  @TempDir
  static java.nio.file.Path dir;

  @BeforeAll
  static void startCluster() throws IOException {
    Configuration conf = new Configuration();
    File base = new File("target/minidfs-" + UUID.randomUUID()).getAbsoluteFile();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    conf.setLong("dfs.blocksize", 1 << 20);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(2).hosts(new String[] {"host-a", "host-b"}).build();
    cluster.waitActive();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Test
  void everyFormatOnTheLocalDisk() throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    String root = dir.resolve("local").toUri().toString();
    check(fs, root, "local[2]");
  }

  @Test
  void everyFormatOnHdfsWithExecutorJvms() throws IOException {
    check(cluster.getFileSystem(), cluster.getURI() + "/formats", "local-cluster[2,1]");
  }

  @Test
  void aBadCsvRowFailsTheJobNamingFileAndLineAndLeavesNoOutput() throws IOException {
    java.nio.file.Path in = java.nio.file.Files.createDirectories(dir.resolve("bad-csv"));
    StringBuilder text = new StringBuilder("name,n\n");
    for (int i = 0; i < 200; i++) {
      text.append("row").append(i).append(',').append(i).append('\n');
    }
    long offset = text.length();
    text.append("ragged\n").append("last,1\n");
    java.nio.file.Files.writeString(in.resolve("data.csv"), text);
    java.nio.file.Path out = dir.resolve("bad-csv-out");
    CliRun run = CliRun.of("run", "--master", "local[2]", "--class", "dflowtest.jobs.CsvFieldsJob",
        TestJars.testJobs(dir).toString(), in.toString(), out.toString());
    assertTrue(run.exit() != 0, run.err());
    assertTrue(run.err().contains("data.csv line 202, at byte offset " + offset)
        && run.err().contains("1 fields, the header 2"), run.err());
    assertTrue(!java.nio.file.Files.exists(out), "nothing is left of the failed job's output");
  }

  private void check(FileSystem fs, String root, String master) throws IOException {
    Expected want = writeInputs(fs, root + "/in");
    CliRun run = CliRun.of("run", "--master", master, "--class", "dflowtest.jobs.FormatsJob",
        "--conf", "dflow.input.maxSplitBytes=100000",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        TestJars.testJobs(dir).toString(), root + "/in", root + "/out");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.err().contains("csv.badRows=1"), "the ragged CSV row is skipped and counted:\n" + run.err());
    String out = root + "/out";
    assertEquals(want.seq, readSequence(fs, out + "/seq"));
    assertEquals(want.csv, readCsv(fs, out + "/csv"));
    assertEquals(want.arrow, readArrow(fs, out + "/arrow"));
    assertEquals(want.parquet, readParquet(fs, out + "/parquet"));
    List<String> summary = readLines(fs, out + "/summary", "");
    assertEquals(List.of("parquet.id.sum=" + want.idSum, "packed.sum=" + (100_000L * 99_999 / 2)), summary);
  }

  /** What the job must compute from the inputs written. */
  record Expected(Map<String, Long> seq, Map<String, Long> csv, Map<String, Long> arrow, Map<Long, Long> parquet,
      long idSum) {}

  private static Expected writeInputs(FileSystem fs, String in) throws IOException {
    Random random = new Random(11);
    Configuration conf = fs.getConf();
    Map<String, Long> seq = new TreeMap<>();
    try (SequenceFile.Writer w = SequenceFile.createWriter(conf, SequenceFile.Writer.file(new Path(in + "/seq/data.seq")),
        SequenceFile.Writer.keyClass(Text.class), SequenceFile.Writer.valueClass(LongWritable.class))) {
      for (int i = 0; i < ROWS; i++) {
        String key = "k" + random.nextInt(300);
        long value = random.nextInt(1000);
        w.append(new Text(key), new LongWritable(value));
        seq.merge(key, value, Long::sum);
      }
    }
    Map<String, Long> csv = new TreeMap<>();
    for (int f = 0; f < 2; f++) {
      StringBuilder text = new StringBuilder("city,amount\n");
      for (int i = 0; i < ROWS / 2; i++) {
        String city = i % 7 == 0 ? "Paris, \"TX\"" : "city" + random.nextInt(50);
        long amount = random.nextInt(100);
        String field = city.contains(",") ? "\"" + city.replace("\"", "\"\"") + "\"" : city;
        text.append(field).append(',').append(amount).append('\n');
        csv.merge(city, amount, Long::sum);
        if (f == 1 && i == 1000) {
          text.append("ragged,1,extra\n");
        }
      }
      try (OutputStream o = fs.create(new Path(in + "/csv/part-" + f + ".csv"))) {
        o.write(text.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    Map<String, Long> arrow = new TreeMap<>();
    Schema schema = new Schema(List.of(Field.nullable("n", new ArrowType.Int(64, true)),
        Field.nullable("word", ArrowType.Utf8.INSTANCE)));
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot batch = VectorSchemaRoot.create(schema, allocator);
        ArrowFileWriter writer = new ArrowFileWriter(batch, null,
            Channels.newChannel(fs.create(new Path(in + "/arrow/words.arrow"))))) {
      writer.start();
      BigIntVector n = (BigIntVector) batch.getVector("n");
      VarCharVector word = (VarCharVector) batch.getVector("word");
      for (int b = 0; b < 30; b++) {
        n.allocateNew(1000);
        word.allocateNew();
        for (int row = 0; row < 1000; row++) {
          String w = "word" + random.nextInt(200);
          long count = random.nextInt(10);
          n.set(row, count);
          word.setSafe(row, w.getBytes(StandardCharsets.UTF_8));
          arrow.merge(w, count, Long::sum);
        }
        batch.setRowCount(1000);
        writer.writeBatch();
      }
      writer.end();
    }
    Map<Long, Long> parquet = new TreeMap<>();
    long idSum = 0;
    SimpleGroupFactory groups = new SimpleGroupFactory(PARQUET);
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new Path(in + "/parquet/rows.parquet"))
        .withConf(conf).withType(PARQUET).withRowGroupSize(64 << 10).build()) {
      for (long id = 0; id < ROWS; id++) {
        long amount = random.nextInt(1000);
        writer.write(groups.newGroup().append("id", id).append("name", "n" + id).append("amount", amount));
        parquet.merge(id % 10, amount, Long::sum);
        idSum += id;
      }
    }
    return new Expected(seq, csv, arrow, parquet, idSum);
  }

  private static List<Path> parts(FileSystem fs, String folder, String extension) throws IOException {
    List<Path> parts = new ArrayList<>();
    for (FileStatus s : fs.listStatus(new Path(folder))) {
      String name = s.getPath().getName();
      if (name.startsWith("part-") && name.endsWith(extension)) {
        parts.add(s.getPath());
      }
    }
    assertTrue(fs.exists(new Path(folder, "_SUCCESS")), folder);
    assertTrue(!parts.isEmpty(), "part files in " + folder);
    return parts;
  }

  private static Map<String, Long> readSequence(FileSystem fs, String folder) throws IOException {
    Map<String, Long> got = new TreeMap<>();
    for (Path part : parts(fs, folder, "")) {
      try (SequenceFile.Reader r = new SequenceFile.Reader(fs.getConf(), SequenceFile.Reader.file(part))) {
        Text k = new Text();
        LongWritable v = new LongWritable();
        while (r.next(k, v)) {
          assertEquals(null, got.put(k.toString(), v.get()), "each key once");
        }
      }
    }
    return got;
  }

  private static List<String> readLines(FileSystem fs, String folder, String extension) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path part : parts(fs, folder, extension)) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(part), StandardCharsets.UTF_8))) {
        r.lines().forEach(lines::add);
      }
    }
    return lines;
  }

  private static Map<String, Long> readCsv(FileSystem fs, String folder) throws IOException {
    Map<String, Long> got = new TreeMap<>();
    for (Path part : parts(fs, folder, ".csv")) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(part), StandardCharsets.UTF_8))) {
        assertEquals("city,total", r.readLine(), "each part starts with the header");
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          int comma = line.lastIndexOf(',');
          String city = line.substring(0, comma);
          if (city.startsWith("\"")) {
            city = city.substring(1, city.length() - 1).replace("\"\"", "\"");
          }
          got.put(city, Long.parseLong(line.substring(comma + 1)));
        }
      }
    }
    return got;
  }

  private static Map<String, Long> readArrow(FileSystem fs, String folder) throws IOException {
    Map<String, Long> got = new TreeMap<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      for (Path part : parts(fs, folder, ".arrow")) {
        byte[] bytes;
        try (var in = fs.open(part)) {
          bytes = in.readAllBytes();
        }
        try (ArrowFileReader reader = new ArrowFileReader(new ByteArrayReadableSeekableByteChannel(bytes), allocator)) {
          for (ArrowBlock block : reader.getRecordBlocks()) {
            reader.loadRecordBatch(block);
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            VarCharVector k = (VarCharVector) root.getVector("key");
            BigIntVector v = (BigIntVector) root.getVector("value");
            for (int row = 0; row < root.getRowCount(); row++) {
              got.put(new String(k.get(row), StandardCharsets.UTF_8), v.get(row));
            }
          }
        }
      }
    }
    return got;
  }

  private static Map<Long, Long> readParquet(FileSystem fs, String folder) throws IOException {
    Map<Long, Long> got = new TreeMap<>();
    for (Path part : parts(fs, folder, ".parquet")) {
      try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), part).withConf(fs.getConf()).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          got.put(g.getLong("key", 0), g.getLong("value", 0));
        }
      }
    }
    return got;
  }
}
