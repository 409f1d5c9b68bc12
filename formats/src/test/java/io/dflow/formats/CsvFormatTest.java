package io.dflow.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.api.io.CsvOptions;
import io.dflow.api.plan.FileFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV rows read by split and written as part files: quotes, separators in fields, headers, bad rows. */
class CsvFormatTest extends FormatTestBase {
  private static FileFormat.Csv csv(CsvOptions options) {
    return new FileFormat.Csv(options, List.of());
  }

  private static List<List<String>> rows(List<Object> records) {
    return records.stream().map(r -> Arrays.asList((String[]) r)).toList();
  }

  @Test
  void quotedFieldsHoldSeparatorsAndDoubledQuotes() throws IOException {
    Path file = dir.resolve("a.csv");
    Files.writeString(file, "plain,\"with, comma\",\"say \"\"hi\"\"\",,\"\"\nx,y,z,w,v\r\n");
    List<List<String>> got = rows(read(csv(CsvOptions.csv()), Encoders.strings(), split(file, 0, Files.size(file))));
    assertEquals(List.of(List.of("plain", "with, comma", "say \"hi\"", "", ""), List.of("x", "y", "z", "w", "v")), got);
  }

  @Test
  void everyRowIsReadOnceWhereverTheFileIsCut() throws IOException {
    Path file = dir.resolve("cut.csv");
    List<List<String>> expected = new ArrayList<>();
    StringBuilder text = new StringBuilder("id,name\n");
    for (int i = 0; i < 50; i++) {
      String name = i % 3 == 0 ? "a, \"b\" " + i : "n" + i;
      expected.add(List.of(String.valueOf(i), name));
      text.append(i).append(',').append(i % 3 == 0 ? "\"a, \"\"b\"\" " + i + "\"" : name).append('\n');
    }
    Files.writeString(file, text);
    long length = Files.size(file);
    FileFormat.Csv format = csv(CsvOptions.csv().withHeader(true));
    for (long cut = 1; cut < length; cut += 7) {
      assertEquals(expected, rows(readCut(format, Encoders.strings(), file, cut, Math.min(length - 1, cut + 40))),
          "cut at " + cut);
    }
  }

  @Test
  void multiLineFieldsSpanLines() throws IOException {
    Path file = dir.resolve("m.csv");
    Files.writeString(file, "k,text\n1,\"line one\nline two\"\n2,\"x\r\ny\",\n", StandardCharsets.UTF_8);
    FileFormat.Csv format = csv(CsvOptions.csv().withHeader(true).withMultiLine(true).withSkipBadRows(true));
    // the third row has three fields against the header's two: a bad row, skipped
    assertEquals(List.of(List.of("1", "line one\nline two")), rows(read(format, Encoders.strings(),
        split(file, 0, Files.size(file)))));
    assertTrue(format.splittable(new io.dflow.api.plan.InputFile("m.csv", 10, List.of())) == false,
        "a multi-line file is read whole");
  }

  @Test
  void aRaggedRowFailsNamingFileLineAndOffset() throws IOException {
    Path file = dir.resolve("ragged.csv");
    Files.writeString(file, "a,b\n1,2\n3\n4,5\n");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () ->
        read(csv(CsvOptions.csv().withHeader(true)), Encoders.strings(), split(file, 0, Files.size(file))));
    String m = e.getCause().getMessage();
    assertTrue(m.contains(file.getFileName().toString()) && m.contains("line 3") && m.contains("byte offset 8")
        && m.contains("1 fields, the header 2"), m);
  }

  @Test
  void aQuoteLeftOpenFailsInLineMode() throws IOException {
    Path file = dir.resolve("open.csv");
    Files.writeString(file, "1,\"never closed\n2,b\n");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () ->
        read(csv(CsvOptions.csv()), Encoders.strings(), split(file, 0, Files.size(file))));
    assertTrue(e.getCause().getMessage().contains("line 1") && e.getCause().getMessage().contains("multi-line"),
        e.getCause().getMessage());
  }

  @Test
  void writtenRowsQuoteWhatNeedsItAndReadBack() throws IOException {
    Path file = dir.resolve("out.tsv");
    List<Object> records = List.of(
        Pair.of("tab\there", 1L), Pair.of("quote\"d", 2L), Pair.of("multi\nline", 3L), Pair.of("plain", 4L));
    write(new FileFormat.Csv(CsvOptions.tsv(), List.of("word", "n")), Encoders.pairs(Encoders.strings(), Encoders.longs()),
        file, records);
    assertEquals("word\tn\n\"tab\there\"\t1\n\"quote\"\"d\"\t2\n\"multi\nline\"\t3\nplain\t4\n", Files.readString(file));
    List<Object> back = read(csv(CsvOptions.tsv().withHeader(true).withMultiLine(true)), Encoders.strings(),
        split(file, 0, Files.size(file)));
    assertEquals(4, back.size());
    for (int i = 0; i < 4; i++) {
      Pair<?, ?> p = (Pair<?, ?>) records.get(i);
      assertArrayEquals(new String[] {(String) p.key(), String.valueOf(p.value())}, (String[]) back.get(i));
    }
  }

  @Test
  void theParserCutsFieldsAsRfc4180() {
    CsvRowParser p = new CsvRowParser(CsvOptions.csv());
    assertArrayEquals(new String[] {""}, p.parse("").fields());
    assertArrayEquals(new String[] {"", ""}, p.parse(",").fields());
    assertArrayEquals(new String[] {"a\"b", "c"}, p.parse("a\"b,c").fields(), "a quote inside an unquoted field is text");
    assertTrue(p.parse("\"ab\"c,d").error().contains("text after the closing quote"));
    assertTrue(p.parse("\"ab").openQuote());
  }
}
