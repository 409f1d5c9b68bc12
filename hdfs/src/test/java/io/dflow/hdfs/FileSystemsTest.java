package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file system serves a path: dflow's shared local one, or Hadoop's cache. */
class FileSystemsTest {
  @TempDir
  java.nio.file.Path dir;

  @Test
  void localPathsWithAndWithoutASchemeShareOneNioLocalFileSystem() throws IOException {
    Configuration conf = HadoopConf.create(Map.of());
    java.nio.file.Path file = Files.writeString(dir.resolve("a.txt"), "one line\n");
    FileSystem withScheme = FileSystems.forPath(new Path(file.toUri()), conf);
    FileSystem withoutScheme = FileSystems.forPath(new Path(file.toString()), conf);
    assertInstanceOf(NioLocalFileSystem.class, withScheme);
    assertSame(withScheme, withoutScheme);
    assertSame(withScheme, FileSystems.forPath(new Path(file.toString()), HadoopConf.create(Map.of("dfs.x", "y"))));
    try (FSDataInputStream in = withoutScheme.open(new Path(file.toString()))) {
      assertEquals("one line\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void anotherLocalFileSystemNamedByTheUserComesFromHadoop() throws IOException {
    Configuration conf = HadoopConf.create(Map.of("fs.file.impl", LocalFileSystem.class.getName(),
        "fs.file.impl.disable.cache", "true"));
    FileSystem fs = FileSystems.forPath(new Path(dir.toUri()), conf);
    assertEquals(LocalFileSystem.class, fs.getClass());
  }
}
