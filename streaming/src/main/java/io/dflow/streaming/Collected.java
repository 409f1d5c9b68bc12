package io.dflow.streaming;

import io.dflow.api.Pair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.OutputCollector;

/**
 * What a Java mapper, combiner or reducer collects, queued as records until the task takes them:
 * as key and value bytes for the shuffle, or as the line Hadoop's {@code TextOutputFormat} writes
 * for the job's output. A {@link Text} gives its bytes unchanged, any other value its
 * {@code toString()} in UTF-8; a null or {@link NullWritable} is empty bytes for the shuffle,
 * and is left out of an output line with its separator, as {@code TextOutputFormat} does.
 *
 * @param <R> the record: a {@code Pair<byte[], byte[]>} or a line
 */
final class Collected<R> implements OutputCollector<Object, Object> {
  private static final byte[] EMPTY = {};

  /** Shapes a collected key and value into a record, or null for none. */
  interface Shape<R> {
    R of(Object key, Object value);
  }

  private final Shape<R> shape;
  private final ArrayDeque<R> queue = new ArrayDeque<>();

  private Collected(Shape<R> shape) {
    this.shape = shape;
  }

  /** Key and value bytes, for the shuffle. */
  static Collected<Pair<byte[], byte[]>> pairs() {
    return new Collected<>((key, value) -> Pair.of(bytes(key), bytes(value)));
  }

  /** Lines as {@code TextOutputFormat} writes them, key and value joined by {@code separator}. */
  static Collected<byte[]> lines(byte[] separator) {
    return new Collected<>((key, value) -> {
      boolean noKey = isNull(key);
      boolean noValue = isNull(value);
      if (noKey && noValue) {
        return null;
      }
      return noKey ? bytes(value) : noValue ? bytes(key) : FieldSplit.concat(bytes(key), separator, bytes(value));
    });
  }

  @Override
  public void collect(Object key, Object value) {
    R record = shape.of(key, value);
    if (record != null) {
      queue.add(record);
    }
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  R take() {
    return queue.remove();
  }

  private static boolean isNull(Object w) {
    return w == null || w instanceof NullWritable;
  }

  private static byte[] bytes(Object w) {
    if (w instanceof Text text) {
      return Arrays.copyOf(text.getBytes(), text.getLength());
    }
    return isNull(w) ? EMPTY : w.toString().getBytes(StandardCharsets.UTF_8);
  }
}
