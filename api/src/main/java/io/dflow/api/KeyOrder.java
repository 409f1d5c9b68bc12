package io.dflow.api;

import java.io.Serializable;
import java.util.Comparator;

/** The serialisable orderings sortByKey uses: natural order of {@link Comparable} keys. */
public enum KeyOrder implements Comparator<Object>, Serializable {
  ASCENDING, DESCENDING;

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public int compare(Object a, Object b) {
    int c = ((Comparable) a).compareTo(b);
    return this == ASCENDING ? c : -c;
  }
}
