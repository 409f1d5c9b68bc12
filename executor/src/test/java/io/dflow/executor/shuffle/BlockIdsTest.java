package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.planner.ShuffleId;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Shuffle block ids ({@code shuffle_<node>_<input>_<map>_<task>_<reduce>}): formatted and parsed
 * back, and anything else a peer might send refused before it reaches a file name.
 */
class BlockIdsTest {
  @Test
  void formatsAndParsesBack() throws IOException {
    ShuffleId shuffle = new ShuffleId(1, 2);
    assertEquals("shuffle_1_2_3_4_5", BlockIds.shuffle(shuffle, 3, 4, 5));
    assertEquals("shuffle_1_2_3_4", BlockIds.mapOutput(shuffle, 3, 4));
    int big = 999_999_999;
    long bigTask = 999_999_999_999_999_999L;
    ShuffleId bigShuffle = new ShuffleId(big, big);
    assertEquals(new BlockIds.ShuffleBlock(bigShuffle, 0, bigTask, 7),
        BlockIds.parseShuffle(BlockIds.shuffle(bigShuffle, 0, bigTask, 7)));
    assertEquals(new BlockIds.ShuffleBlock(new ShuffleId(0, 0), 0, 0, 0), BlockIds.parseShuffle("shuffle_0_0_0_0_0"));
  }

  @Test
  void twoAttemptsOfOneMapTaskNameDifferentBlocks() {
    ShuffleId shuffle = new ShuffleId(6, 0);
    assertNotEquals(BlockIds.shuffle(shuffle, 2, 40, 1), BlockIds.shuffle(shuffle, 2, 41, 1));
    assertNotEquals(BlockIds.mapOutput(new ShuffleId(6, 1), 2, 40), BlockIds.mapOutput(shuffle, 2, 40));
  }

  @Test
  void tellsShuffleBlocksFromCachedOnes() {
    assertTrue(BlockIds.isShuffle("shuffle_1_0_2_3_4"));
    assertFalse(BlockIds.isShuffle("rdd_1_2"));
  }

  @Test
  void rejectsAnythingElse() {
    String[] hostile = {
        "", "../../etc/passwd", "shuffle_1_2_3_4", "shuffle_1_2_3_4_5_6", "shuffle_1_2_3_4_",
        "shuffle_-1_2_3_4_5", "shuffle_+1_2_3_4_5", "shuffle_1_2_3_4_5/../../x", "../shuffle_1_2_3_4_5",
        "shuffle_1_2_3_4_5\n", " shuffle_1_2_3_4_5", "SHUFFLE_1_2_3_4_5", "shuffle_1_2_3_4_0x5",
        "shuffle_1234567890_2_3_4_5", "shuffle_1_2_3_1234567890123456789_5", "shuffle_1_2_3_4_99999999999999999999",
        "shuffle_\u0661_2_3_4_5", // an Arabic-Indic digit, which Integer.parseInt would accept
        "rdd_1_2"
    };
    for (String id : hostile) {
      IOException e = assertThrows(IOException.class, () -> BlockIds.parseShuffle(id), id);
      assertTrue(e.getMessage().startsWith("not a shuffle block id: "), e.getMessage());
    }
  }

  @Test
  void abbreviatesLongIdsInErrors() {
    String id = "shuffle_" + "1".repeat(10_000);
    IOException e = assertThrows(IOException.class, () -> BlockIds.parseShuffle(id));
    assertTrue(e.getMessage().length() < 120, e.getMessage());
    assertTrue(e.getMessage().endsWith("..."), e.getMessage());
  }
}
