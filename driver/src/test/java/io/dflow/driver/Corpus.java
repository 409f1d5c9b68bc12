package io.dflow.driver;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Generated text for word-count tests, and an independent count of it. */
final class Corpus {
  private static final String[] SYLLABLES = {
      "da", "ta", "flow", "map", "Red", "uce", "é", "漢字", "😀", "x", "Q", "ü", "a\u00a0b", "-", "42"};
  private static final String[] SEPARATORS = {" ", " ", " ", "  ", "\t", " \t "};
  private static final String[] LINE_ENDS = {"\n", "\n", "\n", "\r\n", "\n\n"};

  private Corpus() {}

  /** Writes about {@code bytes} bytes of lines of random words (multibyte UTF-8, tabs, CRLF). */
  static void write(Path file, long bytes, long seed) throws IOException {
    Random random = new Random(seed);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      long written = 0;
      while (written < bytes) {
        StringBuilder line = new StringBuilder();
        int words = random.nextInt(12);
        for (int w = 0; w < words; w++) {
          if (w > 0 || random.nextInt(10) == 0) {
            line.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
          }
          int syllables = 1 + random.nextInt(3);
          for (int s = 0; s < syllables; s++) {
            // Zipf-like: low indexes are much more common.
            int i = (int) Math.min(SYLLABLES.length - 1, Math.abs(random.nextGaussian()) * 4);
            line.append(SYLLABLES[i]);
          }
        }
        line.append(LINE_ENDS[random.nextInt(LINE_ENDS.length)]);
        out.write(line.toString());
        written += line.toString().getBytes(StandardCharsets.UTF_8).length;
      }
    }
  }

  /**
   * Word counts of {@code text} by a route independent of the examples' tokenizer: a regular
   * expression over the whole text. The corpus only separates words with spaces, tabs and line
   * breaks, where {@code \S+} and {@code Character.isWhitespace} agree.
   */
  static Map<String, Long> count(String text) {
    Map<String, Long> counts = new HashMap<>();
    Matcher m = Pattern.compile("\\S+").matcher(text);
    while (m.find()) {
      counts.merge(m.group(), 1L, Long::sum);
    }
    return counts;
  }

  /** Reads {@code word<TAB>count} lines into a map, failing on a duplicate word. */
  static Map<String, Long> parseCounts(Iterable<String> lines) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : lines) {
      int tab = line.lastIndexOf('\t');
      Long old = counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
      if (old != null) {
        throw new AssertionError("word appears twice in the output: " + line.substring(0, tab));
      }
    }
    return counts;
  }
}
