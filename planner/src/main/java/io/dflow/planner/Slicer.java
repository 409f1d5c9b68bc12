package io.dflow.planner;

import java.util.ArrayList;
import java.util.List;

/** Cuts an in-memory collection into contiguous slices whose sizes differ by at most one. */
final class Slicer {
  private Slicer() {}

  static List<List<Object>> slice(List<?> data, int slices) {
    List<List<Object>> out = new ArrayList<>(slices);
    int n = data.size();
    for (int i = 0; i < slices; i++) {
      int from = (int) ((long) n * i / slices);
      int to = (int) ((long) n * (i + 1) / slices);
      out.add(new ArrayList<>(data.subList(from, to)));
    }
    return out;
  }
}
