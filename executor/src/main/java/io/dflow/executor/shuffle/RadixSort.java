package io.dflow.executor.shuffle;

import java.util.Arrays;

/**
 * A stable least-significant-digit radix sort of record indices by 64-bit keys compared as
 * unsigned numbers, a byte per pass; a pass whose byte is the same for every key is skipped
 * (small numbers, shared string prefixes). Its passes read the arrays in order, which is what
 * makes it faster than comparing: a comparison sort of indices reads the keys at random.
 */
final class RadixSort {
  private RadixSort() {}

  /**
   * Reorders {@code index[0 .. n)} and {@code keys[0 .. n)} together so that the keys ascend
   * (unsigned); equal keys keep their order. Takes {@code n} ints and {@code n} longs of scratch.
   */
  static void sort(int[] index, long[] keys, int n) {
    if (n < 2) {
      return;
    }
    int[] fromIndex = index;
    long[] fromKeys = keys;
    int[] toIndex = new int[n];
    long[] toKeys = new long[n];
    int[] counts = new int[256];
    for (int shift = 0; shift < 64; shift += 8) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[(int) (fromKeys[i] >>> shift) & 0xFF]++;
      }
      if (counts[(int) (fromKeys[0] >>> shift) & 0xFF] == n) {
        continue; // every key has this byte: nothing to reorder
      }
      int sum = 0;
      for (int b = 0; b < 256; b++) {
        int c = counts[b];
        counts[b] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        long key = fromKeys[i];
        int to = counts[(int) (key >>> shift) & 0xFF]++;
        toKeys[to] = key;
        toIndex[to] = fromIndex[i];
      }
      int[] swapIndex = fromIndex;
      fromIndex = toIndex;
      toIndex = swapIndex;
      long[] swapKeys = fromKeys;
      fromKeys = toKeys;
      toKeys = swapKeys;
    }
    if (fromIndex != index) {
      System.arraycopy(fromIndex, 0, index, 0, n);
      System.arraycopy(fromKeys, 0, keys, 0, n);
    }
  }
}
