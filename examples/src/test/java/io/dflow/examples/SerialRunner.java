package io.dflow.examples;

import io.dflow.api.Pair;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.ShuffleSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a job's plan in one thread, as one partition, so example jobs can be tested without a
 * driver. Each step and shuffle spec is first sent through Java serialisation, as the driver
 * sends them to executors.
 * Supports what the examples use: text and collection sources, narrow steps, reduceByKey;
 * {@code saveAsTextFile} keeps its lines in {@link #saved} instead of writing them.
 */
final class SerialRunner implements JobRunner {
  final Map<String, List<String>> saved = new LinkedHashMap<>();

  @Override
  public Object run(LogicalNode node, Action action) {
    Iterator<Object> records = evaluate(node);
    List<Object> all = new ArrayList<>();
    records.forEachRemaining(all::add);
    if (action instanceof Action.SaveText save) {
      saved.put(save.path(), all.stream().map(String::valueOf).toList());
      return null;
    }
    return action instanceof Action.Count ? (Object) (long) all.size() : all;
  }

  @Override
  public String explain(LogicalNode node, Action action) {
    return node.toString();
  }

  private Iterator<Object> evaluate(LogicalNode node) {
    if (node instanceof LogicalNode.TextSource text) {
      try {
        return new ArrayList<Object>(Files.readAllLines(Path.of(text.path()))).iterator();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else if (node instanceof LogicalNode.CollectionSource collection) {
      return new ArrayList<Object>(collection.data()).iterator();
    } else if (node instanceof LogicalNode.Narrow narrow) {
      return roundTrip(narrow.step()).apply(evaluate(narrow.parent()));
    } else if (node instanceof LogicalNode.Shuffle shuffle
        && shuffle.spec().kind() == ShuffleSpec.Kind.REDUCE_BY_KEY) {
      ShuffleSpec spec = roundTrip(shuffle.spec());
      Map<Object, Object> merged = new LinkedHashMap<>();
      for (Iterator<Object> it = evaluate(shuffle.parent()); it.hasNext(); ) {
        Pair<?, ?> pair = (Pair<?, ?>) it.next();
        merged.merge(pair.key(), pair.value(), (a, b) -> {
          try {
            return spec.combiner().apply(a, b);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
      return merged.entrySet().stream().map(e -> (Object) Pair.of(e.getKey(), e.getValue())).iterator();
    }
    throw new UnsupportedOperationException("not supported by the test runner: " + node);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Serializable> T roundTrip(T value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(value);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (T) in.readObject();
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException(value + " does not survive serialisation", e);
    }
  }
}
