package io.dflow.hdfs;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The Hadoop {@link FileSystem} that serves a path. Hadoop's own cache keys every instance by
 * the logged-in user, and logging in (JAAS, Hadoop's user and group set-up) costs about 0.25 s
 * of a JVM's start. The local file system needs no user, so {@code file://} paths served by
 * {@link NioLocalFileSystem} share one instance per JVM made without that cache; every other
 * path goes through {@link Path#getFileSystem}. As with Hadoop's cache, the configuration of
 * the first request is the one the shared instance keeps.
 */
public final class FileSystems {
  private static final URI LOCAL = URI.create("file:///");
  private static FileSystem local;

  private FileSystems() {}

  /** The file system of {@code path} under {@code conf}. */
  public static FileSystem forPath(Path path, Configuration conf) throws IOException {
    String scheme = path.toUri().getScheme();
    if (scheme == null) {
      scheme = FileSystem.getDefaultUri(conf).getScheme();
    }
    if ("file".equals(scheme)
        && NioLocalFileSystem.class.getName().equals(conf.get(HadoopConf.LOCAL_FS_KEY))) {
      return local(conf);
    }
    return path.getFileSystem(conf);
  }

  private static synchronized FileSystem local(Configuration conf) throws IOException {
    if (local == null) {
      FileSystem fs = new NioLocalFileSystem();
      fs.initialize(LOCAL, conf);
      local = fs;
    }
    return local;
  }
}
