package io.dflow.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.api.plan.FileFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.DefaultCodec;
import org.junit.jupiter.api.Test;

/** SequenceFiles written by Hadoop's own writer read by split, and dflow's part files read by Hadoop's reader. */
class SequenceFileFormatTest extends FormatTestBase {
  private final FileFormat format = new FileFormat.Sequence();

  private List<Object> writeWithHadoop(Path file, int n, SequenceFile.CompressionType compression) throws IOException {
    List<Object> expected = new ArrayList<>();
    try (SequenceFile.Writer w = SequenceFile.createWriter(conf,
        SequenceFile.Writer.file(new org.apache.hadoop.fs.Path(file.toUri())),
        SequenceFile.Writer.keyClass(Text.class), SequenceFile.Writer.valueClass(LongWritable.class),
        compression == SequenceFile.CompressionType.NONE ? SequenceFile.Writer.compression(compression)
            : SequenceFile.Writer.compression(compression, new DefaultCodec()))) {
      for (int i = 0; i < n; i++) {
        String key = "key-" + i + "-" + "x".repeat(i % 40);
        w.append(new Text(key), new LongWritable(i * 7L));
        expected.add(Pair.of(key, i * 7L));
        if (i % 50 == 49) {
          w.sync();
        }
      }
    }
    return expected;
  }

  @Test
  void everyRecordIsReadOnceWhereverTheFileIsCut() throws IOException {
    for (SequenceFile.CompressionType type : SequenceFile.CompressionType.values()) {
      Path file = dir.resolve("in-" + type + ".seq");
      List<Object> expected = writeWithHadoop(file, 2000, type);
      long length = Files.size(file);
      Random random = new Random(3);
      for (int round = 0; round < 20; round++) {
        long a = 1 + random.nextInt((int) length - 2);
        long b = a + random.nextInt((int) (length - a));
        assertEquals(expected, readCut(format, Encoders.pairs(Encoders.strings(), Encoders.longs()), file, a, b),
            type + " cut at " + a + " and " + b);
      }
    }
  }

  @Test
  void theFilesWritablesMustBeTheEncoders() throws IOException {
    Path file = dir.resolve("in.seq");
    writeWithHadoop(file, 10, SequenceFile.CompressionType.NONE);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () ->
        read(format, Encoders.pairs(Encoders.strings(), Encoders.ints()), split(file, 0, Files.size(file))));
    String m = e.getCause().getMessage();
    assertTrue(m.contains(file.getFileName().toString()) && m.contains(LongWritable.class.getName())
        && m.contains(IntWritable.class.getName()), m);
  }

  @Test
  void aFileThatIsNoSequenceFileFailsNamingIt() throws IOException {
    Path file = dir.resolve("text.seq");
    Files.writeString(file, "just some text\n");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () ->
        read(format, Encoders.pairs(Encoders.strings(), Encoders.longs()), split(file, 0, Files.size(file))));
    assertTrue(e.getCause().getMessage().contains("text.seq") && e.getCause().getMessage().contains("not a SequenceFile"),
        e.getCause().getMessage());
  }

  @Test
  void partFilesAreReadByHadoopsReader() throws IOException {
    Path file = dir.resolve("part-00000");
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      records.add(Pair.of((long) i, new byte[] {(byte) i, (byte) (i >> 8), 7}));
    }
    write(format, Encoders.pairs(Encoders.longs(), Encoders.bytes()), file, records);
    List<Pair<Long, byte[]>> back = new ArrayList<>();
    try (SequenceFile.Reader r = new SequenceFile.Reader(conf,
        SequenceFile.Reader.file(new org.apache.hadoop.fs.Path(file.toUri())))) {
      assertEquals(LongWritable.class, r.getKeyClass());
      assertEquals(BytesWritable.class, r.getValueClass());
      LongWritable k = new LongWritable();
      BytesWritable v = new BytesWritable();
      while (r.next(k, v)) {
        back.add(Pair.of(k.get(), v.copyBytes()));
      }
    }
    assertEquals(records.size(), back.size());
    for (int i = 0; i < back.size(); i++) {
      Pair<?, ?> want = (Pair<?, ?>) records.get(i);
      assertEquals(want.key(), back.get(i).key());
      assertArrayEquals((byte[]) want.value(), back.get(i).value());
    }
  }
}
