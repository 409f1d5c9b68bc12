package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.driver.backend.LocalClusterBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples' WordCount through the real command line, on {@code local[2]} and on
 * {@code local-cluster[2,1]} (two executor JVMs exchanging Arrow shuffle blocks), against a
 * count computed independently in the test.
 */
class WordCountEndToEndTest {
  @TempDir
  static Path dir;
  static Path input;
  static Map<String, Long> expected;

  @BeforeAll
  static void corpus() throws IOException {
    input = Files.createDirectories(dir.resolve("in"));
    Corpus.write(input.resolve("a.txt"), 600_000, 1);
    Corpus.write(input.resolve("b.txt"), 300_000, 2);
    Files.writeString(input.resolve("_ignored.txt"), "hidden words never counted\n");
    Files.writeString(input.resolve(".crc"), "hidden\n");
    expected = Corpus.count(Files.readString(input.resolve("a.txt")) + "\n"
        + Files.readString(input.resolve("b.txt")));
  }

  @Test
  void localTwoSlots() throws IOException {
    assertWordCount("local[2]", dir.resolve("out-local"));
  }

  @Test
  void localClusterOfTwoExecutorJvms() throws IOException {
    assertWordCount("local-cluster[2,1]", dir.resolve("out-cluster"));
  }

  @Test
  void executorsStartWhenTheDriversClassDataArchiveDoesNotFitThem() throws IOException {
    Path notAnArchive = Files.writeString(dir.resolve("stale.jsa"), "not a class-data archive");
    System.setProperty(LocalClusterBackend.CDS_ARCHIVE_PROPERTY, notAnArchive.toString());
    try {
      assertWordCount("local-cluster[2,1]", dir.resolve("out-cluster-archive"));
    } finally {
      System.clearProperty(LocalClusterBackend.CDS_ARCHIVE_PROPERTY);
    }
  }

  private void assertWordCount(String master, Path out) throws IOException {
    List<String> args = new ArrayList<>(List.of("run", "--master", master,
        "--class", "io.dflow.examples.WordCount"));
    // 64 KiB splits: many lines cross a split boundary, and b.txt is cut too.
    args.addAll(TestJars.confArgs("dflow.input.maxSplitBytes=65536", "dflow.shuffle.partitions=3",
        "dflow.executor.classpath=" + TestJars.executorClasspath()));
    args.addAll(List.of(TestJars.examples().toString(), input.toString(), out.toString()));
    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.lastErrLine().matches("application app-\\S+ succeeded in [0-9.]+ s \\(1 job, 2 stages, \\d+ tasks\\)"),
        run.lastErrLine());
    assertEquals(expected, Corpus.parseCounts(outputLines(out)));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertEquals(List.of("_SUCCESS", "part-00000", "part-00001", "part-00002"), names(out));
  }

  static List<String> outputLines(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  /** The visible files of an output folder (Hadoop's local file system adds hidden .crc files). */
  static List<String> names(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
    }
  }
}
