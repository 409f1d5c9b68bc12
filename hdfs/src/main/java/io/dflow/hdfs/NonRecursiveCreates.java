package io.dflow.hdfs;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.util.Progressable;

/**
 * A view of a file system whose creates never make a missing parent folder. A task attempt
 * writes through it, so once its job's temporary folder is gone (the driver aborted the job,
 * perhaps from a shutdown hook while the task still ran) the attempt fails instead of bringing
 * the folder back.
 */
final class NonRecursiveCreates extends FilterFileSystem {
  NonRecursiveCreates(FileSystem fs) {
    super(fs);
    setConf(fs.getConf());
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    return fs.createNonRecursive(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  /** Makes folder {@code dir}, whose parent must exist (atomically so on HDFS and the local disk). */
  static void mkdir(FileSystem fs, Path dir) throws IOException {
    boolean made;
    if (fs instanceof DistributedFileSystem dfs) {
      made = dfs.mkdir(dir, FsPermission.getDirDefault());
    } else if (fs instanceof LocalFileSystem local) {
      File file = local.pathToFile(dir);
      made = file.mkdir() || file.isDirectory();
      if (!made && !file.getParentFile().isDirectory()) {
        throw new FileNotFoundException("Parent folder of " + dir + " does not exist");
      }
    } else {
      if (!fs.exists(dir.getParent())) {
        throw new FileNotFoundException("Parent folder of " + dir + " does not exist");
      }
      made = fs.mkdirs(dir);
    }
    if (!made) {
      throw new IOException("Cannot create " + dir);
    }
  }
}
