package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment by segment, the reader gives exactly the lines Hadoop's own LineRecordReader gives. */
class HadoopLineRecordReaderParityTest {
  private static final String[] SYMBOLS = {"a", "bc", "\r", "\n", "\r\n", "é", "😀"};

  private final Configuration conf = HadoopConf.create(Map.of());

  @TempDir
  Path dir;

  @Test
  void everyTwoWayAndRandomThreeWayCutMatchesHadoop() throws IOException {
    Random random = new Random(3);
    for (int round = 0; round < 80; round++) {
      StringBuilder text = new StringBuilder();
      int symbols = random.nextInt(14);
      for (int i = 0; i < symbols; i++) {
        text.append(SYMBOLS[random.nextInt(SYMBOLS.length)]);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      Path file = dir.resolve("parity-" + round);
      Files.write(file, bytes);
      for (int cut = 0; cut <= bytes.length; cut++) {
        assertSameLines(file, bytes, cut, bytes.length - cut);
        assertSameLines(file, bytes, 0, cut);
        int second = cut + random.nextInt(bytes.length - cut + 1);
        assertSameLines(file, bytes, cut, second - cut);
      }
    }
  }

  private void assertSameLines(Path file, byte[] bytes, long start, long length) throws IOException {
    String where = Arrays.toString(bytes) + " segment " + start + "+" + length;
    assertEquals(hadoopLines(file, start, length), ourLines(file, start, length), where);
  }

  private List<String> ourLines(Path file, long start, long length) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
    FSDataInputStream in = path.getFileSystem(conf).open(path);
    in.seek(start);
    List<String> lines = new ArrayList<>();
    try (SegmentLineReader reader = new SegmentLineReader(path.toString(), in, start, length, 1 << 20, 2)) {
      for (String line = reader.readLine(TextSplitReader.TEXT); line != null; line = reader.readLine(TextSplitReader.TEXT)) {
        lines.add(line);
      }
    }
    return lines;
  }

  private List<String> hadoopLines(Path file, long start, long length) throws IOException {
    List<String> lines = new ArrayList<>();
    FileSplit split = new FileSplit(new org.apache.hadoop.fs.Path(file.toUri()), start, length, new String[0]);
    try (LineRecordReader reader = new LineRecordReader()) {
      reader.initialize(split, new TaskAttemptContextImpl(conf, new TaskAttemptID()));
      while (reader.nextKeyValue()) {
        lines.add(reader.getCurrentValue().toString());
      }
    }
    return lines;
  }
}
