package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.plan.InputFile;
import io.dflow.planner.split.SplitPlanner;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples' WordCount over gzip-compressed input counts the words of the text, not of the
 * compressed bytes: each file is one split however big, decompressed as it is read; a
 * truncated file fails the job naming it.
 */
class CompressedInputEndToEndTest {
  @TempDir
  static Path dir;
  static Path input;
  static Map<String, Long> expected;

  @BeforeAll
  static void corpus() throws IOException {
    input = Files.createDirectories(dir.resolve("in"));
    Path plainA = dir.resolve("a.txt");
    Path plainB = dir.resolve("b.txt");
    Corpus.write(plainA, 700_000, 5);
    Corpus.write(plainB, 200_000, 6);
    gzip(plainA, input.resolve("a.txt.gz"));
    Files.copy(plainB, input.resolve("b.txt")); // a plain file beside a compressed one
    expected = Corpus.count(Files.readString(plainA) + "\n" + Files.readString(plainB));
  }

  @Test
  void wordCountOfGzipInputCountsTheText() throws IOException {
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("run", "--master", "local[2]", "--class", "io.dflow.examples.WordCount",
        "--conf", "dflow.input.maxSplitBytes=100000", TestJars.examples().toString(), input.toString(), out.toString());
    assertEquals(0, run.exit(), run.err());
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(part));
      }
    }
    assertEquals(expected, Corpus.parseCounts(lines));
    assertTrue(Files.size(input.resolve("a.txt.gz")) > 100_000, "big enough to be cut, were it plain");
    int plainSplits = SplitPlanner.plan(List.of(new InputFile("b", Files.size(input.resolve("b.txt")), List.of())),
        100_000).size();
    assertTrue(run.err().contains("(" + (1 + plainSplits) + " splits)"), "the .gz is one split:\n" + run.err());
  }

  @Test
  void aBzip2FileIsCutIntoSplitsAndCountedExactly() throws IOException {
    Path plain = dir.resolve("big.txt");
    Corpus.write(plain, 2_200_000, 7); // three bzip2 blocks
    Path in = Files.createDirectories(dir.resolve("bz2-in"));
    Path bz2 = in.resolve("big.txt.bz2");
    org.apache.hadoop.io.compress.CompressionCodec codec = org.apache.hadoop.util.ReflectionUtils.newInstance(
        org.apache.hadoop.io.compress.BZip2Codec.class, new org.apache.hadoop.conf.Configuration());
    try (OutputStream out = codec.createOutputStream(Files.newOutputStream(bz2))) {
      Files.copy(plain, out);
    }
    long splitBytes = Files.size(bz2) / 4 + 1;
    Path out = dir.resolve("bz2-out");
    CliRun run = CliRun.of("run", "--master", "local[2]", "--class", "io.dflow.examples.WordCount",
        "--conf", "dflow.input.maxSplitBytes=" + splitBytes, TestJars.examples().toString(), in.toString(), out.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.err().contains("(4 splits)") || run.err().contains("(5 splits)"), run.err());
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(part));
      }
    }
    assertEquals(Corpus.count(Files.readString(plain)), Corpus.parseCounts(lines));
  }

  @Test
  void aTruncatedFileFailsTheJobNamingIt() throws IOException {
    Path broken = Files.createDirectories(dir.resolve("broken"));
    byte[] whole = Files.readAllBytes(input.resolve("a.txt.gz"));
    Path truncated = Files.write(broken.resolve("cut.txt.gz"), Arrays.copyOf(whole, whole.length - 5000));
    Path out = dir.resolve("broken-out");
    CliRun run = CliRun.of("run", "--master", "local[1]", "--class", "io.dflow.examples.WordCount",
        TestJars.examples().toString(), broken.toString(), out.toString());
    assertEquals(1, run.exit());
    assertTrue(run.firstErrLine().contains("Cannot decompress file:" + truncated + " (gzip): "), run.err());
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void outputIsCompressedByConfAndReadBackByItsExtension() throws IOException {
    for (String codec : List.of("gzip", "bzip2")) {
      Path out = dir.resolve("compressed-out-" + codec);
      CliRun run = CliRun.of("run", "--master", "local[2]", "--class", "io.dflow.examples.WordCount",
          "--conf", "dflow.output.compress=true", "--conf", "dflow.output.compress.codec=" + codec,
          TestJars.examples().toString(), input.toString(), out.toString());
      assertEquals(0, run.exit(), run.err());
      String extension = codec.equals("gzip") ? ".gz" : ".bz2";
      List<Path> parts;
      try (Stream<Path> files = Files.list(out)) {
        parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
      }
      assertEquals(List.of("part-00000" + extension, "part-00001" + extension),
          parts.stream().map(p -> p.getFileName().toString()).toList());
      if (codec.equals("gzip")) { // read independently of Hadoop's codecs
        List<String> lines = new ArrayList<>();
        for (Path part : parts) {
          try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(part))) {
            lines.addAll(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList());
          }
        }
        assertEquals(expected, Corpus.parseCounts(lines));
      }
      // dflow reads its own compressed output back: the words of its word<TAB>count lines
      Path again = dir.resolve("recount-" + codec);
      CliRun recount = CliRun.of("run", "--master", "local[2]", "--class", "io.dflow.examples.WordCount",
          TestJars.examples().toString(), out.toString(), again.toString());
      assertEquals(0, recount.exit(), recount.err());
      StringBuilder written = new StringBuilder();
      expected.forEach((word, n) -> written.append(word).append('\t').append(n).append('\n'));
      List<String> recounted = new ArrayList<>();
      try (Stream<Path> files = Files.list(again)) {
        for (Path part : files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
          recounted.addAll(Files.readAllLines(part));
        }
      }
      assertEquals(Corpus.count(written.toString()), Corpus.parseCounts(recounted), codec);
    }
  }

  @Test
  void anUnknownOutputCodecFailsBeforeAnyTask() {
    Path out = dir.resolve("bad-codec-out");
    CliRun run = CliRun.of("run", "--master", "local[1]", "--class", "io.dflow.examples.WordCount",
        "--conf", "dflow.output.compress=true", "--conf", "dflow.output.compress.codec=rar",
        TestJars.examples().toString(), input.toString(), out.toString());
    assertEquals(1, run.exit());
    assertEquals("error: dflow.output.compress.codec=rar is not a codec dflow writes: use one of bzip2, deflate, "
        + "gzip, lz4, snappy, zstd", run.firstErrLine());
    assertFalse(run.err().contains("tasks done"), run.err());
    assertFalse(Files.exists(out));
  }

  private static void gzip(Path from, Path to) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
      Files.copy(from, out);
    }
  }
}
