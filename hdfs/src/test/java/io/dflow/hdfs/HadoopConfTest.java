package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopConfTest {
  @TempDir
  Path dir;

  @Test
  void readsTheSiteFilesOfTheConfDirThenTheJobsHadoopKeys() throws IOException {
    Files.writeString(dir.resolve("core-site.xml"), site("fs.defaultFS", "hdfs://nn.example:8020"));
    Files.writeString(dir.resolve("hdfs-site.xml"), site("dfs.replication", "2"));
    Configuration conf = HadoopConf.create(Map.of(
        "dfs.blocksize", "1048576",
        "hadoop.tmp.dir", "scratch",
        "dflow.input.maxLineBytes", "5",
        "spark.whatever", "x"), dir.toString());
    assertEquals("hdfs://nn.example:8020", conf.get("fs.defaultFS"));
    assertEquals(2, conf.getInt("dfs.replication", 0));
    assertEquals(1048576L, conf.getLong("dfs.blocksize", 0));
    assertEquals("scratch", conf.get("hadoop.tmp.dir"));
    assertNull(conf.get("dflow.input.maxLineBytes"));
    assertNull(conf.get("spark.whatever"));
  }

  @Test
  void overridesWinOverSiteFilesAndAMissingConfDirIsFine() throws IOException {
    Files.writeString(dir.resolve("core-site.xml"), site("fs.defaultFS", "hdfs://nn.example:8020"));
    assertEquals("file:///", HadoopConf.create(Map.of("fs.defaultFS", "file:///"), dir.toString()).get("fs.defaultFS"));
    assertEquals("file:///", HadoopConf.create(Map.of(), dir.resolve("absent").toString()).get("fs.defaultFS"));
    assertEquals("file:///", HadoopConf.create(Map.of(), null).get("fs.defaultFS"));
  }

  @Test
  void configurationsFromOneParseDoNotSeeEachOthersChanges() throws IOException {
    Files.writeString(dir.resolve("core-site.xml"), site("fs.defaultFS", "hdfs://nn.example:8020"));
    Configuration first = HadoopConf.create(Map.of("dfs.example.only", "5"), dir.toString());
    Configuration second = HadoopConf.create(Map.of(), dir.toString());
    first.set("fs.defaultFS", "file:///");
    second.set("hadoop.tmp.dir", "elsewhere");
    assertEquals("file:///", first.get("fs.defaultFS"));
    assertEquals("hdfs://nn.example:8020", second.get("fs.defaultFS"));
    assertEquals(5, first.getInt("dfs.example.only", 0));
    assertNull(second.get("dfs.example.only"));
    assertEquals("hdfs://nn.example:8020", HadoopConf.create(Map.of(), dir.toString()).get("fs.defaultFS"));
    assertEquals("/tmp/hadoop-" + System.getProperty("user.name"),
        HadoopConf.create(Map.of(), dir.toString()).get("hadoop.tmp.dir"));
  }

  private static String site(String key, String value) {
    return "<?xml version=\"1.0\"?>\n<configuration>\n  <property><name>" + key + "</name><value>" + value
        + "</value></property>\n</configuration>\n";
  }
}
