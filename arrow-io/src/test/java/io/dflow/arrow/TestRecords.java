package io.dflow.arrow;

import io.dflow.api.Pair;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Values and helpers shared by the tests. */
final class TestRecords {
  private TestRecords() {}

  /** A user type that travels as Java serialisation. */
  record Point(int x, String label) implements Serializable {}

  static final DeserializationPolicy POLICY = new DeserializationPolicy(
      TestRecords.class.getClassLoader(),
      ObjectInputFilter.Config.createFilter("io.dflow.**;java.lang.*;java.util.*;!*"));

  /** Makes records comparable with equals: byte arrays become hex strings, recursively. */
  static Object canonical(Object value) {
    if (value instanceof byte[] bytes) {
      return "bytes:" + HexFormat.of().formatHex(bytes);
    }
    if (value instanceof Pair<?, ?> pair) {
      return Pair.of(canonical(pair.key()), canonical(pair.value()));
    }
    return value;
  }

  static List<Object> canonical(List<?> values) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object value : values) {
      out.add(canonical(value));
    }
    return out;
  }
}
