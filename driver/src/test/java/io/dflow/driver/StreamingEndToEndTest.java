package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dflow streaming} with real {@code python3} scripts and POSIX tools as mappers and
 * reducers, checked against references computed here: the examples' word count (with and
 * without a combiner, in one JVM and on two executor JVMs), map-only jobs, separators and key
 * fields, key-field partitioning and ordering, bytes that are not UTF-8, empty input, shipped
 * files and the children's environment, counters, and every way a child can fail.
 */
class StreamingEndToEndTest {
  private static final Path EXAMPLES = Path.of("..", "examples", "streaming").toAbsolutePath().normalize();
  private static final String[] WORDS = {"the", "a", "flow", "map", "reduce", "Key", "zeta", "x", "42", "-", "aa"};

  @TempDir
  static Path dir;
  static Path corpus;
  static String corpusText;

  @BeforeAll
  static void writeCorpus() throws IOException {
    Random random = new Random(11);
    StringBuilder text = new StringBuilder();
    while (text.length() < 600_000) {
      int words = random.nextInt(9);
      for (int w = 0; w < words; w++) {
        if (w > 0) {
          text.append(random.nextInt(8) == 0 ? "\t" : random.nextInt(8) == 0 ? "  " : " ");
        }
        text.append(WORDS[(int) Math.min(WORDS.length - 1, Math.abs(random.nextGaussian()) * 3)]);
        if (random.nextInt(20) == 0) {
          text.append(random.nextInt(5000)); // a long tail of rare words
        }
      }
      text.append(random.nextInt(15) == 0 ? "\r\n" : "\n");
    }
    corpusText = text.toString();
    corpus = Files.writeString(dir.resolve("corpus.txt"), corpusText);
  }

  @Test
  void pythonWordCountOnLocal() throws IOException {
    Path out = dir.resolve("wc-local");
    CliRun run = streaming("local[2]", "-input", corpus.toString(), "-output", out.toString(),
        "-mapper", "python3 " + EXAMPLES.resolve("mapper.py"), "-reducer", "python3 " + EXAMPLES.resolve("reducer.py"),
        "-numReduceTasks", "3");
    assertEquals(0, run.exit(), run.err());
    checkWordCount(out, 3);
  }

  @Test
  void pythonWordCountWithACombinerOnTwoExecutorJvms() throws IOException {
    Path out = dir.resolve("wc-cluster");
    CliRun run = streaming("local-cluster[2,1]", "-input", corpus.toString(), "-output", out.toString(),
        "-files", EXAMPLES.resolve("mapper.py") + "," + EXAMPLES.resolve("reducer.py"),
        "-mapper", "mapper.py", "-combiner", "python3 reducer.py", "-reducer", "reducer.py",
        "-D", "dflow.streaming.combineBufferBytes=200000", "-numReduceTasks", "2",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath());
    assertEquals(0, run.exit(), run.err());
    checkWordCount(out, 2);
  }

  @Test
  void mapOnlyFilterWithCounters() throws IOException {
    Path out = dir.resolve("grep");
    CliRun run = streaming("local[2]", "-input", corpus.toString(), "-output", out.toString(),
        "-mapper", "python3 " + EXAMPLES.resolve("grep.py") + " '^zeta|flow$'", "-reducer", "NONE");
    assertEquals(0, run.exit(), run.err());
    List<String> expected = new ArrayList<>();
    for (String line : corpusText.split("\r?\n")) {
      if (line.startsWith("zeta") || line.endsWith("flow")) {
        // the line is cut at its first tab into key and value and written back as key, tab, value: so a
        // line without a tab (all key) gets a trailing tab, as in Hadoop
        expected.add(line.contains("\t") ? line : line + "\t");
      }
    }
    List<String> got = new ArrayList<>();
    for (Path part : parts(out)) {
      got.addAll(Files.readAllLines(part));
    }
    assertEquals(expected, got, "map-only output keeps the input's order, split by split");
    assertTrue(run.err().contains("; counters: Filter.Kept=" + expected.size() + "\n"), "in the stage line:\n" + run.err());
    assertTrue(run.err().contains("job 0 counters: Filter.Kept=" + expected.size()), "after the job:\n" + run.err());
  }

  @Test
  void separatorsAndKeyFields() throws IOException {
    Path in = Files.writeString(dir.resolve("dotted.txt"), "b.2.x\na.1.y.z\nb.1.w\na.1.v\nlone\nc..q\n");
    Path out = dir.resolve("dotted-out");
    CliRun run = streaming("local[2]", "-input", in.toString(), "-output", out.toString(), "-mapper", "cat",
        "-D", "stream.map.output.field.separator=.", "-D", "stream.num.map.output.key.fields=2", "-numReduceTasks", "1");
    assertEquals(0, run.exit(), run.err());
    List<String> want = new ArrayList<>();
    for (String line : Files.readAllLines(in)) {
      int first = line.indexOf('.');
      int second = first < 0 ? -1 : line.indexOf('.', first + 1);
      want.add(second < 0 ? line + "\t" : line.substring(0, second) + "\t" + line.substring(second + 1));
    }
    want.sort(Comparator.comparing(l -> l.substring(0, l.indexOf('\t')))); // stable: values keep map order
    assertEquals(want, Files.readAllLines(out.resolve("part-00000")));
  }

  @Test
  void keyFieldPartitionerAndComparator() throws IOException {
    Random random = new Random(5);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      lines.append("city").append(random.nextInt(12)).append('\t').append(random.nextInt(2000) - 1000)
          .append('\t').append("o").append(i).append('\n');
    }
    Path in = Files.writeString(dir.resolve("orders.tsv"), lines);
    Path out = dir.resolve("orders-out");
    CliRun run = streaming("local[2]", "-input", in.toString(), "-output", out.toString(), "-mapper", "cat",
        "-D", "stream.num.map.output.key.fields=2",
        "-D", "mapreduce.partition.keypartitioner.options=-k1,1",
        "-D", "mapreduce.partition.keycomparator.options=-k1,1 -k2,2nr",
        "-partitioner", "org.apache.hadoop.mapred.lib.KeyFieldBasedPartitioner", "-numReduceTasks", "4");
    assertEquals(0, run.exit(), run.err());
    Map<String, Integer> partOfCity = new HashMap<>();
    int total = 0;
    List<Path> parts = parts(out);
    assertEquals(4, parts.size());
    for (int p = 0; p < parts.size(); p++) {
      List<String[]> rows = Files.readAllLines(parts.get(p)).stream().map(l -> l.split("\t")).toList();
      total += rows.size();
      for (int i = 0; i < rows.size(); i++) {
        Integer before = partOfCity.put(rows.get(i)[0], p);
        assertTrue(before == null || before == p, "city " + rows.get(i)[0] + " in two parts");
        if (i > 0) {
          String[] a = rows.get(i - 1);
          String[] b = rows.get(i);
          int c = a[0].compareTo(b[0]);
          assertTrue(c < 0 || (c == 0 && Integer.parseInt(a[1]) >= Integer.parseInt(b[1])),
              "order in part " + p + ": " + String.join(" ", a) + " then " + String.join(" ", b));
        }
      }
    }
    assertEquals(3000, total);
    for (Map.Entry<String, Integer> e : partOfCity.entrySet()) {
      assertEquals(hadoopFieldHash(e.getKey()) % 4, (int) e.getValue(), "KeyFieldBasedPartitioner's part of " + e.getKey());
    }
  }

  @Test
  void bytesThatAreNotUtf8PassThroughUnchanged() throws IOException {
    byte[] input = {'o', 'k', '\n', (byte) 0xff, (byte) 0xfe, 'x', '\t', (byte) 0xc3, '\n', (byte) 0x80, (byte) 0xe9, '\n'};
    Path in = Files.write(dir.resolve("binary.txt"), input);
    Path out = dir.resolve("binary-out");
    CliRun run = streaming("local[1]", "-input", in.toString(), "-output", out.toString(), "-mapper", "cat",
        "-reducer", "NONE");
    assertEquals(0, run.exit(), run.err());
    byte[] want = {'o', 'k', '\t', '\n', (byte) 0xff, (byte) 0xfe, 'x', '\t', (byte) 0xc3, '\n', (byte) 0x80, (byte) 0xe9, '\t', '\n'};
    assertArrayEquals(want, concat(parts(out)));
    Path zeroReduces = dir.resolve("binary-out-0");
    CliRun mapOnly = streaming("local[1]", "-input", in.toString(), "-output", zeroReduces.toString(), "-mapper", "cat",
        "-reducer", "cat", "-D", "mapreduce.job.reduces=0"); // Hadoop's other spelling of map-only
    assertEquals(0, mapOnly.exit(), mapOnly.err());
    assertArrayEquals(want, concat(parts(zeroReduces)));
  }

  @Test
  void emptyInputGivesAnEmptyCommittedOutput() throws IOException {
    Path in = Files.writeString(dir.resolve("empty.txt"), "");
    Path out = dir.resolve("empty-out");
    CliRun run = streaming("local[2]", "-input", in.toString(), "-output", out.toString(),
        "-mapper", "python3 " + EXAMPLES.resolve("mapper.py"), "-reducer", "python3 " + EXAMPLES.resolve("reducer.py"));
    assertEquals(0, run.exit(), run.err());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertEquals(0, concat(parts(out)).length);
  }

  @Test
  void shippedFilesAndTheChildrensEnvironment() throws IOException {
    Path script = dir.resolve("env.sh");
    Files.writeString(script, "#!/bin/sh\ncat >/dev/null\nprintf '%s|%s|%s|%s|%s|%s|%s\\n' \"$mapreduce_map_input_file\" "
        + "\"$mapreduce_map_input_start\" \"$mapreduce_map_input_length\" \"$map_input_file\" \"$MY_VAR\" "
        + "\"$my_job_setting\" \"$(cat lookup.txt)\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path lookup = Files.writeString(dir.resolve("table.txt"), "looked up");
    Path in = Files.writeString(dir.resolve("env-in.txt"), "one\ntwo\n");
    Path out = dir.resolve("env-out");
    CliRun run = streaming("local[1]", "-input", in.toString(), "-output", out.toString(),
        "-files", script + "," + lookup + "#lookup.txt", "-mapper", "env.sh", "-reducer", "NONE",
        "-cmdenv", "MY_VAR=two words", "-D", "my.job.setting=on");
    assertEquals(0, run.exit(), run.err());
    String file = "file:" + in;
    assertEquals(List.of(file + "|0|8|" + file + "|two words|on|looked up\t"), Files.readAllLines(out.resolve("part-00000")));
  }

  @Test
  void aMapperThatRaisesShowsItsTraceback() throws IOException {
    Path script = Files.writeString(dir.resolve("raises.py"),
        "import sys\nfor n, line in enumerate(sys.stdin):\n    if n == 3:\n        raise ValueError('no good: ' + line.strip())\n"
            + "    print(line.strip())\n");
    Path in = Files.writeString(dir.resolve("raise-in.txt"), "a\nb\nc\nd\ne\n");
    Path out = dir.resolve("raise-out");
    CliRun run = streaming("local[1]", "-input", in.toString(), "-output", out.toString(),
        "-mapper", "python3 " + script, "-reducer", "cat");
    assertEquals(1, run.exit());
    String first = run.firstErrLine();
    assertTrue(first.startsWith("error: task failed: "), run.err());
    assertTrue(first.contains("mapper \"python3 " + script + "\" exited with code 1 on split file:" + in + ":0+10"), run.err());
    assertTrue(run.err().contains("  ValueError: no good: d"), run.err());
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void aTracebackCrossesExecutorJvmsAndRetriesAreCounted() throws IOException {
    Path script = Files.writeString(dir.resolve("fails.py"),
        "import sys\nfor line in sys.stdin:\n    pass\nraise SystemExit('gave up at the end: ' + str(2 + 2))\n");
    Path out = dir.resolve("fails-out");
    CliRun run = streaming("local-cluster[2,1]", "-input", corpus.toString(), "-output", out.toString(),
        "-mapper", "python3 " + script, "-reducer", "NONE", "--conf", "dflow.task.maxAttempts=2",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath());
    assertEquals(1, run.exit());
    assertTrue(run.firstErrLine().contains("(attempt 2 of 2)"), run.err());
    assertTrue(run.firstErrLine().contains("exited with code 1 on split file:" + corpus), run.err());
    assertTrue(run.err().contains("  gave up at the end: 4"), run.err());
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void aMapperThatExitsEarlySaysSo() throws IOException {
    Path out = dir.resolve("early-out");
    CliRun run = streaming("local[1]", "-input", corpus.toString(), "-output", out.toString(),
        "-mapper", "head -n 1", "-reducer", "NONE");
    assertEquals(1, run.exit());
    assertTrue(run.firstErrLine().contains("mapper \"head -n 1\" exited (code 0) after reading "), run.err());
    long firstSplit = 0; // what the first split's lines are as the mapper's input: each line and a \n
    int start = 0;
    while (start < corpusText.length() && start <= 150_000) {
      int end = corpusText.indexOf('\n', start);
      firstSplit += corpusText.substring(start, end).replace("\r", "").length() + 1;
      start = end + 1;
    }
    assertTrue(run.firstErrLine().contains(String.format(" of %,d input bytes on split file:%s:0+150000 "
        + "(attempt_dflow_0000_m_000000_0)", firstSplit, corpus)), run.err());
  }

  @Test
  void aMissingCommandFailsBeforeAnyTask() {
    Path out = dir.resolve("missing-out");
    CliRun run = streaming("local[1]", "-input", corpus.toString(), "-output", out.toString(),
        "-mapper", "no-such-mapper --fast", "-reducer", "NONE");
    assertEquals(1, run.exit());
    assertEquals("error: mapper \"no-such-mapper --fast\": command not found: no-such-mapper (not on PATH, and not a "
        + "file shipped with -files)", run.firstErrLine());
    assertFalse(run.err().contains("stage"), "no stage ran:\n" + run.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aChildsStatusShowsInTheProgressBar() throws IOException {
    Path in = Files.writeString(dir.resolve("status-in.txt"), "a\nb\n");
    Path out = dir.resolve("status-out");
    String before = System.getProperty(JobLauncher.STDERR_TERMINAL_PROPERTY);
    System.setProperty(JobLauncher.STDERR_TERMINAL_PROPERTY, "true");
    try {
      CliRun run = streaming("local[1]", "-input", in.toString(), "-output", out.toString(), "-reducer", "NONE",
          "-mapper", "sh -c 'echo reporter:status:crunching >&2; sleep 2; cat'");
      assertEquals(0, run.exit(), run.err());
      assertTrue(run.err().contains("task 0: mapper: crunching"), run.err());
    } finally {
      if (before == null) {
        System.clearProperty(JobLauncher.STDERR_TERMINAL_PROPERTY);
      } else {
        System.setProperty(JobLauncher.STDERR_TERMINAL_PROPERTY, before);
      }
    }
  }

  @Test
  void aSilentChildIsKilledAfterTheTaskTimeoutAndABusyOneIsNot() throws IOException {
    Path in = Files.writeString(dir.resolve("slow-in.txt"), "1\n2\n3\n4\n5\n6\n7\n8\n");
    Path out = dir.resolve("silent-out");
    CliRun silent = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> streaming("local[1]",
        "-input", in.toString(), "-output", out.toString(), "-reducer", "NONE",
        "-mapper", "sh -c 'sleep 120'", "--conf", "dflow.task.timeout=1500"));
    assertEquals(1, silent.exit());
    assertTrue(silent.firstErrLine().contains("split file:" + in + ":0+16"), silent.err());
    assertTrue(silent.firstErrLine().contains("the task was killed: no input record read and no output written for 1."),
        silent.err());
    assertTrue(silent.firstErrLine().contains("(dflow.task.timeout=1500 ms)"), silent.err());
    assertFalse(Files.exists(out.resolve("_SUCCESS")));

    // one line every 0.4 s: slower than the timeout in all, but never silent for a whole second
    Path busyOut = dir.resolve("busy-out");
    CliRun busy = streaming("local[1]", "-input", in.toString(), "-output", busyOut.toString(), "-reducer", "NONE",
        "-mapper", "sh -c 'while read l; do sleep 0.4; echo \"$l\"; done'", "--conf", "dflow.task.timeout=1000");
    assertEquals(0, busy.exit(), busy.err());
    assertEquals(List.of("1\t", "2\t", "3\t", "4\t", "5\t", "6\t", "7\t", "8\t"),
        Files.readAllLines(busyOut.resolve("part-00000")));
  }

  @Test
  void unknownOptionsAndHelp() {
    CliRun unknown = CliRun.of("streaming", "-input", "x", "-output", "y", "-mapper", "cat", "-bogus", "1");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("-bogus"), unknown.err());
    CliRun missing = CliRun.of("streaming", "-input", "x", "-mapper", "cat");
    assertEquals(2, missing.exit());
    assertEquals("error: missing -output: give the output path", missing.firstErrLine());
    CliRun help = CliRun.of("streaming", "--help");
    assertEquals(0, help.exit());
    for (String option : List.of("-input", "-output", "-mapper", "-combiner", "-reducer", "-files", "-file", "-cmdenv",
        "-numReduceTasks", "-partitioner", "-inputformat", "-libjars", "-D", "--master", "--overwrite")) {
      assertTrue(help.out().contains(option), option + " in:\n" + help.out());
    }
  }

  @Test
  void javaPipeKeepsTheTaskScopeUpstream() throws IOException {
    Path in = Files.writeString(dir.resolve("pipe-in.txt"), "one line\nTwo\n\nlast é\n");
    Path out = dir.resolve("pipe-out");
    CliRun run = CliRun.of("run", "--master", "local[2]", "--class", "dflowtest.jobs.PipeJob",
        TestJars.testJobs(dir).toString(), in.toString(), out.toString());
    assertEquals(0, run.exit(), run.err());
    List<String> want = Files.readAllLines(in).stream().map(l -> "> " + upperAscii(l + "!")).toList();
    List<String> got = new ArrayList<>();
    for (Path part : parts(out)) {
      got.addAll(Files.readAllLines(part));
    }
    assertEquals(want, got);
    assertTrue(run.err().contains("lines.seen=4"), run.err());
  }

  @Test
  void aPythonMapperWithAJavaReducerFromLibjarsOnTwoExecutorJvms() throws IOException {
    Path out = dir.resolve("java-reducer-out");
    CliRun run = streaming("local-cluster[2,1]", "-input", corpus.toString(), "-output", out.toString(),
        "-mapper", "python3 " + EXAMPLES.resolve("mapper.py"), "-reducer", "wc.SumReducer", "-libjars", userJar().toString(),
        "-numReduceTasks", "2", "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath());
    assertEquals(0, run.exit(), run.err());
    checkWordCount(out, 2);
    long distinct = corpusWords().size();
    assertTrue(run.err().contains("job 0 counters: Sums.Keys=" + distinct), "the reporter's counter:\n" + run.err());
  }

  @Test
  void aggregateSumsLongValueSumKeysWithItsCombiner() throws IOException {
    Path script = Files.writeString(dir.resolve("aggregate-mapper.py"), "import sys\nfor line in sys.stdin:\n"
        + "    for word in line.split():\n        print('LongValueSum:' + word + '\\t1')\n");
    Path out = dir.resolve("aggregate-out");
    CliRun run = streaming("local[2]", "-input", corpus.toString(), "-output", out.toString(),
        "-mapper", "python3 " + script, "-reducer", "aggregate", "-numReduceTasks", "3");
    assertEquals(0, run.exit(), run.err());
    checkWordCount(out, 3, "LongValueSum:");
  }

  @Test
  void javaMapperCombinerAndReducerClasses() throws IOException {
    Path out = dir.resolve("all-java-out");
    String lib = "org.apache.hadoop.mapred.lib.aggregate.";
    CliRun run = streaming("local[2]", "-input", corpus.toString(), "-output", out.toString(),
        "-mapper", "wc.AggregateWordMapper", "-combiner", lib + "ValueAggregatorCombiner",
        "-reducer", lib + "ValueAggregatorReducer", "-libjars", userJar().toString(), "-numReduceTasks", "2");
    assertEquals(0, run.exit(), run.err());
    checkWordCount(out, 2, "LongValueSum:");
  }

  @Test
  void aMapOnlyJavaMapperGetsByteOffsetsAndWritesNullValuesWithoutASeparator() throws IOException {
    StringBuilder text = new StringBuilder();
    Random random = new Random(2);
    for (int i = 0; i < 20_000; i++) {
      text.append("line ").append(i).append(" ").append("x".repeat(random.nextInt(20))).append('\n');
    }
    Path in = Files.writeString(dir.resolve("offsets.txt"), text);
    Path out = dir.resolve("offsets-out");
    CliRun run = streaming("local[2]", "-input", in.toString(), "-output", out.toString(),
        "-mapper", "wc.OffsetMapper", "-reducer", "NONE", "-libjars", userJar().toString());
    assertEquals(0, run.exit(), run.err());
    List<String> want = new ArrayList<>();
    long offset = 0;
    for (String line : text.toString().split("\n")) {
      want.add(offset + ":" + line);
      offset += line.length() + 1;
    }
    List<String> got = new ArrayList<>();
    for (Path part : parts(out)) {
      got.addAll(Files.readAllLines(part));
    }
    assertTrue(parts(out).size() > 1, "several splits, so offsets count from each split's start");
    assertEquals(want, got);
  }

  @Test
  void aJavaClassThatIsMissingOrNotAReducerFailsBeforeAnyTask() throws IOException {
    Path out = dir.resolve("bad-class-out");
    CliRun missing = streaming("local[1]", "-input", corpus.toString(), "-output", out.toString(),
        "-mapper", "cat", "-reducer", "wc.SumReducer");
    assertEquals(1, missing.exit());
    assertEquals("error: -reducer wc.SumReducer: no such class on dflow's class path or in the -libjars jar",
        missing.firstErrLine());
    CliRun notReducer = streaming("local[1]", "-input", corpus.toString(), "-output", out.toString(),
        "-mapper", "cat", "-reducer", "wc.OffsetMapper", "-libjars", userJar().toString());
    assertEquals(1, notReducer.exit());
    assertEquals("error: -reducer wc.OffsetMapper: the class does not implement org.apache.hadoop.mapred.Reducer (a Java "
        + "reducer must use Hadoop's old org.apache.hadoop.mapred API, as in Hadoop Streaming)", notReducer.firstErrLine());
    for (CliRun run : List.of(missing, notReducer)) {
      assertFalse(run.err().contains("stage"), "no stage ran:\n" + run.err());
    }
    assertFalse(Files.exists(out));
  }

  @Test
  void aLoneCarriageReturnInAChildsOutputEndsALineAsInHadoop() throws Exception {
    byte[] written = "a\rb\r\nc\n\rd\te\r\r\nf\tg\rlast".getBytes(StandardCharsets.UTF_8);
    Path bytes = Files.write(dir.resolve("cr-output.bin"), written);
    Path in = Files.writeString(dir.resolve("cr-in.txt"), "one line\n");
    Path out = dir.resolve("cr-out");
    CliRun run = streaming("local[1]", "-input", in.toString(), "-output", out.toString(),
        "-mapper", "sh -c 'cat >/dev/null; cat " + bytes + "'", "-reducer", "NONE");
    assertEquals(0, run.exit(), run.err());
    // the reference: the lines Hadoop's own LineReader (what Hadoop Streaming reads a child's stdout with) cuts
    List<String> want = new ArrayList<>();
    try (org.apache.hadoop.util.LineReader reader = new org.apache.hadoop.util.LineReader(
        new java.io.ByteArrayInputStream(written))) {
      org.apache.hadoop.io.Text line = new org.apache.hadoop.io.Text();
      while (reader.readLine(line) > 0) {
        String l = line.toString();
        want.add(l.contains("\t") ? l : l + "\t");
      }
    }
    assertEquals(List.of("a\t", "b\t", "c\t", "\t", "d\te", "\t", "f\tg", "last\t"), want);
    assertEquals(String.join("\n", want) + "\n", Files.readString(out.resolve("part-00000")));
  }

  /** The corpus's distinct words. */
  private static Set<String> corpusWords() {
    Set<String> words = new HashSet<>();
    for (String word : corpusText.split("[ \t\r\n]+")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }

  /**
   * A jar of a user's classes in Hadoop's old mapred API, compiled here (so they are on no class
   * path but the jar's): a summing reducer with a counter, a word mapper for the aggregate
   * package, and a mapper writing each line's byte offset with a NullWritable value.
   */
  private static synchronized Path userJar() throws IOException {
    Path jar = dir.resolve("user-classes.jar");
    if (Files.exists(jar)) {
      return jar;
    }
    Path src = Files.createDirectories(dir.resolve("user-src/wc"));
    String imports = "package wc;\nimport java.io.IOException;\nimport java.util.Iterator;\n"
        + "import org.apache.hadoop.io.*;\nimport org.apache.hadoop.mapred.*;\n";
    Files.writeString(src.resolve("SumReducer.java"), imports
        + "public class SumReducer extends MapReduceBase implements Reducer<Text, Text, Text, Text> {\n"
        + "  public void reduce(Text key, Iterator<Text> values, OutputCollector<Text, Text> out, Reporter reporter)\n"
        + "      throws IOException {\n"
        + "    long sum = 0;\n"
        + "    while (values.hasNext()) { sum += Long.parseLong(values.next().toString().trim()); }\n"
        + "    reporter.incrCounter(\"Sums\", \"Keys\", 1);\n"
        + "    out.collect(key, new Text(Long.toString(sum)));\n"
        + "  }\n}\n");
    Files.writeString(src.resolve("AggregateWordMapper.java"), imports
        + "public class AggregateWordMapper extends MapReduceBase implements Mapper<LongWritable, Text, Text, Text> {\n"
        + "  private final Text one = new Text(\"1\");\n"
        + "  public void map(LongWritable offset, Text line, OutputCollector<Text, Text> out, Reporter reporter)\n"
        + "      throws IOException {\n"
        + "    for (String word : line.toString().split(\"[ \\t\\r\\n]+\")) {\n"
        + "      if (!word.isEmpty()) { out.collect(new Text(\"LongValueSum:\" + word), one); }\n"
        + "    }\n  }\n}\n");
    Files.writeString(src.resolve("OffsetMapper.java"), imports
        + "public class OffsetMapper extends MapReduceBase implements Mapper<LongWritable, Text, Text, NullWritable> {\n"
        + "  public void map(LongWritable offset, Text line, OutputCollector<Text, NullWritable> out, Reporter reporter)\n"
        + "      throws IOException {\n"
        + "    out.collect(new Text(offset.get() + \":\" + line), NullWritable.get());\n"
        + "  }\n}\n");
    Path classes = Files.createDirectories(dir.resolve("user-classes"));
    String hadoop;
    try {
      hadoop = Path.of(org.apache.hadoop.mapred.Mapper.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", hadoop));
    try (Stream<Path> sources = Files.list(src)) {
      sources.forEach(f -> args.add(f.toString()));
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, errors, args.toArray(String[]::new));
    assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));
    Path tmp = dir.resolve("user-classes.jar.tmp");
    try (java.util.jar.JarOutputStream jarOut = new java.util.jar.JarOutputStream(Files.newOutputStream(tmp));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        jarOut.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, jarOut);
        jarOut.closeEntry();
      }
    }
    return Files.move(tmp, jar);
  }

  /** What {@code tr a-z A-Z} does: ASCII letters only. */
  private static String upperAscii(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
    }
    return b.toString();
  }

  private static CliRun streaming(String master, String... args) {
    List<String> all = new ArrayList<>(List.of("streaming", "--master", master,
        "--conf", "dflow.input.maxSplitBytes=150000"));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  /** Checks the word count against a count done here, and that part files hold their keys in Hadoop's order and partitions. */
  private static void checkWordCount(Path out, int reduces) throws IOException {
    checkWordCount(out, reduces, "");
  }

  /** @param mapKeyPrefix what the map output keys had before the word (the part is the hash of the whole map key) */
  private static void checkWordCount(Path out, int reduces, String mapKeyPrefix) throws IOException {
    Map<String, Long> want = new TreeMap<>();
    for (String word : corpusText.split("[ \t\r\n]+")) {
      if (!word.isEmpty()) {
        want.merge(word, 1L, Long::sum);
      }
    }
    Map<String, Long> got = new TreeMap<>();
    List<Path> parts = parts(out);
    assertEquals(reduces, parts.size());
    for (int p = 0; p < parts.size(); p++) {
      String previous = null;
      for (String line : Files.readAllLines(parts.get(p))) {
        String[] kv = line.split("\t");
        assertEquals(2, kv.length, line);
        assertEquals(null, got.put(kv[0], Long.parseLong(kv[1])), "word twice: " + kv[0]);
        assertTrue(previous == null || Arrays.compareUnsigned(previous.getBytes(StandardCharsets.UTF_8),
            kv[0].getBytes(StandardCharsets.UTF_8)) < 0, "sorted by bytes: " + previous + " then " + kv[0]);
        assertEquals(hadoopTextHash(mapKeyPrefix + kv[0]) % reduces, p, "Hadoop's HashPartitioner part of " + kv[0]);
        previous = kv[0];
      }
    }
    assertEquals(want, got);
  }

  /** Hadoop's HashPartitioner over a Text key: (hash & MAX) with the hash 31*h + b from 1. */
  private static int hadoopTextHash(String key) {
    int h = 1;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    return h & Integer.MAX_VALUE;
  }

  /** KeyFieldBasedPartitioner's hash of one selected field: 31*h + b from 0. */
  private static int hadoopFieldHash(String field) {
    int h = 0;
    for (byte b : field.getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    return h & Integer.MAX_VALUE;
  }

  private static List<Path> parts(Path out) throws IOException {
    assertTrue(Files.exists(out.resolve("_SUCCESS")), "committed output in " + out);
    try (Stream<Path> files = Files.list(out)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
  }

  private static byte[] concat(List<Path> parts) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Path part : parts) {
      all.write(Files.readAllBytes(part));
    }
    return all.toByteArray();
  }
}
