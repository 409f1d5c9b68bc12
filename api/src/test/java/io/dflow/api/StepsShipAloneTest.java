package io.dflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.dflow.api.plan.LogicalNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every step and shuffle the dataset API builds serialises on its own: no function captures a
 * dataset or the job context (which cannot be shipped), whichever operator made it.
 */
class StepsShipAloneTest {
  @Test
  void everyOperatorsFunctionsSerialiseWithoutTheirDataset() throws IOException {
    JobContext ctx = new JobContext(new NoRunner(), Map.of(), 2);
    PairDataset<String, Integer> left = ctx.parallelize(List.of(Pair.of("a", 1)),
        Encoders.pairs(Encoders.strings(), Encoders.ints())).mapToPair(p -> p, Encoders.strings(), Encoders.ints());
    PairDataset<String, Integer> right = left.mapValues(v -> v + 1, Encoders.ints());
    List<Dataset<?>> all = List.of(
        left.join(right), left.leftOuterJoin(right), left.rightOuterJoin(right), left.fullOuterJoin(right),
        left.cogroup(right), left.aggregateByKey(0L, (a, v) -> a + v, Long::sum, Encoders.longs()),
        left.foldByKey(0, Integer::sum), left.combineByKey(v -> v, Integer::sum, Integer::sum, Encoders.ints()),
        left.groupByKey(), left.sortByKey(), left.flatMapValues(v -> List.of(v).iterator(), Encoders.ints()),
        left.keys(), left.values(), left.union(right), left.distinct(), left.repartition(3), left.coalesce(1),
        left.sample(true, 0.5, 1), left.sample(false, 0.5, 1), left.keyBy(p -> p.key(), Encoders.strings()),
        left.mapPartitionsWithIndex((i, it) -> it, left.encoder()), left.filter(p -> true));
    int checked = 0;
    for (Dataset<?> d : all) {
      checked += shipEach(d.logicalNode());
    }
    assertEquals(true, checked > 40, "walked " + checked + " nodes");
  }

  private static int shipEach(LogicalNode root) throws IOException {
    Deque<LogicalNode> todo = new ArrayDeque<>(List.of(root));
    Set<Integer> seen = new HashSet<>();
    int n = 0;
    while (!todo.isEmpty()) {
      LogicalNode node = todo.poll();
      if (!seen.add(node.id())) {
        continue;
      }
      n++;
      if (node instanceof LogicalNode.Narrow narrow) {
        ship(narrow.step(), node);
      } else if (node instanceof LogicalNode.Shuffle shuffle) {
        ship(shuffle.spec(), node);
      }
      todo.addAll(node.children());
    }
    return n;
  }

  private static void ship(Serializable part, LogicalNode node) throws IOException {
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      out.writeObject(part);
    } catch (java.io.NotSerializableException e) {
      fail("node " + node.id() + " (" + node.getClass().getSimpleName() + ") cannot be shipped: " + e.getMessage());
    }
  }
}
