package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The committer's contract, run against any file system (local and a mini HDFS). */
final class CommitterScenarios {
  private final Configuration conf;
  private final String base;

  /** {@code base} is an existing folder to create outputs in. */
  CommitterScenarios(Configuration conf, String base) {
    this.conf = conf;
    this.base = base;
  }

  void successPublishesEveryPartitionThenSuccess() throws IOException {
    String out = base + "/success";
    TextOutputCommitter committer = new TextOutputCommitter(out, "job-1", conf);
    committer.setupJob(false);
    try (TaskOutputWriter failed = TaskOutputWriter.open(out, "job-1", 1, 0, conf)) {
      failed.write("lost");
      failed.abort();
    }
    TaskOutputWriter p0 = TaskOutputWriter.open(out, "job-1", 0, 0, conf);
    p0.write(Pair.of("é", 3L));
    p0.write("plain 漢");
    p0.write(42);
    assertEquals(3, p0.records());
    assertTrue(p0.commit());
    TaskOutputWriter p1 = TaskOutputWriter.open(out, "job-1", 1, 1, conf);
    p1.write(Pair.of("k", List.of(1, 2)));
    assertTrue(p1.commit());
    assertTrue(TaskOutputWriter.open(out, "job-1", 2, 0, conf).commit());
    committer.commitJob(3);

    assertEquals(List.of("_SUCCESS", "part-00000", "part-00001", "part-00002"), names(out));
    assertEquals("é\t3\nplain 漢\n42\n", read(out + "/part-00000"));
    assertEquals("k\t[1, 2]\n", read(out + "/part-00001"));
    assertEquals("", read(out + "/part-00002"));
    assertEquals("", read(out + "/_SUCCESS"));
    assertEquals(3, new InputLister(conf).list(out).size());
  }

  void abortLeavesNothing() throws IOException {
    String out = base + "/aborted";
    TextOutputCommitter committer = new TextOutputCommitter(out, "job-2", conf);
    committer.setupJob(false);
    TaskOutputWriter p0 = TaskOutputWriter.open(out, "job-2", 0, 0, conf);
    p0.write("committed but never published");
    p0.commit();
    TaskOutputWriter p1 = TaskOutputWriter.open(out, "job-2", 1, 0, conf);
    p1.write("half written");
    p1.abort();
    committer.abortJob();
    assertFalse(exists(out));
    assertThrows(IOException.class, () -> TaskOutputWriter.open(out, "job-2", 2, 0, conf));
  }

  /**
   * The abort a process makes as it is being killed, while its tasks still run: a task writing
   * on, one committing after it, one opening after it, and one whose file is created just after
   * the abort removed the folder its open had checked, all fail and bring nothing back.
   */
  void anAbortWhileTasksStillRunLeavesNothingTheyCanBringBack() throws IOException {
    String out = base + "/aborted-under-tasks";
    TextOutputCommitter committer = new TextOutputCommitter(out, "job-9", conf);
    committer.setupJob(false);
    TaskOutputWriter writing = TaskOutputWriter.open(out, "job-9", 0, 0, conf);
    writing.write("before the abort");
    PartFormat abortingFirst = new PartFormat() {
      @Override
      public String extension() {
        return "";
      }

      @Override
      public PartWriter create(FileSystem fs, Path file, Configuration c) throws IOException {
        committer.abortJob(); // between the writer's own folder and its file
        return new TextPartFormat(null).create(fs, file, c);
      }
    };
    assertThrows(IOException.class, () -> TaskOutputWriter.open(out, "job-9", 1, 0, conf, abortingFirst));
    assertFalse(exists(out), "the abort removed everything");
    assertThrows(IOException.class, () -> {
      for (int i = 0; i < 10_000; i++) {
        writing.write("after the abort " + i); // HDFS fails here, once its next block is asked for
      }
      writing.commit(); // the local disk here: the attempt's folder is gone
    });
    try {
      writing.close();
    } catch (IOException failedAgain) {
      // closing the stream HDFS already failed fails again
    }
    assertThrows(IOException.class, () -> TaskOutputWriter.open(out, "job-9", 2, 0, conf));
    committer.abortJob();
    assertFalse(exists(out), "no task brought the output back");
  }

  void failedCommitOfAMissingPartitionThenAbortLeavesNothing() throws IOException {
    String out = base + "/incomplete";
    TextOutputCommitter committer = new TextOutputCommitter(out, "job-3", conf);
    committer.setupJob(false);
    TaskOutputWriter.open(out, "job-3", 0, 0, conf).commit();
    IOException e = assertThrows(IOException.class, () -> committer.commitJob(2));
    assertTrue(e.getMessage().contains("Partition 1"), e.getMessage());
    committer.abortJob();
    assertFalse(exists(out));
  }

  void existingOutputIsRefusedUnlessOverwrite() throws IOException {
    String out = base + "/existing";
    FileSystem fs = new Path(out).getFileSystem(conf);
    try (var stream = fs.create(new Path(out, "old.txt"))) {
      stream.write("old\n".getBytes(StandardCharsets.UTF_8));
    }
    TextOutputCommitter refused = new TextOutputCommitter(out, "job-4", conf);
    OutputExistsException e = assertThrows(OutputExistsException.class, () -> refused.setupJob(false));
    String qualified = fs.makeQualified(new Path(out)).toString();
    assertEquals("Output path already exists: " + qualified + " (use --overwrite to replace it)", e.getMessage());
    assertEquals(qualified, e.path());
    refused.abortJob();
    assertEquals(List.of("old.txt"), names(out));

    TextOutputCommitter replacing = new TextOutputCommitter(out, "job-5", conf);
    replacing.setupJob(true);
    TaskOutputWriter p0 = TaskOutputWriter.open(out, "job-5", 0, 0, conf);
    p0.write("new");
    p0.commit();
    replacing.commitJob(1);
    assertEquals(List.of("_SUCCESS", "part-00000"), names(out));
  }

  /**
   * The data loss a second job used to cause: while one job writes a path, another is refused
   * (with {@code --overwrite} too) naming the first, its failed start removes nothing, and once
   * the first committed, the path is free again.
   */
  void aJobWritingAPathKeepsOthersOffIt() throws IOException {
    String out = base + "/claimed";
    TextOutputCommitter first = new TextOutputCommitter(out, "job-first", conf);
    first.setupJob(false);
    for (boolean overwrite : new boolean[] {false, true}) {
      TextOutputCommitter second = new TextOutputCommitter(out, "job-second", conf);
      IOException e = assertThrows(IOException.class, () -> second.setupJob(overwrite));
      assertTrue(e.getMessage().contains("is being written by another job (job-first "), e.getMessage());
      second.abortJob(); // what a failed job does: it must not touch the first job's files
    }
    TaskOutputWriter p0 = TaskOutputWriter.open(out, "job-first", 0, 0, conf);
    p0.write("kept");
    p0.commit();
    first.commitJob(1);
    assertEquals(List.of("_SUCCESS", "part-00000"), names(out), "commit removes its claim and _temporary");
    assertEquals("kept\n", read(out + "/part-00000"));
    TextOutputCommitter later = new TextOutputCommitter(out, "job-later", conf);
    assertThrows(OutputExistsException.class, () -> later.setupJob(false));
    later.abortJob();
    assertEquals("kept\n", read(out + "/part-00000"), "a refused job leaves the output alone");
  }

  /** Of jobs set up on one path at the same moment, exactly one proceeds. */
  void jobsStartedTogetherOnOnePathLetExactlyOneIn() throws Exception {
    for (int round = 0; round < 10; round++) {
      String out = base + "/race-" + round;
      List<java.util.concurrent.Callable<Boolean>> setups = new java.util.ArrayList<>();
      for (int j = 0; j < 3; j++) {
        TextOutputCommitter c = new TextOutputCommitter(out, "job-r" + round + "-" + j, conf);
        setups.add(() -> {
          try {
            c.setupJob(false);
            return true;
          } catch (IOException e) {
            return false;
          }
        });
      }
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
      try {
        long in = 0;
        for (var f : pool.invokeAll(setups)) {
          in += f.get() ? 1 : 0;
        }
        assertEquals(1, in, "round " + round);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** A claim left by a process that is gone (on this host) is cleaned up by the next job. */
  void aStaleClaimOfADeadProcessIsCleanedUp() throws Exception {
    String out = base + "/stale";
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    FileSystem fs = new Path(out).getFileSystem(conf);
    try (var stream = fs.create(new Path(out, "_temporary/_claim"))) {
      stream.write(("job-dead " + gone.pid() + "@" + java.net.InetAddress.getLocalHost().getHostName())
          .getBytes(StandardCharsets.UTF_8));
    }
    try (var stream = fs.create(new Path(out, "_temporary/job-dead/task_0/part-00000"))) {
      stream.write("half\n".getBytes(StandardCharsets.UTF_8));
    }
    TextOutputCommitter next = new TextOutputCommitter(out, "job-next", conf);
    next.setupJob(false);
    assertEquals(List.of("_claim", "job-next"), names(out + "/_temporary"));
    next.abortJob();
    assertFalse(exists(out));
  }

  void aSecondAttemptOfACommittedPartitionIsDiscarded() throws IOException {
    String out = base + "/duplicate";
    TextOutputCommitter committer = new TextOutputCommitter(out, "job-6", conf);
    committer.setupJob(false);
    TaskOutputWriter first = TaskOutputWriter.open(out, "job-6", 0, 0, conf);
    TaskOutputWriter speculative = TaskOutputWriter.open(out, "job-6", 0, 1, conf);
    first.write("first");
    speculative.write("second");
    assertTrue(first.commit());
    assertFalse(speculative.commit());
    assertEquals(List.of("task_0"), names(out + "/_temporary/job-6"));
    committer.commitJob(1);
    assertEquals("first\n", read(out + "/part-00000"));
  }

  void anAttemptDeniedTheCommitLeavesNothingAndTheHolderCommits() throws IOException {
    String out = base + "/denied";
    TextOutputCommitter committer = new TextOutputCommitter(out, "job-9", conf);
    committer.setupJob(false);
    TaskOutputWriter holder = TaskOutputWriter.open(out, "job-9", 0, 0, conf);
    TaskOutputWriter copy = TaskOutputWriter.open(out, "job-9", 0, 1, conf);
    holder.write("holder");
    copy.write("copy");
    CommitDeniedException denied = org.junit.jupiter.api.Assertions.assertThrows(CommitDeniedException.class,
        () -> copy.commit(() -> false));
    assertTrue(denied.getMessage().contains("partition 0"), denied.getMessage());
    assertEquals(List.of("_attempt_0_0"), names(out + "/_temporary/job-9"), "only the holder's attempt folder is left");
    assertTrue(holder.commit(() -> true));
    committer.commitJob(1);
    assertEquals("holder\n", read(out + "/part-00000"));
  }

  void racingAttemptsCommitExactlyOnce() throws Exception {
    String out = base + "/race";
    TextOutputCommitter committer = new TextOutputCommitter(out, "job-8", conf);
    committer.setupJob(false);
    int partitions = 8;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int p = 0; p < partitions; p++) {
        List<Future<Boolean>> commits = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(2);
        for (int attempt = 0; attempt < 2; attempt++) {
          TaskOutputWriter writer = TaskOutputWriter.open(out, "job-8", p, attempt, conf);
          writer.write("attempt " + attempt);
          commits.add(pool.submit(() -> {
            ready.countDown();
            ready.await();
            return writer.commit();
          }));
        }
        assertTrue(commits.get(0).get() ^ commits.get(1).get(), "exactly one attempt of partition " + p);
        assertEquals(List.of(OutputLayout.partName(p)), names(out + "/_temporary/job-8/task_" + p));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(partitions, names(out + "/_temporary/job-8").size());
    committer.commitJob(partitions);
    assertEquals(partitions + 1, names(out).size());
  }

  void aWriterClosedWithoutCommitLeavesNothing() throws IOException {
    String out = base + "/closed";
    TextOutputCommitter committer = new TextOutputCommitter(out, "job-7", conf);
    committer.setupJob(false);
    try (TaskOutputWriter writer = TaskOutputWriter.open(out, "job-7", 4, 0, conf)) {
      writer.write("dropped");
    }
    assertEquals(List.of(), names(out + "/_temporary/job-7"));
    committer.abortJob();
    assertFalse(exists(out));
  }

  private List<String> names(String folder) throws IOException {
    Path path = new Path(folder);
    FileStatus[] statuses = path.getFileSystem(conf).listStatus(path);
    return Arrays.stream(statuses).map(s -> s.getPath().getName()).sorted().toList();
  }

  private boolean exists(String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(conf).exists(p);
  }

  private String read(String file) throws IOException {
    Path path = new Path(file);
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
