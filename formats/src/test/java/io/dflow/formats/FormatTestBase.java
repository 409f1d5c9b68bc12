package io.dflow.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dflow.api.Encoder;
import io.dflow.api.plan.FileFormat;
import io.dflow.api.plan.FileSplit;
import io.dflow.arrow.Allocators;
import io.dflow.hdfs.PartWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Readers and writers of one format on the local file system, with an allocator checked for leaks. */
abstract class FormatTestBase {
  @TempDir
  Path dir;
  final Configuration conf = new Configuration();
  BufferAllocator allocator;

  @BeforeEach
  void createAllocator(TestInfo test) {
    allocator = Allocators.forTask(test.getDisplayName(), 1L << 30);
  }

  @AfterEach
  void closeAllocator() {
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory leaked: " + allocator);
    allocator.close();
  }

  static FileSplit split(Path file, long start, long length) {
    return new FileSplit(List.of(new FileSplit.Segment(file.toUri().toString(), start, length)), List.of());
  }

  /** Every record of {@code file} read as {@code cuts} splits, cut at the given offsets. */
  List<Object> readCut(FileFormat format, Encoder<?> encoder, Path file, long... cuts) throws IOException {
    List<Object> all = new ArrayList<>();
    long length = java.nio.file.Files.size(file);
    long start = 0;
    for (int i = 0; i <= cuts.length; i++) {
      long end = i < cuts.length ? cuts[i] : length;
      all.addAll(read(format, encoder, split(file, start, end - start)));
      start = end;
    }
    return all;
  }

  List<Object> read(FileFormat format, Encoder<?> encoder, FileSplit split) throws IOException {
    List<Object> out = new ArrayList<>();
    try (SplitRecords records = FormatReaders.open(format, encoder, split, conf, 1 << 20, allocator, () -> { })) {
      records.forEachRemaining(out::add);
    }
    return out;
  }

  /** Writes {@code records} into {@code file} with the format's part writer. */
  void write(FileFormat format, Encoder<?> encoder, Path file, List<?> records) throws IOException {
    FileSystem fs = FileSystem.getLocal(conf);
    try (PartWriter writer = FormatWriters.of(format, encoder, null, allocator)
        .create(fs, new org.apache.hadoop.fs.Path(file.toUri()), conf)) {
      for (Object r : records) {
        writer.write(r);
      }
    }
  }
}
