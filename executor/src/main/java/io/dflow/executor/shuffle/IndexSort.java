package io.dflow.executor.shuffle;

/**
 * Sorts an array of record indices with a comparator over indices: a stable merge sort with
 * insertion sort for short runs, so records never become objects while they are ordered.
 */
final class IndexSort {
  /** Compares the records at two indices. */
  @FunctionalInterface
  interface Comparator {
    int compare(int a, int b);
  }

  private static final int INSERTION = 24;

  private IndexSort() {}

  static void sort(int[] a, int from, int to, Comparator cmp) {
    if (to - from < 2) {
      return;
    }
    int[] tmp = new int[to - from];
    sort(a, tmp, from, to, cmp);
  }

  private static void sort(int[] a, int[] tmp, int from, int to, Comparator cmp) {
    if (to - from <= INSERTION) {
      for (int i = from + 1; i < to; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= from && cmp.compare(a[j], v) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    sort(a, tmp, from, mid, cmp);
    sort(a, tmp, mid, to, cmp);
    if (cmp.compare(a[mid - 1], a[mid]) <= 0) {
      return; // already in order: sorted input costs one comparison per run
    }
    System.arraycopy(a, from, tmp, 0, mid - from);
    int i = 0;
    int iEnd = mid - from;
    int j = mid;
    int k = from;
    while (i < iEnd && j < to) {
      a[k++] = cmp.compare(tmp[i], a[j]) <= 0 ? tmp[i++] : a[j++];
    }
    while (i < iEnd) {
      a[k++] = tmp[i++];
    }
  }
}
