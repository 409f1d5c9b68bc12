package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link RadixSort} against a stable comparison sort by unsigned key: random keys of every
 * magnitude and sign, many duplicates (stability), keys that differ only in one byte (skipped
 * passes), an odd and an even number of passes, and the smallest inputs.
 */
class RadixSortTest {
  @Test
  void sortsLikeAStableUnsignedComparisonSort() {
    Random random = new Random(17);
    long[][] inputs = {
        random.longs(10_000).toArray(),
        random.longs(10_000, 0, 50).toArray(), // duplicates, six skipped passes
        random.longs(5_000, 0, 1 << 8).map(x -> x << 24).toArray(), // one pass
        random.longs(5_000, 0, 1 << 16).toArray(), // two passes
        {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, -1, Long.MIN_VALUE},
        {42}, {},
    };
    for (long[] keys : inputs) {
      int n = keys.length;
      Integer[] expected = IntStream.range(0, n).boxed().toArray(Integer[]::new);
      Arrays.sort(expected, Comparator.comparing((Integer i) -> keys[i], Long::compareUnsigned)); // stable
      int[] index = IntStream.range(0, n).toArray();
      long[] sortedKeys = keys.clone();
      RadixSort.sort(index, sortedKeys, n);
      assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), index);
      assertArrayEquals(Arrays.stream(expected).mapToLong(i -> keys[i]).toArray(), sortedKeys);
    }
  }
}
