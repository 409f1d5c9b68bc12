package io.dflow.api.plan;

import io.dflow.api.UserCodeException;
import io.dflow.api.function.FilterFunction;
import io.dflow.api.function.Function2;
import io.dflow.api.function.FlatMapFunction;
import io.dflow.api.function.MapFunction;
import io.dflow.api.function.PartitionFunction;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** The narrow steps of the dataset API, each wrapping one user function. */
public final class Steps {
  private Steps() {}

  public static Step map(MapFunction<?, ?> fn) {
    return map("map", fn);
  }

  /** A one-to-one step shown as {@code name} in plans (mapValues, keys, ...). */
  @SuppressWarnings("unchecked")
  public static Step map(String name, MapFunction<?, ?> fn) {
    MapFunction<Object, Object> f = (MapFunction<Object, Object>) fn;
    return new Named(name, (partition, input) -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public Object next() {
        Object value = input.next();
        try {
          return f.apply(value);
        } catch (Exception e) {
          throw UserCodeException.of(e);
        }
      }
    });
  }

  @SuppressWarnings("unchecked")
  public static Step filter(FilterFunction<?> fn) {
    FilterFunction<Object> f = (FilterFunction<Object>) fn;
    return new Named("filter", (partition, input) -> new Lookahead() {
      @Override
      boolean advance() throws Exception {
        while (input.hasNext()) {
          Object value = input.next();
          if (f.test(value)) {
            found = value;
            return true;
          }
        }
        return false;
      }
    });
  }

  public static Step flatMap(FlatMapFunction<?, ?> fn) {
    return flatMap("flatMap", fn);
  }

  /** A one-to-many step shown as {@code name} in plans (flatMapValues, join, ...). */
  @SuppressWarnings("unchecked")
  public static Step flatMap(String name, FlatMapFunction<?, ?> fn) {
    FlatMapFunction<Object, Object> f = (FlatMapFunction<Object, Object>) fn;
    return new Named(name, (partition, input) -> new Lookahead() {
      private Iterator<Object> current = Collections.emptyIterator();

      @Override
      boolean advance() throws Exception {
        while (!current.hasNext()) {
          if (!input.hasNext()) {
            return false;
          }
          Iterator<Object> next = f.apply(input.next());
          current = next == null ? Collections.emptyIterator() : next;
        }
        found = current.next();
        return true;
      }
    });
  }

  @SuppressWarnings("unchecked")
  public static Step mapPartitions(PartitionFunction<?, ?> fn) {
    PartitionFunction<Object, Object> f = (PartitionFunction<Object, Object>) fn;
    Function2<Integer, Iterator<Object>, Iterator<Object>> g = (partition, input) -> f.apply(input);
    return mapPartitionsWithIndex("mapPartitions", g);
  }

  /** A per-partition step that also gets the partition's index; {@code name} is for plans. */
  @SuppressWarnings("unchecked")
  public static Step mapPartitionsWithIndex(String name,
      Function2<Integer, ? extends Iterator<?>, ? extends Iterator<?>> fn) {
    Function2<Integer, Iterator<Object>, Iterator<Object>> f =
        (Function2<Integer, Iterator<Object>, Iterator<Object>>) (Function2<?, ?, ?>) fn;
    return new Named(name, (partition, input) -> {
      Iterator<Object> out;
      try {
        out = f.apply(partition, input);
      } catch (Exception e) {
        throw UserCodeException.of(e);
      }
      return out == null ? Collections.emptyIterator() : out;
    });
  }

  /** Applies {@code steps} in order to {@code input}, records of partition {@code partition}: one fused pipeline. */
  public static Iterator<Object> pipeline(Iterable<Step> steps, int partition, Iterator<Object> input) {
    Iterator<Object> it = input;
    for (Step step : steps) {
      it = step.apply(partition, it);
    }
    return it;
  }

  /** The serialisable transform a {@link Named} step applies. */
  private interface Transform extends java.io.Serializable {
    Iterator<Object> apply(int partition, Iterator<Object> input);
  }

  private record Named(String name, Transform transform) implements Step {
    @Override
    public Iterator<Object> apply(int partition, Iterator<Object> input) {
      return transform.apply(partition, input);
    }
  }

  /** An iterator that computes its next element ahead, turning checked user exceptions. */
  private abstract static class Lookahead implements Iterator<Object> {
    Object found;
    private boolean ready;
    private boolean done;

    abstract boolean advance() throws Exception;

    @Override
    public boolean hasNext() {
      if (!ready && !done) {
        try {
          ready = advance();
        } catch (Exception e) {
          throw UserCodeException.of(e);
        }
        done = !ready;
      }
      return ready;
    }

    @Override
    public Object next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ready = false;
      Object value = found;
      found = null;
      return value;
    }
  }
}
