package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.arrow.Allocators;
import io.dflow.executor.net.BlockRegion;
import io.dflow.planner.ShuffleId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map outputs of one executor: written as a data file and an index, served segment by
 * segment, refusing ids a peer might forge, and gone after {@code deleteAll}.
 */
class ShuffleStoreTest {
  private static final Encoder<?> ENCODER = Encoders.pairs(Encoders.strings(), Encoders.longs());
  private static final ShuffleId S12 = new ShuffleId(1, 2);
  private static final ShuffleId S1 = new ShuffleId(1, 0);

  @TempDir
  Path tmp;
  private Path dir;
  private ShuffleStore store;
  private BufferAllocator allocator;

  @BeforeEach
  void open() throws IOException {
    dir = tmp.resolve("executor-1").resolve("shuffle");
    store = new ShuffleStore(dir);
    allocator = Allocators.forTask("ShuffleStoreTest", 64 << 20);
  }

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory left allocated");
    allocator.close();
  }

  private static List<List<Object>> samplePartitions() {
    List<Object> many = new ArrayList<>();
    for (long i = 0; i < 5_000; i++) {
      many.add(Pair.of("key-" + (i % 97), i * i));
    }
    return List.of(
        List.of(Pair.of("a", 1L), Pair.of("b", -2L)),
        List.of(),
        List.of(Pair.of("ключ", Long.MAX_VALUE), Pair.of("", null), Pair.of(null, 0L)),
        many);
  }

  @Test
  void writesAMapOutputAndReadsEachPartitionBack() throws IOException {
    List<List<Object>> partitions = samplePartitions();
    long written = ShuffleFixtures.write(store, S12, 3, 4, ENCODER, partitions, allocator).totalBytes();

    long expectedOffset = 0;
    for (int p = 0; p < partitions.size(); p++) {
      String id = BlockIds.shuffle(S12, 3, 4, p);
      BlockRegion region = store.resolve(id);
      assertEquals(dir, region.file().getParent());
      assertEquals(expectedOffset, region.offset(), "segments follow each other");
      expectedOffset += region.length();

      byte[] bytes = store.read(id);
      assertEquals(region.length(), bytes.length);
      assertEquals(partitions.get(p), ShuffleFixtures.decode(bytes, ENCODER, allocator), "partition " + p);
    }
    assertEquals(0, store.resolve(BlockIds.shuffle(S12, 3, 4, 1)).length(), "an empty partition is empty");
    assertEquals(written, expectedOffset);
    assertEquals(written, Files.size(store.resolve(BlockIds.shuffle(S12, 3, 4, 0)).file()));
  }

  @Test
  void hostileOrUnknownBlockIdsFailClearlyAndStayInTheStore() throws IOException {
    ShuffleFixtures.write(store, S12, 3, 4, ENCODER, samplePartitions(), allocator);
    Path outside = Files.writeString(tmp.resolve("secret.index"), "not for peers");

    String[][] cases = {
        {"../../etc/passwd", "not a shuffle block id: ../../etc/passwd"},
        {"../secret", "not a shuffle block id"},
        {"shuffle_1_2_3_4", "not a shuffle block id"},
        {"shuffle_1_2_3_4_0/../../../secret", "not a shuffle block id"},
        {"shuffle_99999999999_2_3_4_0", "not a shuffle block id"},
        {"shuffle_1_2_9_4_0", "no map output shuffle_1_2_9_4 on this executor"},
        {"shuffle_1_2_3_5_0", "no map output shuffle_1_2_3_5 on this executor"}, // another attempt
        {"shuffle_1_0_3_4_0", "no map output shuffle_1_0_3_4 on this executor"}, // another input
        {"shuffle_7_7_7_7_7", "no map output shuffle_7_7_7_7 on this executor"},
        {"shuffle_1_2_3_4_4", "map output shuffle_1_2_3_4 has 4 partitions, not 5"},
        {"shuffle_1_2_3_4_999999999", "has 4 partitions, not 1000000000"},
    };
    for (String[] c : cases) {
      IOException resolveError = assertThrows(IOException.class, () -> store.resolve(c[0]), c[0]);
      assertTrue(resolveError.getMessage().contains(c[1]), resolveError.getMessage());
      IOException readError = assertThrows(IOException.class, () -> store.read(c[0]), c[0]);
      assertEquals(resolveError.getMessage(), readError.getMessage());
    }
    assertEquals("not for peers", Files.readString(outside));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("shuffle_1_2_3_4.data", "shuffle_1_2_3_4.index"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aDamagedIndexIsReportedNotServed() throws IOException {
    ShuffleFixtures.write(store, new ShuffleId(4, 0), 0, 0, ENCODER, samplePartitions(), allocator);
    Path index = dir.resolve("shuffle_4_0_0_0.index");
    byte[] bytes = Files.readAllBytes(index);
    Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    IOException e = assertThrows(IOException.class, () -> store.read(BlockIds.shuffle(new ShuffleId(4, 0), 0, 0, 0)));
    assertTrue(e.getMessage().contains("corrupt shuffle index"), e.getMessage());
  }

  @Test
  void aRewrittenMapOutputIsServedFresh() throws IOException {
    List<List<Object>> first = List.of(List.of(Pair.of("old", 1L)), List.of());
    List<List<Object>> second = List.of(List.of(Pair.of("new", 2L), Pair.of("newer", 3L)), List.of(), List.of());
    ShuffleFixtures.write(store, S1, 1, 9, ENCODER, first, allocator);
    assertEquals(first.get(0), ShuffleFixtures.decode(store.read("shuffle_1_0_1_9_0"), ENCODER, allocator));

    ShuffleFixtures.write(store, S1, 1, 9, ENCODER, second, allocator); // the same attempt's output written again
    assertEquals(second.get(0), ShuffleFixtures.decode(store.read("shuffle_1_0_1_9_0"), ENCODER, allocator));
    assertArrayEquals(new byte[0], store.read("shuffle_1_0_1_9_2"));
  }

  @Test
  void twoAttemptsOfAMapTaskKeepTheirOwnOutputs() throws IOException {
    ShuffleFixtures.write(store, S1, 1, 10, ENCODER, List.of(List.of(Pair.of("first", 1L))), allocator);
    ShuffleFixtures.write(store, S1, 1, 11, ENCODER, List.of(List.of(Pair.of("retry", 2L))), allocator);
    assertEquals(List.of(Pair.of("first", 1L)),
        ShuffleFixtures.decode(store.read(BlockIds.shuffle(S1, 1, 10, 0)), ENCODER, allocator));
    assertEquals(List.of(Pair.of("retry", 2L)),
        ShuffleFixtures.decode(store.read(BlockIds.shuffle(S1, 1, 11, 0)), ENCODER, allocator));
  }

  @Test
  void deleteAllRemovesEveryMapOutput() throws IOException {
    ShuffleFixtures.write(store, S1, 0, 0, ENCODER, samplePartitions(), allocator);
    ShuffleFixtures.write(store, S1, 1, 1, ENCODER, samplePartitions(), allocator);
    store.read(BlockIds.shuffle(S1, 0, 0, 0)); // caches an index
    Path sibling = Files.writeString(dir.getParent().resolve("keep.txt"), "x");

    store.deleteAll();

    assertFalse(Files.exists(dir));
    assertTrue(Files.exists(sibling), "only the store's own directory goes");
    IOException e = assertThrows(IOException.class, () -> store.read(BlockIds.shuffle(S1, 0, 0, 0)));
    assertTrue(e.getMessage().contains("no map output shuffle_1_0_0_0"), e.getMessage());
  }
}
