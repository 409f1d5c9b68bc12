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
 * passes), an odd and an even number of passes, the smallest inputs, and a range sorted in place
 * (by insertion below the cut, by passes above it).
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

  @Test
  void sortsARangeInPlaceLeavingTheRestAlone() {
    Random random = new Random(5);
    for (int n : new int[] {0, 1, 2, 7, 23, 24, 25, 300}) { // both sides of the insertion-sort cut
      int from = 3;
      int to = from + n;
      long[] keys = random.longs(to + 4, -3, 3).toArray(); // signs and duplicates
      long[] original = keys.clone();
      int[] index = IntStream.range(0, keys.length).toArray();
      Integer[] expected = IntStream.range(from, to).boxed().toArray(Integer[]::new);
      Arrays.sort(expected, Comparator.comparing((Integer i) -> original[i], Long::compareUnsigned)); // stable
      RadixSort.sort(index, keys, from, to);
      int[] want = IntStream.range(0, keys.length).toArray();
      for (int k = 0; k < n; k++) {
        want[from + k] = expected[k];
      }
      assertArrayEquals(want, index, "n=" + n);
      for (int k = 0; k < keys.length; k++) {
        assertArrayEquals(new long[] {original[want[k]]}, new long[] {keys[k]}, "n=" + n + " key " + k);
      }
    }
  }
}
