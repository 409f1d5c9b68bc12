package io.dflow.api.plan;

import io.dflow.api.UserCodeException;
import io.dflow.api.function.Function2;
import io.dflow.api.function.MapFunction;
import io.dflow.api.function.ReduceFunction;
import java.io.Serializable;

/**
 * How the values of a key are aggregated: a value starts an aggregate ({@code create}), more
 * values are merged into it ({@code mergeValue}, map side) and aggregates of several map tasks
 * are merged ({@code mergeCombiners}, reduce side). The engine behind {@code reduceByKey},
 * {@code foldByKey}, {@code aggregateByKey} and {@code combineByKey}.
 *
 * @param create null when a value is its own aggregate (reduceByKey)
 */
public record Aggregator(MapFunction<Object, Object> create,
    Function2<Object, Object, Object> mergeValue, ReduceFunction<Object> mergeCombiners)
    implements Serializable {

  /** The aggregator of {@code reduceByKey(fn)}: values are merged with {@code fn} on both sides. */
  public static Aggregator reducing(ReduceFunction<Object> fn) {
    return new Aggregator(null, fn::apply, fn);
  }

  /** True when values and aggregates are the same type (reduceByKey). */
  public boolean valuesAreAggregates() {
    return create == null;
  }

  public Object create(Object value) {
    if (create == null) {
      return value;
    }
    try {
      return create.apply(value);
    } catch (Exception e) {
      throw UserCodeException.of(e);
    }
  }

  public Object mergeValue(Object aggregate, Object value) {
    try {
      // reduceByKey's one function, called directly rather than through the Function2 wrapping it
      return create == null ? mergeCombiners.apply(aggregate, value) : mergeValue.apply(aggregate, value);
    } catch (Exception e) {
      throw UserCodeException.of(e);
    }
  }

  public Object mergeCombiners(Object left, Object right) {
    try {
      return mergeCombiners.apply(left, right);
    } catch (Exception e) {
      throw UserCodeException.of(e);
    }
  }
}
