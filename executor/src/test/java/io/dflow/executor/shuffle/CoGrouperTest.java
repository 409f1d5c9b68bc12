package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.arrow.Compression;
import io.dflow.executor.memory.ExecutionMemory;
import io.dflow.executor.memory.TaskMemory;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CoGrouper} over three inputs of different value types, with memory small enough that
 * every input spills and with ample memory: each key found in any input comes out exactly once
 * with every input's values (keys only some inputs have, null keys, distinct keys of equal hash
 * included), checked against a plain-Java grouping; spill files are gone and memory is given
 * back at the end.
 */
class CoGrouperTest {
  @TempDir
  Path tmp;

  @Test
  void groupsEveryInputsValuesByKeyWhetherOrNotItSpills() throws IOException {
    List<String> collide = ExternalSorterTest.colliding(5);
    Random random = new Random(11);
    List<List<Object>> inputs = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < 30_000; i++) {
      int k = random.nextInt(4000);
      String key = k % 13 == 0 ? collide.get(k % collide.size()) : k == 5 ? null : "k" + k;
      int side = k % 7 == 0 ? 0 : random.nextInt(3); // some keys only in input 0
      inputs.get(side).add(Pair.of(key, side == 0 ? (Object) (long) i : side == 1 ? "v" + i : (double) i));
    }
    List<Encoder<?>> encoders = List.of(Encoders.pairs(Encoders.strings(), Encoders.longs()),
        Encoders.pairs(Encoders.strings(), Encoders.strings()),
        Encoders.pairs(Encoders.strings(), Encoders.doubles()));
    Map<Object, List<List<Object>>> expected = new HashMap<>();
    for (int side = 0; side < 3; side++) {
      for (Object r : inputs.get(side)) {
        Pair<?, ?> p = (Pair<?, ?>) r;
        expected.computeIfAbsent(p.key(), k -> List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()))
            .get(side).add(p.value());
      }
    }
    for (long memory : new long[] {32 << 10, 64 << 20}) {
      Path spills = Files.createDirectories(tmp.resolve("spills-" + memory));
      AtomicInteger files = new AtomicInteger();
      List<Closeable> closeAtEnd = new ArrayList<>();
      TaskMemory task = new ExecutionMemory(memory).forTask("cogroup-test", memory);
      SpillMetrics metrics = new SpillMetrics();
      SortSettings settings = new SortSettings(task, () -> spills.resolve("run-" + files.incrementAndGet()),
          Compression.LZ4, ShuffleFixtures.POLICY, metrics, closeAtEnd::add);
      List<Iterator<Object>> in = inputs.stream().map(List::iterator).toList();
      Map<Object, List<List<Object>>> actual = new HashMap<>();
      CoGrouper.group(in, encoders, settings).forEachRemaining(r -> {
        Pair<?, ?> p = (Pair<?, ?>) r;
        @SuppressWarnings("unchecked")
        List<List<Object>> sides = (List<List<Object>>) p.value();
        List<List<Object>> previous = actual.put(p.key(), sides);
        assertEquals(null, previous, "key " + p.key() + " came out twice");
      });
      for (Map.Entry<Object, List<List<Object>>> e : expected.entrySet()) {
        List<List<Object>> got = actual.get(e.getKey());
        for (int side = 0; side < 3; side++) {
          List<Object> want = new ArrayList<>(e.getValue().get(side));
          List<Object> have = new ArrayList<>(got.get(side));
          want.sort(null);
          have.sort(null);
          assertEquals(want, have, "key " + e.getKey() + " input " + side + " with " + memory + " bytes");
        }
      }
      assertEquals(expected.keySet(), actual.keySet());
      if (memory < 1 << 20) {
        assertTrue(metrics.spills() >= 3, "each input spilled at least once: " + metrics.spills());
      } else {
        assertEquals(0, metrics.spills());
      }
      for (Closeable c : closeAtEnd) {
        c.close();
      }
      try (Stream<Path> left = Files.list(spills)) {
        assertEquals(List.of(), left.toList(), "spill files left behind");
      }
      assertEquals(0, task.held());
      task.close();
    }
  }
}
