import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a deterministic text corpus for the word-count benchmark:
 * {@code java bench/src/GenCorpus.java <size like 256M|1G> <out-file> [seed]}.
 *
 * <p>Lines of 5–15 words separated by spaces (now and then a tab), ending in {@code \n}. Words
 * come from a vocabulary of about 50k — mostly lowercase ASCII, some accented, Greek, Cyrillic
 * and CJK, plus capitalised, upper-case and punctuated variants of common words — drawn with
 * Zipf (s = 1) frequencies, a word's rank independent of its length. The same size and seed
 * always give the same bytes; the file never exceeds the size asked for.
 */
public final class GenCorpus {
  private static final int BASE_WORDS = 42_000;
  private static final int VARIANTS = 8_000;
  private static final int MIN_WORDS_PER_LINE = 5;
  private static final int MAX_WORDS_PER_LINE = 15;

  private GenCorpus() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: java bench/src/GenCorpus.java <size like 256M|1G> <out-file> [seed]");
      System.exit(2);
    }
    long size;
    try {
      size = parseSize(args[0]);
    } catch (NumberFormatException e) {
      System.err.println("not a size (like 256M, 1G, 4096): " + args[0]);
      System.exit(2);
      return;
    }
    long seed = args.length == 3 ? Long.parseLong(args[2]) : 1;
    long start = System.nanoTime();
    Rng rng = new Rng(seed);
    ZipfWords words = new ZipfWords(vocabulary(rng));
    long written;
    try (OutputStream out = new FileOutputStream(args[1])) {
      written = writeLines(out, size, words, rng);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.err.printf(Locale.ROOT, "wrote %d bytes (vocabulary of %d words) to %s in %.2f s, %.0f MB/s%n",
        written, words.size(), args[1], seconds, written / 1e6 / seconds);
  }

  static long parseSize(String text) {
    String s = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    switch (s.charAt(s.length() - 1)) {
      case 'K' -> unit = 1L << 10;
      case 'M' -> unit = 1L << 20;
      case 'G' -> unit = 1L << 30;
      default -> { }
    }
    String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
    return Long.parseLong(digits) * unit;
  }

  /** The vocabulary, most frequent first. */
  private static List<String> vocabulary(Rng rng) {
    record Ranked(double score, String word) { }
    // Base words rank in generation (random) order, so word length does not depend on frequency.
    List<String> base = new ArrayList<>(baseWords(rng));
    List<Ranked> ranked = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < base.size(); i++) {
      ranked.add(new Ranked(i, base.get(i)));
      seen.add(base.get(i));
    }
    while (ranked.size() < base.size() + VARIANTS) {
      // Variants of frequent words are themselves fairly frequent, a few times rarer than their base.
      int of = (int) (Math.pow(rng.unit(), 3) * base.size());
      String variant = variant(base.get(of), rng);
      if (seen.add(variant)) {
        ranked.add(new Ranked((of + 1) * (3 + 10 * rng.unit()) + 10, variant));
      }
    }
    ranked.sort(Comparator.comparingDouble(Ranked::score));
    return ranked.stream().map(Ranked::word).toList();
  }

  private static Set<String> baseWords(Rng rng) {
    String latin = "abcdefghijklmnopqrstuvwxyz";
    String accented = "abcdeéèêfghiïjklmnñoöpqrsßtuüvwxyzçåø";
    String greek = "αβγδεζηθικλμνξοπρστυφχψω";
    String cyrillic = "абвгдежзийклмнопрстуфхцчшщыэюя";
    Set<String> words = new LinkedHashSet<>();
    while (words.size() < BASE_WORDS) {
      int kind = rng.below(100);
      StringBuilder w = new StringBuilder();
      if (kind < 2) {
        int length = 1 + rng.below(3);
        for (int i = 0; i < length; i++) {
          w.append((char) (0x4e00 + rng.below(0x5000)));
        }
      } else {
        String letters = kind < 90 ? latin : kind < 95 ? accented : kind < 97 ? greek : cyrillic;
        int length = 1 + rng.below(4) + rng.below(4) + rng.below(4);
        for (int i = 0; i < length; i++) {
          w.append(letters.charAt(rng.below(letters.length())));
        }
      }
      words.add(w.toString());
    }
    return words;
  }

  private static String variant(String word, Rng rng) {
    int kind = rng.below(10);
    if (kind < 6) {
      return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    } else if (kind < 7) {
      return word.toUpperCase(Locale.ROOT);
    } else if (kind < 9) {
      return word + ",.;:!?".charAt(rng.below(6));
    }
    return "(" + word + ")";
  }

  /** Writes whole lines up to {@code size} bytes; returns how many were written. */
  private static long writeLines(OutputStream out, long size, ZipfWords words, Rng rng)
      throws IOException, InterruptedException, ExecutionException {
    int longestLine = MAX_WORDS_PER_LINE * (words.longest() + 1);
    byte[][] buffers = {new byte[(1 << 20) + longestLine], new byte[(1 << 20) + longestLine]};
    byte[] buffer = buffers[0];
    // Fill one buffer while a second thread writes the other: the write's system time then overlaps.
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<?> pending = CompletableFuture.completedFuture(null);
      long flushed = 0;
      int pos = 0;
      while (true) {
        int end = writeLine(buffer, pos, words, rng);
        boolean last = flushed + end > size;
        if (last || end >= buffer.length - longestLine) {
          int length = last ? pos : end;
          byte[] full = buffer;
          pending.get();
          pending = writer.submit(() -> {
            out.write(full, 0, length);
            return null;
          });
          flushed += length;
          if (last) {
            pending.get();
            return flushed;
          }
          buffer = buffer == buffers[0] ? buffers[1] : buffers[0];
          pos = 0;
        } else {
          pos = end;
        }
      }
    } finally {
      writer.shutdownNow();
    }
  }

  /** Appends one line at {@code pos}; returns where it ends. */
  private static int writeLine(byte[] buffer, int pos, ZipfWords words, Rng rng) {
    int count = MIN_WORDS_PER_LINE + rng.below(MAX_WORDS_PER_LINE - MIN_WORDS_PER_LINE + 1);
    long separators = rng.next();
    for (int k = 0; k < count; k++) {
      pos = words.copy(words.sample(rng.next()), buffer, pos);
      // Four bits of one draw per gap: a tab for one gap in 16.
      boolean tab = ((separators >>> (4 * k)) & 15) == 0;
      buffer[pos++] = k == count - 1 ? (byte) '\n' : tab ? (byte) '\t' : (byte) ' ';
    }
    return pos;
  }

  /**
   * The vocabulary packed into one array, sampled with Zipf (s = 1) weights by Walker's alias
   * method: one random draw and two small, cache-friendly array reads per word.
   */
  private static final class ZipfWords {
    private final byte[] bytes;
    private final int[] offsets;
    /** Per slot: the alias rank in the high 32 bits, the keep-threshold (out of 2^31) in the low. */
    private final long[] slots;

    ZipfWords(List<String> vocabulary) {
      int n = vocabulary.size();
      byte[][] encoded = new byte[n][];
      int total = 0;
      for (int i = 0; i < n; i++) {
        encoded[i] = vocabulary.get(i).getBytes(StandardCharsets.UTF_8);
        total += encoded[i].length;
      }
      bytes = new byte[total];
      offsets = new int[n + 1];
      for (int i = 0; i < n; i++) {
        System.arraycopy(encoded[i], 0, bytes, offsets[i], encoded[i].length);
        offsets[i + 1] = offsets[i] + encoded[i].length;
      }
      slots = aliasTable(n);
    }

    private static long[] aliasTable(int n) {
      double harmonic = 0;
      for (int r = 1; r <= n; r++) {
        harmonic += 1.0 / r;
      }
      double[] scaled = new double[n];
      int[] small = new int[n];
      int[] large = new int[n];
      int smalls = 0;
      int larges = 0;
      for (int r = 0; r < n; r++) {
        scaled[r] = n / ((r + 1) * harmonic);
        if (scaled[r] < 1) {
          small[smalls++] = r;
        } else {
          large[larges++] = r;
        }
      }
      long[] slots = new long[n];
      for (int r = 0; r < n; r++) {
        slots[r] = ((long) r << 32) | (1L << 31);
      }
      while (smalls > 0 && larges > 0) {
        int s = small[--smalls];
        int l = large[--larges];
        slots[s] = ((long) l << 32) | (long) (scaled[s] * (1L << 31));
        scaled[l] -= 1 - scaled[s];
        if (scaled[l] < 1) {
          small[smalls++] = l;
        } else {
          large[larges++] = l;
        }
      }
      return slots;
    }

    int sample(long random) {
      int slot = (int) (((random >>> 32) * slots.length) >>> 32);
      long entry = slots[slot];
      return (random & 0x7fffffffL) < (entry & 0xffffffffL) ? slot : (int) (entry >>> 32);
    }

    int copy(int word, byte[] into, int at) {
      int from = offsets[word];
      int length = offsets[word + 1] - from;
      System.arraycopy(bytes, from, into, at, length);
      return at + length;
    }

    int longest() {
      int longest = 0;
      for (int i = 0; i + 1 < offsets.length; i++) {
        longest = Math.max(longest, offsets[i + 1] - offsets[i]);
      }
      return longest;
    }

    int size() {
      return slots.length;
    }
  }

  /** SplitMix64: fixed, fast, and the same on every JVM. */
  private static final class Rng {
    private long state;

    Rng(long seed) {
      state = seed;
    }

    long next() {
      long z = (state += 0x9e3779b97f4a7c15L);
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      return z ^ (z >>> 31);
    }

    int below(int bound) {
      return (int) ((next() >>> 33) % bound);
    }

    double unit() {
      return (next() >>> 11) * 0x1.0p-53;
    }
  }
}
