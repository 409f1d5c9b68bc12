package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class BlockIdsTest {
  @Test
  void formatsAndParsesBack() throws IOException {
    assertEquals("shuffle_1_2_3_4", BlockIds.shuffle(1, 2, 3, 4));
    int big = 999_999_999;
    assertEquals(new BlockIds.ShuffleBlock(big, 0, big, 7),
        BlockIds.parseShuffle(BlockIds.shuffle(big, 0, big, 7)));
  }

  @Test
  void rejectsAnythingElse() {
    String[] hostile = {
        "", "../../etc/passwd", "shuffle_1_2_3", "shuffle_1_2_3_4_5", "shuffle_1_2_3_",
        "shuffle_-1_2_3_4", "shuffle_+1_2_3_4", "shuffle_1_2_3_4/../../x", "../shuffle_1_2_3_4",
        "shuffle_1_2_3_4\n", " shuffle_1_2_3_4", "SHUFFLE_1_2_3_4", "shuffle_1_2_3_0x4",
        "shuffle_1234567890_2_3_4", "shuffle_1_2_3_99999999999999999999",
        "shuffle_\u0661_2_3_4" // an Arabic-Indic digit, which Integer.parseInt would accept
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
