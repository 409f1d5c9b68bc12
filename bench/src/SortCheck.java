import io.dflow.bench.shuffle.ShuffleRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Checks a big sort's output: {@code SortCheck <dir> <records> <partitions>} reads the
 * {@code part-*} files of {@code dir} in name order, each line {@code key<TAB>value}, and checks
 * that the keys never decrease (within a file and from one file to the next), that there are
 * {@code records} lines, and that an order-independent checksum of the records (the sum of a
 * 64-bit hash of each key and value) equals the one of the records {@code ShuffleRecords}
 * generates for {@code partitions} map partitions with 100-byte values, computed here at the
 * same time on the other cores. Prints {@code SORTCHECK ok records=<n> checksum=<hex>
 * files=<f>} and exits 0, or {@code SORTCHECK FAILED: <why>} and exits 1.
 */
public final class SortCheck {
  private static final int VALUE_BYTES = ShuffleRecords.BIG_SORT_VALUE_BYTES;

  private SortCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: SortCheck <dir> <records> <partitions>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    long records = Long.parseLong(args[1]);
    int partitions = Integer.parseInt(args[2]);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "expected-checksum");
      t.setDaemon(true);
      return t;
    });
    List<Future<Long>> expected = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      expected.add(pool.submit(() -> generatedChecksum(records, partitions, partition)));
    }
    String failure;
    Reader reader = new Reader();
    try {
      failure = reader.readAll(dir);
    } catch (IOException e) {
      failure = "cannot read " + dir + ": " + e;
    }
    long want = 0;
    for (Future<Long> f : expected) {
      want += f.get();
    }
    pool.shutdown();
    if (failure == null && reader.count != records) {
      failure = "found " + reader.count + " records, expected " + records;
    }
    if (failure == null && reader.checksum != want) {
      failure = String.format(Locale.ROOT, "checksum %016x, expected %016x (records lost, duplicated or changed)",
          reader.checksum, want);
    }
    if (failure != null) {
      System.out.println("SORTCHECK FAILED: " + failure);
      System.exit(1);
    }
    System.out.printf(Locale.ROOT, "SORTCHECK ok records=%d checksum=%016x files=%d%n",
        reader.count, reader.checksum, reader.files);
  }

  /** The checksum of the records one generator partition makes. */
  static long generatedChecksum(long records, int partitions, int partition) {
    ShuffleRecords gen = ShuffleRecords.payloads(records, partitions, partition);
    byte[] value = new byte[VALUE_BYTES];
    long sum = 0;
    while (gen.hasNext()) {
      long key = gen.nextPayload(value);
      sum += recordHash(key, value, VALUE_BYTES);
    }
    return sum;
  }

  /** A 64-bit hash of one record (FNV-1a over the value, seeded by the key, then mixed). */
  static long recordHash(long key, byte[] value, int length) {
    long h = key * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < length; i++) {
      h = (h ^ (value[i] & 0xff)) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  /** Reads the part files line by line, keeping the count, the checksum and the last key. */
  static final class Reader {
    final byte[] buf = new byte[1 << 20];
    final byte[] value = new byte[VALUE_BYTES];
    InputStream in;
    int pos;
    int limit;
    long count;
    long checksum;
    int files;
    boolean haveLast;
    long lastKey;

    /** Reads every part file of {@code dir}; null when all lines were well formed and in order, else why not. */
    String readAll(Path dir) throws IOException {
      if (!Files.isDirectory(dir)) {
        return dir + " is not a folder";
      }
      List<Path> parts;
      try (Stream<Path> s = Files.list(dir)) {
        parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
      }
      if (parts.isEmpty()) {
        return "no part-* files in " + dir;
      }
      for (Path part : parts) {
        files++;
        try (InputStream stream = Files.newInputStream(part)) {
          in = stream;
          pos = 0;
          limit = 0;
          String failure = readFile(part);
          if (failure != null) {
            return failure;
          }
        }
      }
      return null;
    }

    private String readFile(Path part) throws IOException {
      long line = 0;
      int c;
      while ((c = next()) >= 0) {
        line++;
        boolean negative = c == '-';
        if (negative) {
          c = next();
        }
        long acc = 0;
        int digits = 0;
        while (c >= '0' && c <= '9') {
          if (++digits > 19) {
            return part + " line " + line + ": key too long";
          }
          acc = acc * 10 - (c - '0');  // negative, so that Long.MIN_VALUE fits
          c = next();
        }
        if (digits == 0 || c != '\t' || (!negative && acc == Long.MIN_VALUE)) {
          return part + " line " + line + ": not a key<TAB>value line";
        }
        long key = negative ? acc : -acc;
        int n = 0;
        while ((c = next()) >= 0 && c != '\n') {
          if (n == VALUE_BYTES) {
            return part + " line " + line + ": value longer than " + VALUE_BYTES + " bytes";
          }
          value[n++] = (byte) c;
        }
        if (n != VALUE_BYTES) {
          return part + " line " + line + ": value of " + n + " bytes, expected " + VALUE_BYTES;
        }
        if (haveLast && key < lastKey) {
          return part + " line " + line + ": key " + key + " after " + lastKey + " (out of order)";
        }
        haveLast = true;
        lastKey = key;
        count++;
        checksum += recordHash(key, value, n);
      }
      return null;
    }

    private int next() throws IOException {
      if (pos == limit) {
        limit = in.read(buf, 0, buf.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return -1;
        }
      }
      return buf[pos++] & 0xff;
    }
  }
}
