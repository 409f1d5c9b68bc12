package io.dflow.api;

import java.util.Arrays;

/**
 * The natural orders sortByKey uses: of {@link Comparable} keys, and of {@code byte[]} keys by
 * their unsigned bytes, lexicographically (as Hadoop orders {@code Text} keys).
 */
public enum KeyOrder implements KeyComparator<Object> {
  ASCENDING, DESCENDING;

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public int compare(Object a, Object b) {
    int c = a instanceof byte[] x ? Arrays.compareUnsigned(x, (byte[]) b) : ((Comparable) a).compareTo(b);
    return this == ASCENDING ? c : -c;
  }
}
