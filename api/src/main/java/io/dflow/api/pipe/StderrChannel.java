package io.dflow.api.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stderr pump of a child: Hadoop Streaming's side channel. {@code reporter:counter:G,C,N}
 * adds N to counter {@code G.C}; {@code reporter:status:msg} sets the task's status; any other
 * {@code reporter:} line is malformed (counted in {@value PipedProcess#MALFORMED_REPORTER_LINES}, which the driver
 * warns about once, and kept); every other line is kept too, the last {@value #TAIL_BYTES} bytes
 * of them, for the error a failure shows and the file {@link #saveTo} writes.
 *
 * <p>Threading: {@link #run} runs on the pump thread; the other methods may be called from any
 * thread, and see what the pump has read so far.
 */
final class StderrChannel implements Runnable {
  static final int TAIL_BYTES = 64 << 10;
  private static final byte[] REPORTER = "reporter:".getBytes(StandardCharsets.US_ASCII);

  /** Status messages are passed on at most this often; the latest one is always kept in {@link #status()}. */
  private static final long STATUS_EVERY_NANOS = 250_000_000L;
  private final InputStream in;
  private final java.util.function.Consumer<String> onStatus;
  private long statusSentAt;
  private final Map<String, Long> counters = new ConcurrentHashMap<>();
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private int tailBytes;
  private volatile String status;
  private volatile IOException failure;

  /** @param onStatus told of status messages (at most four times a second) */
  StderrChannel(InputStream in, java.util.function.Consumer<String> onStatus) {
    this.in = in;
    this.onStatus = onStatus;
  }

  @Override
  public void run() {
    byte[] buf = new byte[16 << 10];
    byte[] line = new byte[256];
    int length = 0;
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n') {
            accept(line, length);
            length = 0;
          } else if (length < TAIL_BYTES) { // a longer line keeps its start only
            if (length == line.length) {
              line = java.util.Arrays.copyOf(line, Math.min(TAIL_BYTES, line.length * 2));
            }
            line[length++] = b;
          }
        }
      }
      if (length > 0) {
        accept(line, length);
      }
    } catch (IOException e) {
      failure = e;
    }
  }

  private void accept(byte[] line, int length) {
    int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
    if (startsWith(line, end, REPORTER)) {
      report(new String(line, REPORTER.length, end - REPORTER.length, StandardCharsets.UTF_8));
    } else {
      keep(new String(line, 0, end, StandardCharsets.UTF_8));
    }
  }

  private void report(String rest) {
    if (rest.startsWith("status:")) {
      status = rest.substring("status:".length());
      long now = System.nanoTime();
      if (statusSentAt == 0 || now - statusSentAt >= STATUS_EVERY_NANOS) {
        statusSentAt = now;
        onStatus.accept(status);
      }
      return;
    }
    if (rest.startsWith("counter:")) {
      String[] parts = rest.substring("counter:".length()).split(",", -1);
      if (parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
        try {
          counters.merge(parts[0] + "." + parts[1], Long.parseLong(parts[2].trim()), Long::sum);
          return;
        } catch (NumberFormatException e) {
          // malformed: counted below
        }
      }
    }
    counters.merge(PipedProcess.MALFORMED_REPORTER_LINES, 1L, Long::sum);
    keep("reporter:" + rest);
  }

  private synchronized void keep(String line) {
    tail.addLast(line);
    tailBytes += line.length() + 1;
    while (tailBytes > TAIL_BYTES && tail.size() > 1) {
      tailBytes -= tail.removeFirst().length() + 1;
    }
  }

  private static boolean startsWith(byte[] line, int length, byte[] prefix) {
    if (length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (line[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Counter additions so far, by name. */
  Map<String, Long> counters() {
    return counters;
  }

  /** The last status the child reported, or null. */
  String status() {
    return status;
  }

  /** Writes the lines kept to {@code file} (its folder made if missing); nothing when none were kept. */
  synchronized void saveTo(Path file) throws IOException {
    if (!tail.isEmpty()) {
      Files.createDirectories(file.getParent());
      Files.write(file, tail, StandardCharsets.UTF_8);
    }
  }

  /** The last {@code lines} lines kept, oldest first. */
  synchronized java.util.List<String> lastLines(int lines) {
    java.util.List<String> all = new java.util.ArrayList<>(tail);
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }

  IOException failure() {
    return failure;
  }
}
