package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.FileSplit.Segment;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextSplitReaderTest {
  private static final String[] PIECES = {"a", "word", " ", "\t", "é", "漢", "😀", "ÿ", "end", "日本語"};
  private static final String[] TERMINATORS = {"\n", "\r\n", "\r"};
  private static final int NO_LIMIT = Integer.MAX_VALUE - 64;

  private final Configuration conf = HadoopConf.create(Map.of());

  @TempDir
  Path dir;

  @Test
  void everyTinyFileCutAtEveryByteWithTinyBuffersReadsEachLineOnce() throws IOException {
    // Every text of up to 5 symbols over this alphabet: all terminator neighbours, CRLF
    // straddling cuts and buffer ends, multibyte characters cut in two.
    String[] alphabet = {"a", "\r", "\n", "é"};
    List<String> texts = new ArrayList<>();
    for (int length = 0; length <= 5; length++) {
      int combinations = (int) Math.pow(alphabet.length, length);
      for (int n = 0; n < combinations; n++) {
        StringBuilder text = new StringBuilder();
        for (int k = 0, rest = n; k < length; k++, rest /= alphabet.length) {
          text.append(alphabet[rest % alphabet.length]);
        }
        texts.add(text.toString());
      }
    }
    for (int i = 0; i < texts.size(); i++) {
      byte[] bytes = texts.get(i).getBytes(StandardCharsets.UTF_8);
      String file = write("tiny-" + i, bytes);
      for (int cut = 0; cut <= bytes.length; cut++) {
        for (int buffer : new int[] {1, 2, 3, 64}) {
          assertSegmentsReadReference(file, bytes, new long[] {cut}, buffer);
        }
      }
    }
  }

  @Test
  void randomFilesCutAtEveryByteAndManyRandomWays() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 12; round++) {
      byte[] bytes = randomText(random, 1 + random.nextInt(60), 0).getBytes(StandardCharsets.UTF_8);
      String file = write("random-" + round, bytes);
      for (int cut = 0; cut <= bytes.length; cut++) {
        assertSegmentsReadReference(file, bytes, new long[] {cut}, 16);
        assertSplitsReadReference(file, bytes, new long[] {cut});
      }
      for (int k = 0; k < 40; k++) {
        long[] cuts = randomCuts(random, bytes.length, 1 + random.nextInt(6));
        assertSegmentsReadReference(file, bytes, cuts, 1 + random.nextInt(40));
        assertSplitsReadReference(file, bytes, cuts);
      }
    }
  }

  @Test
  void multiMegabyteLinesAreReadWholeWhereverTheCutsFall() throws IOException {
    Random random = new Random(11);
    String text = randomText(random, 30, 3 << 20);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String file = write("long", bytes);
    List<Long> starts = LineReference.lineStarts(bytes);
    for (int k = 0; k < 6; k++) {
      assertSplitsReadReference(file, bytes, randomCuts(random, bytes.length, 1 + random.nextInt(8)));
    }
    // Cuts just around every line start, where a long line begins or ends.
    List<Long> around = new ArrayList<>();
    for (long start : starts) {
      for (long cut = start - 2; cut <= start + 2; cut++) {
        if (cut >= 0 && cut <= bytes.length) {
          around.add(cut);
        }
      }
    }
    assertSplitsReadReference(file, bytes, around.stream().mapToLong(Long::longValue).toArray());
  }

  @Test
  void severalFilesInOneSplitAreReadInSegmentOrderWithTheirPositions() throws IOException {
    String a = write("a.txt", "one\r\ntwo".getBytes(StandardCharsets.UTF_8));
    String b = write("b.txt", "three\rfour\n".getBytes(StandardCharsets.UTF_8));
    FileSplit split = new FileSplit(List.of(new Segment(a, 0, 8), new Segment(b, 0, 11)), List.of());
    List<String> lines = new ArrayList<>();
    List<String> positions = new ArrayList<>();
    try (TextSplitReader<String> reader = TextSplitReader.text(split, conf)) {
      assertNull(reader.currentPath());
      assertEquals(-1, reader.lineOffset());
      while (reader.hasNext()) {
        lines.add(reader.next());
        positions.add(reader.describePosition());
      }
      assertFalse(reader.hasNext());
      assertThrows(NoSuchElementException.class, reader::next);
    }
    assertEquals(List.of("one", "two", "three", "four"), lines);
    assertEquals(List.of("file " + a + " at byte offset 0", "file " + a + " at byte offset 5",
        "file " + b + " at byte offset 0", "file " + b + " at byte offset 6"), positions);
  }

  @Test
  void emptyFileGivesNoLines() throws IOException {
    String file = write("empty", new byte[0]);
    try (TextSplitReader<String> reader = TextSplitReader.text(split(file, 0, 0), conf)) {
      assertNull(reader.readLine());
    }
  }

  @Test
  void aLineOverTheLimitFailsNamingFileAndOffset() throws IOException {
    byte[] bytes = "short\n0123456789\n0123456789A\r\nafter\n".getBytes(StandardCharsets.UTF_8);
    String file = write("limited", bytes);
    try (TextSplitReader<String> reader = TextSplitReader.text(split(file, 0, bytes.length), conf, 10)) {
      assertEquals("short", reader.readLine());
      assertEquals("0123456789", reader.readLine());
      IOException e = assertThrows(IOException.class, reader::readLine);
      assertTrue(e.getMessage().contains("in file " + file + " at byte offset 17"), e.getMessage());
      assertTrue(e.getMessage().contains(TextSplitReader.MAX_LINE_BYTES_KEY), e.getMessage());
    }
  }

  @Test
  void theLimitComesFromTheConfigurationAndHoldsAcrossBufferRefills() throws IOException {
    byte[] bytes = ("ok\n" + "x".repeat(300_000) + "\n").getBytes(StandardCharsets.UTF_8);
    String file = write("limited-long", bytes);
    Configuration limited = HadoopConf.create(Map.of());
    limited.setInt(TextSplitReader.MAX_LINE_BYTES_KEY, 200_000);
    try (TextSplitReader<String> reader = TextSplitReader.text(split(file, 0, bytes.length), limited)) {
      assertEquals("ok", reader.next());
      UncheckedIOException e = assertThrows(UncheckedIOException.class, reader::hasNext);
      assertTrue(e.getMessage().contains("at byte offset 3"), e.getMessage());
    }
    assertEquals(List.of("ok", "x".repeat(300_000)), readAll(split(file, 0, bytes.length), 300_000));
  }

  @Test
  void aLineOfExactlyTheLimitEndingInCrAtABufferEndIsAllowed() throws IOException {
    byte[] bytes = "abcd\r\nxy".getBytes(StandardCharsets.UTF_8);
    String file = write("exact", bytes);
    for (int buffer = 1; buffer <= 8; buffer++) {
      assertEquals(List.of("abcd", "xy"), readSegment(file, 0, bytes.length, buffer, 4, null));
    }
  }

  /** Reads the file as consecutive segments split at {@code cuts} with SegmentLineReader directly. */
  private void assertSegmentsReadReference(String file, byte[] bytes, long[] cuts, int buffer) throws IOException {
    List<String> lines = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    for (Segment segment : segments(file, bytes.length, cuts)) {
      lines.addAll(readSegment(file, segment.start(), segment.length(), buffer, NO_LIMIT, starts));
    }
    String where = describe(bytes, cuts) + " buffer " + buffer;
    assertEquals(LineReference.lines(new String(bytes, StandardCharsets.UTF_8)), lines, where);
    assertEquals(LineReference.lineStarts(bytes), starts, where);
  }

  /** Reads the file as one split per segment, and as one split holding all segments. */
  private void assertSplitsReadReference(String file, byte[] bytes, long[] cuts) throws IOException {
    List<Segment> segments = segments(file, bytes.length, cuts);
    List<String> lines = new ArrayList<>();
    for (Segment segment : segments) {
      lines.addAll(readAll(new FileSplit(List.of(segment), List.of()), NO_LIMIT));
    }
    List<String> expected = LineReference.lines(new String(bytes, StandardCharsets.UTF_8));
    assertEquals(expected, lines, describe(bytes, cuts));
    assertEquals(expected, readAll(new FileSplit(segments, List.of()), NO_LIMIT), describe(bytes, cuts));
  }

  private List<String> readSegment(String file, long start, long length, int buffer, int maxLine,
      List<Long> starts) throws IOException {
    // Plain streams keep these many thousands of reads fast; TextSplitReader tests go through Hadoop.
    InputStream in = Files.newInputStream(Path.of(URI.create(file)));
    in.skipNBytes(start);
    List<String> lines = new ArrayList<>();
    try (SegmentLineReader reader = new SegmentLineReader(file, in, start, length, maxLine, buffer)) {
      for (String line = reader.readLine(TextSplitReader.TEXT); line != null; line = reader.readLine(TextSplitReader.TEXT)) {
        lines.add(line);
        if (starts != null) {
          starts.add(reader.lineStart());
        }
      }
      assertNull(reader.readLine(TextSplitReader.TEXT));
    }
    return lines;
  }

  private List<String> readAll(FileSplit split, int maxLine) throws IOException {
    List<String> lines = new ArrayList<>();
    try (TextSplitReader<String> reader = TextSplitReader.text(split, conf, maxLine)) {
      reader.forEachRemaining(lines::add);
    }
    return lines;
  }

  private static List<Segment> segments(String file, long length, long[] cuts) {
    TreeSet<Long> bounds = new TreeSet<>();
    bounds.add(0L);
    bounds.add(length);
    for (long cut : cuts) {
      bounds.add(cut);
    }
    List<Segment> segments = new ArrayList<>();
    Long previous = null;
    for (long bound : bounds) {
      if (previous != null) {
        segments.add(new Segment(file, previous, bound - previous));
      }
      previous = bound;
    }
    if (segments.isEmpty()) {
      segments.add(new Segment(file, 0, 0));
    }
    return segments;
  }

  private static FileSplit split(String file, long start, long length) {
    return new FileSplit(List.of(new Segment(file, start, length)), List.of());
  }

  private static long[] randomCuts(Random random, int length, int count) {
    long[] cuts = new long[count];
    for (int i = 0; i < count; i++) {
      cuts[i] = random.nextInt(length + 1);
    }
    return cuts;
  }

  /** Random lines of random pieces, mixed terminators, empty lines, maybe no final terminator. */
  private static String randomText(Random random, int lines, int longLineChars) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      if (longLineChars > 0 && i % 10 == 3) {
        for (int c = 0; c < longLineChars; c++) {
          text.append(c % 1000 == 999 ? "漢" : "l");
        }
      } else {
        int pieces = random.nextInt(5);
        for (int p = 0; p < pieces; p++) {
          text.append(PIECES[random.nextInt(PIECES.length)]);
        }
      }
      if (i < lines - 1 || random.nextBoolean()) {
        text.append(TERMINATORS[random.nextInt(TERMINATORS.length)]);
      }
    }
    return text.toString();
  }

  private static String describe(byte[] bytes, long[] cuts) {
    String shown = bytes.length > 200 ? bytes.length + " bytes" : Arrays.toString(bytes);
    return "text " + shown + " cut at " + Arrays.toString(cuts);
  }

  private String write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file.toUri().toString();
  }
}
