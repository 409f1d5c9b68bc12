package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.InputFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.DefaultCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compressed text files are decompressed by the codec their extension names and read whole,
 * and a damaged one fails naming the file, the codec and the compressed offset.
 */
class CompressedInputTest {
  private static final Configuration CONF = HadoopConf.create(Map.of());

  @TempDir
  static Path dir;
  static List<String> lines;
  static byte[] text;

  @BeforeAll
  static void makeText() {
    Random random = new Random(4);
    lines = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 30_000; i++) {
      String line = "line " + i + " " + Long.toString(random.nextLong(), 36) + (i % 7 == 0 ? " é漢" : "");
      lines.add(line);
      all.append(line).append(i % 5 == 0 ? "\r\n" : "\n");
    }
    text = all.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void gzipBzip2AndDeflateFilesReadAsTheirText() throws IOException {
    Path gz = dir.resolve("a.txt.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(text);
    }
    Path bz2 = hadoopCompressed("a.txt.bz2", BZip2Codec.class);
    Path deflate = hadoopCompressed("a.txt.deflate", DefaultCodec.class);
    for (Path file : List.of(gz, bz2, deflate)) {
      assertEquals(lines, read(file), file.toString());
      InputFile listed = new InputLister(CONF).list(file.toString()).get(0);
      assertEquals(file == bz2, listed.splittable(), "only bzip2 can be cut: " + file);
    }
    Path plain = Files.write(dir.resolve("a.txt"), text);
    assertTrue(new InputLister(CONF).list(plain.toString()).get(0).splittable());
  }

  @Test
  void aTruncatedOrDamagedFileFailsNamingFileCodecAndOffset() throws IOException {
    Path whole = dir.resolve("whole.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
      out.write(text);
    }
    byte[] compressed = Files.readAllBytes(whole);
    Path truncated = Files.write(dir.resolve("truncated.gz"), Arrays.copyOf(compressed, compressed.length / 2));
    IOException cut = assertThrows(IOException.class, () -> read(truncated));
    assertTrue(cut.getMessage().startsWith("Cannot decompress file:" + truncated + " (gzip): "), cut.getMessage());
    assertTrue(cut.getMessage().contains("at compressed byte offset "), cut.getMessage());

    byte[] damaged = compressed.clone();
    for (int i = 200; i < 260; i++) {
      damaged[i] ^= 0x5a;
    }
    Path bad = Files.write(dir.resolve("damaged.gz"), damaged);
    IOException wrong = assertThrows(IOException.class, () -> read(bad));
    assertTrue(wrong.getMessage().startsWith("Cannot decompress file:" + bad + " (gzip): "), wrong.getMessage());

    Path notGzip = Files.write(dir.resolve("plain-named.gz"), text);
    IOException named = assertThrows(IOException.class, () -> read(notGzip));
    assertTrue(named.getMessage().contains(notGzip.toString()), named.getMessage());
  }

  @Test
  void aBzip2FileCutAnywhereReadsEveryLineOnceInOrder() throws IOException {
    StringBuilder big = new StringBuilder();
    List<String> bigLines = new ArrayList<>();
    Random random = new Random(8);
    while (big.length() < 2_600_000) { // three 900 kB bzip2 blocks
      String line = Long.toString(random.nextLong(), 36).repeat(1 + random.nextInt(4));
      bigLines.add(line);
      big.append(line).append('\n');
    }
    Path file = dir.resolve("big.txt.bz2");
    try (OutputStream out = ReflectionUtils.newInstance(BZip2Codec.class, CONF).createOutputStream(Files.newOutputStream(file))) {
      out.write(big.toString().getBytes(StandardCharsets.UTF_8));
    }
    long length = Files.size(file);
    Random cuts = new Random(9);
    for (int trial = 0; trial < 6; trial++) {
      List<Long> bounds = new ArrayList<>(List.of(0L, length));
      for (int c = 1 + trial; c > 0; c--) {
        bounds.add(1 + (long) (cuts.nextDouble() * (length - 1)));
      }
      bounds = bounds.stream().distinct().sorted().toList();
      List<String> got = new ArrayList<>();
      for (int i = 0; i + 1 < bounds.size(); i++) {
        FileSplit piece = new FileSplit(List.of(new FileSplit.Segment("file:" + file, bounds.get(i),
            bounds.get(i + 1) - bounds.get(i))), List.of());
        try (TextSplitReader<String> reader = TextSplitReader.text(piece, CONF)) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            got.add(line);
          }
        }
      }
      assertEquals(bigLines.size(), got.size(), "cuts at " + bounds);
      assertEquals(bigLines, got, "cuts at " + bounds);
    }
  }

  @Test
  void codecsWithoutHadoopsNativeLibraryWorkOrSayWhichIsMissing() throws IOException {
    Path lz4 = hadoopCompressed("a.txt.lz4", org.apache.hadoop.io.compress.Lz4Codec.class); // lz4-java, no native code
    assertEquals(lines, read(lz4));
    Path zst = Files.write(dir.resolve("a.txt.zst"), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0});
    IOException e = assertThrows(IOException.class, () -> read(zst));
    assertTrue(e.getMessage().startsWith("Cannot read file:" + zst + ": its codec, zstandard, cannot run here ("),
        e.getMessage());
  }

  @Test
  void aCompressedSegmentMustStartAtZero() throws IOException {
    Path gz = dir.resolve("start.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(text);
    }
    FileSplit middle = new FileSplit(List.of(new FileSplit.Segment("file:" + gz, 10, 100)), List.of());
    try (TextSplitReader<String> reader = TextSplitReader.text(middle, CONF)) {
      IOException e = assertThrows(IOException.class, reader::readLine);
      assertTrue(e.getMessage().startsWith("A compressed file is read whole"), e.getMessage());
    }
  }

  private static Path hadoopCompressed(String name, Class<? extends CompressionCodec> type) throws IOException {
    CompressionCodec codec = ReflectionUtils.newInstance(type, CONF);
    Path file = dir.resolve(name);
    try (OutputStream out = codec.createOutputStream(Files.newOutputStream(file))) {
      out.write(text);
    }
    return file;
  }

  private static List<String> read(Path file) throws IOException {
    long length = Files.size(file);
    FileSplit whole = new FileSplit(List.of(new FileSplit.Segment("file:" + file, 0, length)), List.of());
    List<String> got = new ArrayList<>();
    try (TextSplitReader<String> reader = TextSplitReader.text(whole, CONF)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        got.add(line);
      }
    }
    return got;
  }
}
