package io.dflow.api;

import java.util.Arrays;

/**
 * The natural orders sortByKey uses: of {@link Comparable} keys, and of {@code byte[]} keys by
 * their unsigned bytes, lexicographically (as Hadoop orders {@code Text} keys). A null key
 * comes before every other in ascending order.
 */
public enum KeyOrder implements KeyComparator<Object> {
  ASCENDING, DESCENDING;

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public int compare(Object a, Object b) {
    if (a == null || b == null) {
      int nulls = a == b ? 0 : a == null ? -1 : 1;
      return this == ASCENDING ? nulls : -nulls;
    }
    int c = a instanceof byte[] x ? Arrays.compareUnsigned(x, (byte[]) b) : ((Comparable) a).compareTo(b);
    return this == ASCENDING ? c : -c;
  }
}
