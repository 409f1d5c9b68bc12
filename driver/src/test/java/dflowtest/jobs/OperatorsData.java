package dflowtest.jobs;

import io.dflow.api.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The inputs of {@link OperatorsJob}: {@link #left()} has a hot key ({@code k0}, a third of its
 * records) and keys {@code k0..k39}; {@link #right()} has keys {@code k20..k49}, so a join has
 * keys on one side only, on the other only, and on both.
 */
public final class OperatorsData {
  private OperatorsData() {}

  public static List<Pair<String, Integer>> left() {
    List<Pair<String, Integer>> out = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      out.add(Pair.of(i < 100 ? "k0" : "k" + (i % 40), i));
    }
    return out;
  }

  public static List<Pair<String, Integer>> right() {
    List<Pair<String, Integer>> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      out.add(Pair.of("k" + (20 + i % 30), 1000 + i));
    }
    return out;
  }

  public static List<Long> numbers() {
    return LongStream.range(0, 1000).boxed().toList();
  }
}
