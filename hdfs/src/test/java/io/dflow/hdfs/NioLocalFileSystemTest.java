package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NioLocalFileSystem} leaves exactly the permissions Hadoop's own local file system
 * leaves (which forks {@code chmod} for them), and is what {@link HadoopConf} gives for
 * {@code file://} unless told otherwise.
 */
class NioLocalFileSystemTest {
  @TempDir
  java.nio.file.Path dir;

  @Test
  void everyPermissionMapsToTheSamePosixBits() {
    for (short mode = 0; mode < 01000; mode++) {
      FsPermission permission = new FsPermission(mode);
      assertEquals(PosixFilePermissions.fromString(permission.toString()), NioLocalFileSystem.posix(permission),
          permission.toString());
    }
  }

  @Test
  void directoriesAndFilesGetThePermissionsHadoopsOwnLocalFileSystemGives() throws IOException {
    Configuration conf = HadoopConf.create(Map.of("fs.permissions.umask-mode", "027"));
    try (FileSystem ours = FileSystem.newInstance(URI.create("file:///"), conf);
        FileSystem hadoops = newHadoopLocalFileSystem(conf)) {
      assertInstanceOf(NioLocalFileSystem.class, ours);
      assertEquals(LocalFileSystem.class, hadoops.getClass());
      assertEquals(made(hadoops, "theirs"), made(ours, "ours"));
    }
  }

  @Test
  void aJobOrSiteFileNamingAnotherLocalFileSystemWins() {
    Configuration conf = HadoopConf.create(Map.of("fs.file.impl", LocalFileSystem.class.getName()));
    assertEquals(LocalFileSystem.class.getName(), conf.get("fs.file.impl"));
    assertEquals(NioLocalFileSystem.class.getName(), HadoopConf.create(Map.of()).get("fs.file.impl"));
  }

  /** The permissions of a nested directory, a file created in it, and the file after a chmod. */
  private Map<String, Set<PosixFilePermission>> made(FileSystem fs, String name) throws IOException {
    java.nio.file.Path root = dir.resolve(name);
    Path nested = new Path(root.resolve("a/b").toUri());
    fs.mkdirs(nested);
    Path file = new Path(nested, "part-00000");
    try (FSDataOutputStream out = fs.create(file)) {
      out.write("x\n".getBytes(StandardCharsets.UTF_8));
    }
    Set<PosixFilePermission> created = Files.getPosixFilePermissions(root.resolve("a/b/part-00000"));
    fs.setPermission(file, new FsPermission((short) 0640));
    return Map.of(
        "dir a", Files.getPosixFilePermissions(root.resolve("a")),
        "dir a/b", Files.getPosixFilePermissions(root.resolve("a/b")),
        "file as created", created,
        "file after setPermission 0640", Files.getPosixFilePermissions(root.resolve("a/b/part-00000")));
  }

  private static FileSystem newHadoopLocalFileSystem(Configuration base) throws IOException {
    Configuration conf = new Configuration(base);
    conf.set("fs.file.impl", LocalFileSystem.class.getName());
    return FileSystem.newInstance(URI.create("file:///"), conf);
  }
}
