import io.dflow.examples.Tokenizer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The hand-written word count that dflow's {@code WordCount} is measured against:
 * {@code java -cp examples/target/dflow-examples.jar bench/src/WordCountFloor.java <threads> <in> <out>}.
 *
 * <p>Each thread reads its own line-aligned byte range of the file, decodes lines as UTF-8,
 * splits them with the same {@link Tokenizer} as the job, and counts into its own hash map; the
 * maps are merged and written to the file {@code out} as {@code word<TAB>count} lines, in no
 * particular order. No framework, no shuffle, no serialisation: the best a plain program does.
 */
public final class WordCountFloor {
  private static final int CHUNK = 1 << 20;

  private WordCountFloor() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: WordCountFloor <threads> <in> <out>");
      System.exit(2);
    }
    long start = System.nanoTime();
    int threads = Integer.parseInt(args[0]);
    Path in = Path.of(args[1]);
    Map<String, long[]> counts;
    try (FileChannel file = FileChannel.open(in, StandardOpenOption.READ)) {
      counts = countInParallel(file, threads);
    }
    long counted = System.nanoTime();
    long words = write(counts, Path.of(args[2]));
    long end = System.nanoTime();
    System.err.printf(Locale.ROOT, "floor: %d threads, %d words, %d distinct; count %.3f s, write %.3f s, total %.3f s%n",
        threads, words, counts.size(), (counted - start) / 1e9, (end - counted) / 1e9, (end - start) / 1e9);
  }

  private static Map<String, long[]> countInParallel(FileChannel file, int threads) throws Exception {
    long[] bounds = lineAlignedBounds(file, threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Map<String, long[]>>> parts = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        long from = bounds[i];
        long to = bounds[i + 1];
        parts.add(pool.submit(() -> countRange(file, from, to)));
      }
      Map<String, long[]> total = parts.get(0).get();
      for (int i = 1; i < threads; i++) {
        for (Map.Entry<String, long[]> e : parts.get(i).get().entrySet()) {
          long[] into = total.putIfAbsent(e.getKey(), e.getValue());
          if (into != null) {
            into[0] += e.getValue()[0];
          }
        }
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@code threads + 1} offsets, each the start of a line (or the end of the file). */
  private static long[] lineAlignedBounds(FileChannel file, int threads) throws IOException {
    long size = file.size();
    long[] bounds = new long[threads + 1];
    bounds[threads] = size;
    for (int i = 1; i < threads; i++) {
      long at = Math.max(bounds[i - 1], size / threads * i);
      // A line starts at 0 or just after a newline: look from the byte before the split point.
      bounds[i] = at == 0 ? 0 : afterNextNewline(file, at - 1);
    }
    return bounds;
  }

  private static long afterNextNewline(FileChannel file, long from) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(1 << 16);
    long position = from;
    while (true) {
      block.clear();
      int got = file.read(block, position);
      if (got < 0) {
        return file.size();
      }
      for (int i = 0; i < got; i++) {
        if (block.get(i) == '\n') {
          return position + i + 1;
        }
      }
      position += got;
    }
  }

  private static Map<String, long[]> countRange(FileChannel file, long from, long to) throws IOException {
    Map<String, long[]> counts = new HashMap<>(1 << 17);
    byte[] buf = new byte[CHUNK];
    int kept = 0;
    long position = from;
    while (position < to) {
      if (kept > buf.length / 2) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int want = (int) Math.min(buf.length - kept, to - position);
      int got = file.read(ByteBuffer.wrap(buf, kept, want), position);
      if (got < 0) {
        break;
      }
      position += got;
      int filled = kept + got;
      int lineStart = 0;
      // The bytes kept from the last read hold no newline: scan only the new ones.
      for (int i = kept; i < filled; i++) {
        if (buf[i] == '\n') {
          countLine(new String(buf, lineStart, i - lineStart, StandardCharsets.UTF_8), counts);
          lineStart = i + 1;
        }
      }
      kept = filled - lineStart;
      System.arraycopy(buf, lineStart, buf, 0, kept);
    }
    if (kept > 0) {
      countLine(new String(buf, 0, kept, StandardCharsets.UTF_8), counts);
    }
    return counts;
  }

  private static void countLine(String line, Map<String, long[]> counts) {
    for (Iterator<String> words = Tokenizer.tokens(line); words.hasNext(); ) {
      String word = words.next();
      long[] count = counts.get(word);
      if (count == null) {
        counts.put(word, new long[] {1});
      } else {
        count[0]++;
      }
    }
  }

  /** Writes the counts; returns the total number of words. */
  private static long write(Map<String, long[]> counts, Path out) throws IOException {
    long words = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, long[]> e : counts.entrySet()) {
        w.write(e.getKey());
        w.write('\t');
        w.write(Long.toString(e.getValue()[0]));
        w.write('\n');
        words += e.getValue()[0];
      }
    }
    return words;
  }
}
