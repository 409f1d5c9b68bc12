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
    sort(index, keys, from, to, new int[n], new long[n]);
  }

  /**
   * Sorts {@code index[from .. to)} and {@code keys[from .. to)} together, as {@link #sort(int[],
   * long[], int)} does, with the caller's scratch arrays (at least {@code to - from} long), so a
   * buffer sorting partition after partition allocates them once.
   */
  static void sort(int[] index, long[] keys, int from, int to, int[] scratchIndex, long[] scratchKeys) {
    if (to - from < SMALL) {
      insertionSort(index, keys, from, to);
    } else {
      radix(index, keys, from, to, scratchIndex, scratchKeys);
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
    if (n >= 2) {
      radix(index, keys, 0, n, new int[n], new long[n]);
    }
  }

  private static void radix(int[] index, long[] keys, int from, int to, int[] scratchIndex, long[] scratchKeys) {
    int n = to - from;
    if (n < 2) {
      return;
    }
    long first = keys[from];
    long differ = 0; // the bits in which some key differs from the first: only their bytes need a pass
    for (int i = from + 1; i < to; i++) {
      differ |= keys[i] ^ first;
    }
    if (differ == 0) {
      return;
    }
    int[] fromIndex = index;
    long[] fromKeys = keys;
    int fromAt = from;
    int[] toIndex = scratchIndex;
    long[] toKeys = scratchKeys;
    int toAt = 0;
    int[] counts = new int[256];
    for (int shift = 0; shift < 64; shift += 8) {
      if (((differ >>> shift) & 0xFF) == 0) {
        continue; // every key has this byte: nothing to reorder
      }
      Arrays.fill(counts, 0);
      for (int i = fromAt; i < fromAt + n; i++) {
        counts[(int) (fromKeys[i] >>> shift) & 0xFF]++;
      }
      int sum = toAt;
      for (int b = 0; b < 256; b++) {
        int c = counts[b];
        counts[b] = sum;
        sum += c;
      }
      for (int i = fromAt; i < fromAt + n; i++) {
        long key = fromKeys[i];
        int at = counts[(int) (key >>> shift) & 0xFF]++;
        toKeys[at] = key;
        toIndex[at] = fromIndex[i];
      }
      int[] swapIndex = fromIndex;
      fromIndex = toIndex;
      toIndex = swapIndex;
      long[] swapKeys = fromKeys;
      fromKeys = toKeys;
      toKeys = swapKeys;
      int swapAt = fromAt;
      fromAt = toAt;
      toAt = swapAt;
    }
    if (fromIndex != index) {
      System.arraycopy(fromIndex, fromAt, index, from, n);
      System.arraycopy(fromKeys, fromAt, keys, from, n);
    }
  }
}
