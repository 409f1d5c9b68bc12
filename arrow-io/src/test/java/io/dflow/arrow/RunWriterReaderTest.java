package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Spill runs: records of several partitions (some empty) written by {@link RunWriter} read back
 * by {@link RunReader} per partition, in order and in any order of partitions, with each
 * {@link Compression}; a record larger than a block; every damaged byte and every truncation of
 * a run file fails with a {@link CorruptShuffleDataException} that names the file; and a writer
 * closed before {@code finish} leaves no file behind.
 */
class RunWriterReaderTest {
  private static final Encoder<?> PAIRS = Encoders.pairs(Encoders.strings(), Encoders.longs());

  @TempDir
  Path dir;

  private static RowCodec codec(Encoder<?> encoder) {
    return RowCodec.of(encoder, TestRecords.POLICY);
  }

  /** Partitions of records: some empty (first, middle, last), some spanning several blocks. */
  private static List<List<Object>> partitions(Random random, int... sizes) {
    List<List<Object>> partitions = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      List<Object> records = new ArrayList<>();
      for (int i = 0; i < sizes[p]; i++) {
        String key = "k" + p + "-" + (i % 97) + (i % 5 == 0 ? "-" + Long.toHexString(random.nextLong()) : "")
            + (i % 11 == 0 ? "ü€😀" : "");
        records.add(Pair.of(i % 13 == 0 ? null : key, i % 17 == 0 ? null : (long) i * 31 - p));
      }
      partitions.add(records);
    }
    return partitions;
  }

  /** Writes the partitions to {@code file}: with {@code startEvery}, starts empty partitions too. */
  private static Run write(Path file, RowCodec codec, Compression compression, List<List<Object>> partitions,
      boolean startEvery, boolean asRows) throws IOException {
    RowOutput row = new RowOutput(64);
    try (RunWriter writer = new RunWriter(file, codec, compression, partitions.size())) {
      for (int p = 0; p < partitions.size(); p++) {
        if (partitions.get(p).isEmpty() && !startEvery) {
          continue;
        }
        writer.startPartition(p);
        for (Object record : partitions.get(p)) {
          if (asRows) {
            row.reset();
            codec.write(record, row);
            writer.writeRow(row.array(), 0, row.length());
          } else {
            writer.write(record);
          }
        }
      }
      return writer.finish();
    }
  }

  private static List<Object> read(Run run, int p, RowCodec codec) throws IOException {
    List<Object> out = new ArrayList<>();
    try (RunReader reader = new RunReader(run, p, codec)) {
      while (reader.hasNext()) {
        out.add(reader.next());
      }
      assertThrows(NoSuchElementException.class, reader::next);
    }
    return out;
  }

  /** The bytes the rows take in the layout, computed apart from the writer. */
  private static long rawBytes(RowCodec codec, List<List<Object>> partitions) throws IOException {
    RowOutput out = new RowOutput(0);
    long n = 0;
    for (List<Object> records : partitions) {
      for (Object record : records) {
        out.reset();
        n += codec.write(record, out);
      }
    }
    return n;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void partitionsReadBackInOrderWithEachCodec(Compression compression) throws IOException {
    RowCodec codec = codec(PAIRS);
    List<List<Object>> partitions = partitions(new Random(compression.ordinal()), 0, 9000, 0, 1, 3000, 0, 25000, 0);
    long raw = rawBytes(codec, partitions);
    assertTrue(raw > 4 * RunWriter.BLOCK_BYTES, "several blocks: " + raw);
    int file = 0;
    for (boolean startEvery : new boolean[] {true, false}) {
      for (boolean asRows : new boolean[] {false, true}) {
        Path path = dir.resolve("run-" + file++);
        Run run = write(path, codec, compression, partitions, startEvery, asRows);
        String what = compression + (startEvery ? ", every partition started" : ", empty ones skipped")
            + (asRows ? ", as rows" : "");
        assertEquals(path, run.file());
        assertEquals(partitions.size(), run.numPartitions());
        assertEquals(raw, run.rawBytes(), what);
        assertEquals(Files.size(path), run.bytes(), what);
        assertEquals(0, run.offsets()[0]);
        for (int p = 0; p < partitions.size(); p++) {
          assertEquals(partitions.get(p).size(), run.records()[p], what + " partition " + p);
          assertTrue(run.offsets()[p] <= run.offsets()[p + 1], what);
          assertEquals(partitions.get(p).isEmpty(), run.offsets()[p] == run.offsets()[p + 1], what + " partition " + p);
        }
        if (compression == Compression.NONE) {
          assertTrue(run.bytes() > raw, "uncompressed blocks plus headers");
        } else {
          assertTrue(run.bytes() < raw * 3 / 4, what + ": compressed to " + run.bytes() + " of " + raw);
        }
        // a reader may start at any partition, and read one again
        for (int p = partitions.size() - 1; p >= 0; p--) {
          assertEquals(partitions.get(p), read(run, p, codec), what + " partition " + p);
        }
        assertEquals(partitions.get(6), read(run, 6, codec));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void aRecordLargerThanABlockIsABlockOfItsOwn(Compression compression) throws IOException {
    Random random = new Random(3);
    byte[] noise = new byte[3 * RunWriter.BLOCK_BYTES + 5];
    random.nextBytes(noise);
    byte[] exactlyABlock = new byte[RunWriter.BLOCK_BYTES];
    random.nextBytes(exactlyABlock);
    StringBuilder text = new StringBuilder();
    while (text.length() < 2 * RunWriter.BLOCK_BYTES) {
      text.append("ä€😀 ").append(random.nextInt());
    }
    Encoder<?> encoder = Encoders.pairs(Encoders.strings(), Encoders.bytes());
    RowCodec codec = codec(encoder);
    List<List<Object>> partitions = List.of(
        List.of(Pair.of("small", new byte[] {1}), Pair.of("noise", noise), Pair.of("after", new byte[0])),
        List.of(),
        List.of(Pair.of(text.toString(), exactlyABlock)),
        List.of(Pair.of("a", new byte[] {2}), Pair.of(text.substring(4), noise), Pair.of("b", exactlyABlock)));
    Run run = write(dir.resolve("big"), codec, compression, partitions, false, false);
    for (int p = 0; p < partitions.size(); p++) {
      assertEquals(TestRecords.canonical(partitions.get(p)), TestRecords.canonical(read(run, p, codec)),
          compression + " partition " + p);
    }
    // the noise does not compress: LZ4 and ZSTD blocks of it are at least as large as it
    assertTrue(run.bytes() > noise.length * 2L, "" + run.bytes());
  }

  @Test
  void writerClosedWithoutFinishDeletesItsFile() throws IOException {
    RowCodec codec = codec(PAIRS);
    Path file = dir.resolve("abandoned");
    try (RunWriter writer = new RunWriter(file, codec, Compression.LZ4, 3)) {
      writer.startPartition(1);
      for (long i = 0; i < 10_000; i++) {
        writer.write(Pair.of("k" + i, i)); // several blocks flushed already
      }
      assertTrue(Files.size(file) > 0);
    }
    assertFalse(Files.exists(file), "closed unfinished: deleted");

    Path failing = dir.resolve("failing");
    assertThrows(IllegalArgumentException.class, () -> {
      try (RunWriter writer = new RunWriter(failing, codec, Compression.ZSTD, 3)) {
        writer.startPartition(2);
        writer.write(Pair.of("x", 1L));
        writer.startPartition(1); // partitions only go up
      }
    });
    assertFalse(Files.exists(failing));

    Path noPartition = dir.resolve("no-partition");
    assertThrows(IllegalStateException.class, () -> {
      try (RunWriter writer = new RunWriter(noPartition, codec, Compression.NONE, 3)) {
        writer.write(Pair.of("x", 1L));
      }
    });
    assertFalse(Files.exists(noPartition));

    Path kept = dir.resolve("kept");
    Run run;
    try (RunWriter writer = new RunWriter(kept, codec, Compression.NONE, 1)) {
      writer.startPartition(0);
      writer.write(Pair.of("y", 2L));
      run = writer.finish();
    }
    assertTrue(Files.exists(kept), "a finished run stays when its writer closes");
    assertEquals(List.of(Pair.of("y", 2L)), read(run, 0, codec));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(kept), left.toList());
    }
  }

  /**
   * The blocks tried when every try saves too little: two, then one skipped, then 2, 4, 8 and 16
   * skipped between tries.
   */
  private static final java.util.Set<Integer> TRIED_AFTER_MISSES = java.util.Set.of(0, 1, 3, 6, 11, 20, 37, 54);

  /**
   * Blocks of random values (with their keys and lengths, under 3% to gain) are stored raw (codec
   * id of {@code NONE}, stored length the raw length) but for the blocks tried now and then;
   * blocks that compress stay compressed. Both
   * read back whole.
   */
  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void blocksThatDoNotCompressAreStoredRawAndReadBack(Compression compression) throws IOException {
    Encoder<?> bytes = Encoders.pairs(Encoders.longs(), Encoders.bytes());
    RowCodec codec = codec(bytes);
    Random random = new Random(5);
    for (boolean incompressible : new boolean[] {true, false}) {
      List<Object> records = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        byte[] value = new byte[1000];
        if (incompressible) {
          random.nextBytes(value);
        }
        records.add(Pair.of((long) i, value));
      }
      Path file = dir.resolve("run-" + compression + "-" + incompressible);
      Run run = write(file, codec, compression, List.of(records), true, false);
      byte[] stored = Files.readAllBytes(file);
      List<Integer> starts = blockStarts(stored);
      assertTrue(starts.size() > 8, "blocks: " + starts.size());
      for (int b = 0; b < starts.size(); b++) {
        int at = starts.get(b);
        byte id = stored[at + 12];
        if (incompressible && !TRIED_AFTER_MISSES.contains(b)) {
          assertEquals(Compression.NONE.id(), id, "block " + b + " of random bytes stored raw, untried");
          assertEquals(ByteBuffer.wrap(stored, at + 4, 4).getInt(), ByteBuffer.wrap(stored, at, 4).getInt());
        } else if (!incompressible) {
          assertEquals(compression.id(), id, "block " + b + " of zeros compressed");
        }
      }
      List<Object> back = read(run, 0, codec);
      assertEquals(records.size(), back.size());
      for (int i = 0; i < records.size(); i++) {
        Pair<?, ?> e = (Pair<?, ?>) records.get(i);
        Pair<?, ?> g = (Pair<?, ?>) back.get(i);
        assertEquals(e.key(), g.key());
        assertArrayEquals((byte[]) e.value(), (byte[]) g.value(), "record " + i);
      }
    }
  }

  /** The offsets of the block headers, walked by the documented layout. */
  private static List<Integer> blockStarts(byte[] file) {
    List<Integer> starts = new ArrayList<>();
    int at = 0;
    while (at < file.length) {
      starts.add(at);
      at += RunWriter.HEADER_BYTES + ByteBuffer.wrap(file, at, 4).getInt();
    }
    assertEquals(file.length, at, "blocks tile the file");
    return starts;
  }

  /** A run of three partitions (the middle one empty) over several blocks, and its bytes. */
  private Run corruptible(Compression compression, RowCodec codec, List<List<Object>> partitions) throws IOException {
    return write(dir.resolve("victim-" + compression), codec, compression, partitions, true, false);
  }

  /** Reads every partition; the damage must surface as corruption naming the file. */
  private static void assertCorrupt(Run run, RowCodec codec, String what) {
    try {
      for (int p = 0; p < run.numPartitions(); p++) {
        read(run, p, codec);
      }
    } catch (UncheckedIOException e) {
      CorruptShuffleDataException c = assertInstanceOf(CorruptShuffleDataException.class, e.getCause(), what);
      assertTrue(c.getMessage().contains(run.file().toString()), what + ": " + c.getMessage());
      return;
    } catch (CorruptShuffleDataException e) {
      assertTrue(e.getMessage().contains(run.file().toString()), what + ": " + e.getMessage());
      return;
    } catch (IOException | RuntimeException | Error e) {
      throw new AssertionError(what + ": failed as " + e + ", not as corruption", e);
    }
    fail(what + ": the damage went unnoticed");
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyDamagedByteIsCorruptionNamingTheFile(Compression compression) throws IOException {
    RowCodec codec = codec(PAIRS);
    Random random = new Random(17 + compression.ordinal());
    List<List<Object>> partitions = partitions(random, 4000, 0, 700);
    Run run = corruptible(compression, codec, partitions);
    byte[] original = Files.readAllBytes(run.file());
    List<Integer> blocks = blockStarts(original);
    assertTrue(blocks.size() >= 3, "several blocks: " + blocks);

    // every header byte, the first and last bytes of every block's data, and random bytes between
    TreeSet<Integer> offsets = new TreeSet<>();
    for (int start : blocks) {
      for (int i = 0; i < RunWriter.HEADER_BYTES + 24 && start + i < original.length; i++) {
        offsets.add(start + i);
      }
    }
    for (int i = 0; i < 24; i++) {
      offsets.add(original.length - 1 - i);
    }
    for (int i = 0; i < 250; i++) {
      offsets.add(random.nextInt(original.length));
    }
    int headerFlips = 0;
    try (FileChannel file = FileChannel.open(run.file(), StandardOpenOption.WRITE)) {
      for (int offset : offsets) {
        boolean header = blocks.stream().anyMatch(s -> offset >= s && offset < s + RunWriter.HEADER_BYTES);
        int[] masks = header ? new int[] {0xff, 0x01, 0x80, 1 + random.nextInt(255)} : new int[] {0xff};
        for (int mask : masks) {
          file.write(ByteBuffer.wrap(new byte[] {(byte) (original[offset] ^ mask)}), offset);
          assertCorrupt(run, codec, compression + ": byte " + offset + " of " + original.length + " xor " + mask);
          file.write(ByteBuffer.wrap(new byte[] {original[offset]}), offset);
          headerFlips += header ? 1 : 0;
        }
      }
    }
    assertTrue(headerFlips >= blocks.size() * RunWriter.HEADER_BYTES * 4, "" + headerFlips);
    assertArrayEquals(original, Files.readAllBytes(run.file()));
    for (int p = 0; p < partitions.size(); p++) {
      assertEquals(partitions.get(p), read(run, p, codec), "restored: readable again");
    }
  }

  /** Each codec, asked to decompress to a wrong raw length, reports corruption (not its own exception). */
  @ParameterizedTest
  @EnumSource(Compression.class)
  void decompressingToAWrongLengthIsCorruption(Compression compression) throws IOException {
    byte[] raw = new byte[10_000];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (i % 7 == 0 ? i : 'x');
    }
    int[] length = new int[1];
    byte[] stored = compression.compress(raw, raw.length, new byte[0], length).clone();
    byte[] back = new byte[raw.length];
    compression.decompress(stored, length[0], back, raw.length);
    assertArrayEquals(raw, back);
    for (int wrong : new int[] {1, raw.length / 2, raw.length - 1, raw.length + 1, raw.length * 3}) {
      byte[] out = new byte[wrong];
      assertThrows(CorruptShuffleDataException.class, () -> compression.decompress(stored, length[0], out, wrong),
          compression + " to " + wrong + " bytes");
    }
  }

  /**
   * A block header whose raw length was damaged to nearly 2 GiB is refused before a buffer of
   * that size is allocated: the reader's allocations stay near the size of the file.
   */
  @ParameterizedTest
  @EnumSource(Compression.class)
  void aDamagedRawLengthIsRefusedWithoutAllocatingIt(Compression compression) throws IOException {
    RowCodec codec = codec(PAIRS);
    List<List<Object>> partitions = partitions(new Random(41), 2000);
    Run run = corruptible(compression, codec, partitions);
    read(run, 0, codec); // classes loaded, buffers warmed
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int rawLength : new int[] {Integer.MAX_VALUE - 8, 1 << 30, (int) run.bytes() * 300}) {
      try (FileChannel file = FileChannel.open(run.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        ByteBuffer original = ByteBuffer.allocate(4);
        file.read(original, 4);
        file.write(ByteBuffer.allocate(4).putInt(0, rawLength), 4);
        long before = threads.getCurrentThreadAllocatedBytes();
        assertCorrupt(run, codec, compression + ": raw length " + rawLength);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < (16 << 20), compression + ": reading the damaged block allocated " + allocated
            + " bytes for a file of " + run.bytes());
        file.write(original.flip(), 4);
      }
    }
    assertEquals(partitions.get(0), read(run, 0, codec));
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyTruncationIsCorruptionNamingTheFile(Compression compression) throws IOException {
    RowCodec codec = codec(PAIRS);
    Random random = new Random(29 + compression.ordinal());
    List<List<Object>> partitions = partitions(random, 4000, 0, 700);
    Run run = corruptible(compression, codec, partitions);
    byte[] original = Files.readAllBytes(run.file());
    TreeSet<Integer> lengths = new TreeSet<>();
    for (int start : blockStarts(original)) {
      for (int d = -3; d <= RunWriter.HEADER_BYTES + 3; d++) {
        if (start + d >= 0 && start + d < original.length) {
          lengths.add(start + d);
        }
      }
    }
    for (int i = 0; i < 40; i++) {
      lengths.add(i);
      lengths.add(original.length - 1 - i);
    }
    for (int i = 0; i < 100; i++) {
      lengths.add(random.nextInt(original.length));
    }
    for (int length : lengths) {
      Files.write(run.file(), Arrays.copyOf(original, length));
      assertCorrupt(run, codec, compression + ": cut to " + length + " of " + original.length + " bytes");
    }
    Files.write(run.file(), original);
    assertEquals(partitions.get(0), read(run, 0, codec));
  }
}
