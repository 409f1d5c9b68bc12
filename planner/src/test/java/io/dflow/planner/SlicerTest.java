package io.dflow.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlicerTest {
  @Test
  void slicesKeepEveryElementInOrderWithSizesWithinOne() {
    for (int n : new int[] {0, 1, 7, 3000}) {
      for (int slices : new int[] {1, 3, 4, 16}) {
        List<Integer> data = IntStream.range(0, n).boxed().toList();
        List<List<Object>> out = Slicer.slice(data, slices);
        assertEquals(slices, out.size());
        List<Object> joined = new ArrayList<>();
        out.forEach(joined::addAll);
        assertEquals(new ArrayList<Object>(data), joined);
        int min = out.stream().mapToInt(List::size).min().orElseThrow();
        int max = out.stream().mapToInt(List::size).max().orElseThrow();
        assertTrue(max - min <= 1, "uneven slices for n=" + n + ", slices=" + slices);
      }
    }
  }
}
