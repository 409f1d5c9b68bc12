package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.arrow.TestRecords.Point;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShuffleRoundTripTest extends ShuffleTestBase {
  @Test
  void strings() throws Exception {
    String large = "ä€😀x".repeat(300_000);
    List<List<String>> partitions = List.of(
        Arrays.asList("a", null, "", "naïve", "日本語", "😀 emoji", "tab\there", null),
        List.of(),
        Arrays.asList(large, "", large.substring(7)));
    fixture.roundTrip(Encoders.strings(), partitions, BatchLimits.DEFAULT);
  }

  @Test
  void numbersAndBooleans() throws Exception {
    fixture.roundTrip(Encoders.longs(), List.of(
        Arrays.asList(Long.MIN_VALUE, -1L, 0L, null, Long.MAX_VALUE)), BatchLimits.DEFAULT);
    fixture.roundTrip(Encoders.ints(), List.of(
        Arrays.asList(Integer.MIN_VALUE, null, 0, 42, Integer.MAX_VALUE), List.of()),
        BatchLimits.DEFAULT);
    fixture.roundTrip(Encoders.doubles(), List.of(Arrays.asList(Double.NaN, -0.0, 0.0,
        Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.MIN_VALUE, null, 1.5)),
        BatchLimits.DEFAULT);
    fixture.roundTrip(Encoders.booleans(), List.of(List.of(),
        Arrays.asList(true, false, null, true, true, false, false, true, null, true)),
        BatchLimits.DEFAULT);
  }

  @Test
  void byteArrays() throws Exception {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    byte[] large = new byte[3 << 20];
    new Random(7).nextBytes(large);
    fixture.roundTrip(Encoders.bytes(), List.of(
        Arrays.asList(new byte[0], null, everyByte, large, new byte[] {0})), BatchLimits.DEFAULT);
  }

  @Test
  void pairsWithNullKeysAndValues() throws Exception {
    fixture.roundTrip(Encoders.pairs(Encoders.strings(), Encoders.longs()), List.of(
        List.of(Pair.of("a", 1L), Pair.of(null, 2L), Pair.of("c", null), Pair.of(null, null)),
        List.of(),
        List.of(Pair.of("", Long.MAX_VALUE))), BatchLimits.DEFAULT);
    fixture.roundTrip(Encoders.pairs(Encoders.ints(), Encoders.bytes()), List.of(
        List.of(Pair.of(1, new byte[] {1, 2}), Pair.of(2, new byte[0]), Pair.of(3, null))),
        BatchLimits.DEFAULT);
  }

  @Test
  void javaSerialisedRecordsAndNestedPairs() throws Exception {
    fixture.roundTrip(Encoders.java(Point.class), List.of(
        Arrays.asList(new Point(1, "one"), null, new Point(-2, "ü"))), BatchLimits.DEFAULT);
    Encoder<List<Long>> lists = Encoders.javaUnchecked(ArrayList.class);
    fixture.roundTrip(Encoders.pairs(Encoders.strings(), lists), List.of(
        List.of(Pair.of("k", new ArrayList<>(List.of(1L, 2L))), Pair.of("e", new ArrayList<>()))),
        BatchLimits.DEFAULT);
    Encoder<?> nested = Encoders.pairs(Encoders.pairs(Encoders.strings(), Encoders.ints()),
        Encoders.java(Point.class));
    fixture.roundTrip(nested, List.of(List.of(
        Pair.of(Pair.of("a", 1), new Point(3, "p")), Pair.of(null, null),
        Pair.of(Pair.of(null, 2), new Point(4, null)))), BatchLimits.DEFAULT);
  }

  @Test
  void allPartitionsEmpty() throws Exception {
    List<List<String>> empty = List.of(List.of(), List.of(), List.of(), List.of(), List.of());
    ShuffleWriteResult result = fixture.write(Encoders.strings(), empty, BatchLimits.DEFAULT);
    assertEquals(0, result.totalBytes());
    assertEquals(0, Files.size(fixture.data()));
    assertArrayEquals(new byte[6 * Long.BYTES], Files.readAllBytes(fixture.index()));
    fixture.roundTrip(Encoders.strings(), empty, BatchLimits.DEFAULT);
  }

  @Test
  void manyPartitions() throws Exception {
    Random random = new Random(42);
    List<List<Object>> partitions = new ArrayList<>();
    for (int p = 0; p < 2000; p++) {
      int count = random.nextInt(4) == 0 ? 0 : random.nextInt(20);
      List<Object> records = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        records.add(Pair.of("word" + random.nextInt(1000), (long) random.nextInt(50)));
      }
      partitions.add(records);
    }
    fixture.roundTrip(Encoders.pairs(Encoders.strings(), Encoders.longs()), partitions,
        BatchLimits.DEFAULT);
  }

  @Test
  void batchesSplitAtTheRowLimit() throws Exception {
    int[] sizes = {8191, 8192, 8193, 2 * 8192 + 1};
    List<List<Object>> partitions = new ArrayList<>();
    for (int size : sizes) {
      partitions.add(IntStream.range(0, size)
          .mapToObj(i -> (Object) Pair.of(i % 13 == 0 ? null : "k" + i, (long) i)).toList());
    }
    int[] batches = fixture.roundTrip(Encoders.pairs(Encoders.strings(), Encoders.longs()),
        partitions, BatchLimits.DEFAULT);
    assertArrayEquals(new int[] {1, 1, 2, 3}, batches);

    List<List<Integer>> small = List.of(ints(6), ints(7), ints(8), ints(15));
    assertArrayEquals(new int[] {1, 1, 2, 3},
        fixture.roundTrip(Encoders.ints(), small, new BatchLimits(7, BatchLimits.MAX_BYTES)));
  }

  @Test
  void batchesSplitAtTheByteLimit() throws Exception {
    String value = "x".repeat(996); // 1000 bytes with its offset
    List<List<String>> partitions = List.of(java.util.Collections.nCopies(100, value));
    int[] batches = fixture.roundTrip(Encoders.strings(), partitions, new BatchLimits(8192, 10_000));
    assertEquals(10, batches[0]);

    byte[] large = new byte[9 << 20]; // over the 8 MiB default: one value per batch
    new Random(3).nextBytes(large);
    int[] oneEach = fixture.roundTrip(Encoders.bytes(), List.of(List.of(large, large, large)),
        BatchLimits.DEFAULT);
    assertEquals(3, oneEach[0]);
  }

  @Test
  void rewritingReplacesTheFiles() throws Exception {
    fixture.roundTrip(Encoders.longs(), List.of(List.of(1L, 2L), List.of(3L)), BatchLimits.DEFAULT);
    fixture.roundTrip(Encoders.longs(), List.of(List.of(4L), List.of(), List.of(5L)),
        BatchLimits.DEFAULT);
    assertTrue(Files.exists(fixture.index()));
  }

  private static List<Integer> ints(int count) {
    return IntStream.range(0, count).boxed().toList();
  }
}
