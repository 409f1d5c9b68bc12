package io.dflow.bench.jmh;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.arrow.DeserializationPolicy;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The benchmarks' map output: {@code Pair<Long, byte[]>} records with random keys and random
 * (incompressible) values, spread round robin over partitions, and the scratch directories
 * their files go to ({@code $DFLOW_BENCH_DIR}, else the JVM's temporary directory).
 */
final class Records {
  static final Encoder<Pair<Long, byte[]>> ENCODER = Encoders.pairs(Encoders.longs(), Encoders.bytes());
  /** Reduce partitions of a map output. */
  static final int PARTITIONS = 8;
  /** Raw bytes of a record besides its value: the 8-byte key. */
  static final int KEY_BYTES = 8;
  /** No column is Java-serialised, so nothing needs to be allowed. */
  static final DeserializationPolicy POLICY =
      new DeserializationPolicy(Records.class.getClassLoader(), info -> ObjectInputFilter.Status.REJECTED);

  private Records() {}

  /** Records of {@code valueBytes}-byte values, at least {@code totalBytes} of raw payload in all. */
  static List<List<Pair<Long, byte[]>>> partitions(int partitions, int valueBytes, long totalBytes) {
    SplittableRandom random = new SplittableRandom(42);
    List<List<Pair<Long, byte[]>>> out = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      out.add(new ArrayList<>());
    }
    long payload = 0;
    for (long i = 0; payload < totalBytes; i++) {
      byte[] value = new byte[valueBytes];
      random.nextBytes(value);
      out.get((int) (i % partitions)).add(Pair.of(random.nextLong(), value));
      payload += KEY_BYTES + valueBytes;
    }
    return out;
  }

  /** Raw payload bytes of {@code partitions}: key and value bytes of every record. */
  static long payload(List<List<Pair<Long, byte[]>>> partitions) {
    long bytes = 0;
    for (List<Pair<Long, byte[]>> records : partitions) {
      for (Pair<Long, byte[]> r : records) {
        bytes += KEY_BYTES + r.value().length;
      }
    }
    return bytes;
  }

  static long count(List<List<Pair<Long, byte[]>>> partitions) {
    return partitions.stream().mapToLong(List::size).sum();
  }

  /** A new scratch directory. */
  static Path scratch(String prefix) throws IOException {
    String root = System.getenv("DFLOW_BENCH_DIR");
    Path parent = Path.of(root == null || root.isBlank() ? System.getProperty("java.io.tmpdir") : root);
    return Files.createTempDirectory(Files.createDirectories(parent), prefix);
  }

  /** Deletes {@code dir} and everything under it. */
  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
