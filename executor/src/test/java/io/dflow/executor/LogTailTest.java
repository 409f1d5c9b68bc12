package io.dflow.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir
  Path dir;

  @Test
  void theLastLinesOfAShortLog() throws IOException {
    Path log = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree\n");
    assertEquals("two\nthree", LogTail.of(log, 2));
    assertEquals("one\ntwo\nthree", LogTail.of(log, 20));
    Files.writeString(log, "one\ntwo"); // no last newline
    assertEquals("two", LogTail.of(log, 1));
  }

  @Test
  void aLongLogIsReadFromItsEndAndALineCutThereIsLeftOut() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      lines.add("line " + i + " " + "x".repeat(i % 50));
    }
    Path log = Files.writeString(dir.resolve("long.log"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    assertEquals(String.join("\n", lines.subList(4980, 5000)), LogTail.of(log, 20));
    String all = LogTail.of(log, 100_000);
    assertEquals(lines.get(4999), all.substring(all.lastIndexOf('\n') + 1));
    String first = all.substring(0, all.indexOf('\n'));
    assertEquals(true, lines.contains(first), "the first line shown is whole: " + first);
    assertEquals(true, all.length() <= LogTail.MAX_BYTES);
  }

  @Test
  void anEmptyOrMissingLogHasNoTail() throws IOException {
    assertEquals("", LogTail.of(Files.createFile(dir.resolve("empty.log")), 5));
    assertEquals("", LogTail.of(dir.resolve("missing.log"), 5));
  }
}
