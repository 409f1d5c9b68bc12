package io.dflow.api.plan;

import io.dflow.api.UserCodeException;
import io.dflow.api.function.FilterFunction;
import io.dflow.api.function.FlatMapFunction;
import io.dflow.api.function.MapFunction;
import io.dflow.api.function.PartitionFunction;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** The narrow steps of the dataset API, each wrapping one user function. */
public final class Steps {
  private Steps() {}

  @SuppressWarnings("unchecked")
  public static Step map(MapFunction<?, ?> fn) {
    MapFunction<Object, Object> f = (MapFunction<Object, Object>) fn;
    return new Named("map", input -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public Object next() {
        Object value = input.next();
        try {
          return f.apply(value);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new UserCodeException(e);
        }
      }
    });
  }

  @SuppressWarnings("unchecked")
  public static Step filter(FilterFunction<?> fn) {
    FilterFunction<Object> f = (FilterFunction<Object>) fn;
    return new Named("filter", input -> new Lookahead() {
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

  @SuppressWarnings("unchecked")
  public static Step flatMap(FlatMapFunction<?, ?> fn) {
    FlatMapFunction<Object, Object> f = (FlatMapFunction<Object, Object>) fn;
    return new Named("flatMap", input -> new Lookahead() {
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
    return new Named("mapPartitions", input -> {
      try {
        return f.apply(input);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new UserCodeException(e);
      }
    });
  }

  /** Applies {@code steps} in order to {@code input}: one fused pipeline. */
  public static Iterator<Object> pipeline(Iterable<Step> steps, Iterator<Object> input) {
    Iterator<Object> it = input;
    for (Step step : steps) {
      it = step.apply(it);
    }
    return it;
  }

  /** The serialisable transform a {@link Named} step applies. */
  private interface Transform extends java.io.Serializable {
    Iterator<Object> apply(Iterator<Object> input);
  }

  private record Named(String name, Transform transform) implements Step {
    @Override
    public Iterator<Object> apply(Iterator<Object> input) {
      return transform.apply(input);
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
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new UserCodeException(e);
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
