package io.dflow.hdfs;

import java.util.ArrayList;
import java.util.List;

/** The lines of a text by the plain definition, to check the split reader against. */
final class LineReference {
  private LineReference() {}

  /** Lines ended by \n, \r\n or \r; a last line without a terminator counts, an empty tail does not. */
  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(line.toString());
        line.setLength(0);
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
      } else {
        line.append(c);
      }
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** The byte offset where each line starts. */
  static List<Long> lineStarts(byte[] bytes) {
    List<Long> starts = new ArrayList<>();
    int i = 0;
    while (i < bytes.length) {
      starts.add((long) i);
      while (i < bytes.length && bytes[i] != '\n' && bytes[i] != '\r') {
        i++;
      }
      if (i < bytes.length && bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
        i++;
      }
      i++;
    }
    return starts;
  }
}
