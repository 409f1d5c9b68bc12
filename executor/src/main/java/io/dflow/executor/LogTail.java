package io.dflow.executor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, read from its end (a long log is not read whole). */
public final class LogTail {
  /** At most this many bytes are read from the end of the file. */
  static final int MAX_BYTES = 16 << 10;

  private LogTail() {}

  /** The last {@code lines} lines of {@code file}, joined by newlines; empty if it is empty or unreadable. */
  public static String of(Path file, int lines) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int n = (int) Math.min(length, MAX_BYTES);
      byte[] end = new byte[n];
      in.seek(length - n);
      in.readFully(end);
      List<String> all = Arrays.asList(new String(end, StandardCharsets.UTF_8).split("\n", -1));
      int from = n < length ? 1 : 0; // the first line read may be cut: left out
      int to = all.size();
      if (to > from && all.get(to - 1).isEmpty()) {
        to--; // the file's last newline
      }
      return String.join("\n", all.subList(Math.max(from, to - lines), to));
    } catch (IOException e) {
      return "";
    }
  }
}
