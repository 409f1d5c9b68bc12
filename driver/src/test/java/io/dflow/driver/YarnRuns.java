package io.dflow.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * What the YARN tests ({@link YarnEndToEndTest}, {@link YarnDaemonsTest}) share about a
 * {@code dflow} run on a cluster: the corpus it counts, put on the cluster's file system; its
 * output read back; its log; and the {@code /proc} files of the processes it started.
 */
final class YarnRuns {
  private YarnRuns() {}

  /** Writes a corpus of about {@code bytes} locally in {@code dir} and puts it at {@code target} on {@code fs}; returns its count. */
  static Map<String, Long> corpusOn(FileSystem fs, Path dir, long bytes, long seed, String target) throws IOException {
    Path local = dir.resolve("corpus-" + seed + ".txt");
    Corpus.write(local, bytes, seed);
    Map<String, Long> counts = Corpus.count(Files.readString(local));
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(target));
    return counts;
  }

  /** The lines of the {@code part-} files of output folder {@code out}. */
  static List<String> partLines(FileSystem fs, String out) throws IOException {
    List<String> lines = new ArrayList<>();
    for (FileStatus part : fs.listStatus(new org.apache.hadoop.fs.Path(out))) {
      if (part.getPath().getName().startsWith("part-")) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(part.getPath()), StandardCharsets.UTF_8))) {
          r.lines().forEach(lines::add);
        }
      }
    }
    return lines;
  }

  /** The output of run {@code name} so far ({@code <name>.log} in {@code dir}), also printed for the test's report. */
  static String log(Path dir, String name) throws IOException {
    String log = Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
    System.out.println("dflow run " + name + ":\n" + log);
    return log;
  }

  static String cmdline(ProcessHandle p) {
    return procFile(p, "cmdline").replace('\0', ' ');
  }

  /** {@code /proc/<pid>/<name>} of {@code p}, empty if it ended meanwhile. */
  static String procFile(ProcessHandle p, String name) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), name)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // ended meanwhile
    }
  }

  /** The environment of {@code p}, empty if it ended meanwhile. */
  static Map<String, String> environ(ProcessHandle p) {
    Map<String, String> env = new HashMap<>();
    for (String kv : procFile(p, "environ").split("\0")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        env.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return env;
  }
}
