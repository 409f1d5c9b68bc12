package io.dflow.executor.shuffle;

import java.util.Arrays;

/**
 * A stable least-significant-digit radix sort of record indices by 64-bit keys compared as
 * unsigned numbers, a byte per pass; a pass whose byte is the same for every key is skipped
 * (small numbers, shared string prefixes). Its passes read the arrays in order, which is what
 * makes it faster than comparing: a comparison sort of indices reads the keys at random.
 */
final class RadixSort {
  /** Below this many keys an insertion sort is cheaper than eight passes over 256 counters. */
  private static final int SMALL = 24;

  private RadixSort() {}

  /** Sorts {@code index[from .. to)} and {@code keys[from .. to)} together, as {@link #sort(int[], long[], int)} does. */
  static void sort(int[] index, long[] keys, int from, int to) {
    int n = to - from;
    if (n < SMALL) {
      insertionSort(index, keys, from, to);
    } else if (from == 0) {
      sort(index, keys, n);
    } else {
      int[] i = Arrays.copyOfRange(index, from, to);
      long[] k = Arrays.copyOfRange(keys, from, to);
      sort(i, k, n);
      System.arraycopy(i, 0, index, from, n);
      System.arraycopy(k, 0, keys, from, n);
    }
  }

  /** Stable: a key moves left only past larger keys. */
  private static void insertionSort(int[] index, long[] keys, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      long key = keys[i];
      int idx = index[i];
      int j = i - 1;
      while (j >= from && Long.compareUnsigned(keys[j], key) > 0) {
        keys[j + 1] = keys[j];
        index[j + 1] = index[j];
        j--;
      }
      keys[j + 1] = key;
      index[j + 1] = idx;
    }
  }

  /**
   * Reorders {@code index[0 .. n)} and {@code keys[0 .. n)} together so that the keys ascend
   * (unsigned); equal keys keep their order. Takes {@code n} ints and {@code n} longs of scratch.
   */
  static void sort(int[] index, long[] keys, int n) {
    if (n < 2) {
      return;
    }
    long differ = 0; // the bits in which some key differs from the first: only their bytes need a pass
    for (int i = 1; i < n; i++) {
      differ |= keys[i] ^ keys[0];
    }
    if (differ == 0) {
      return;
    }
    int[] fromIndex = index;
    long[] fromKeys = keys;
    int[] toIndex = new int[n];
    long[] toKeys = new long[n];
    int[] counts = new int[256];
    for (int shift = 0; shift < 64; shift += 8) {
      if (((differ >>> shift) & 0xFF) == 0) {
        continue; // every key has this byte: nothing to reorder
      }
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[(int) (fromKeys[i] >>> shift) & 0xFF]++;
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
