package io.dflow.formats;

import io.dflow.api.Encoder;
import java.util.Arrays;
import org.apache.hadoop.io.BooleanWritable;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.DoubleWritable;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;

/**
 * The Hadoop Writable each scalar encoder is stored as in a SequenceFile, and the conversions
 * both ways: strings as {@code Text}, longs {@code LongWritable}, ints {@code IntWritable},
 * doubles {@code DoubleWritable}, booleans {@code BooleanWritable}, byte arrays
 * {@code BytesWritable}.
 */
final class Writables {
  private Writables() {}

  static Class<? extends Writable> classOf(Encoder.Scalar<?> scalar) {
    return switch (scalar.kind()) {
      case STRING -> Text.class;
      case LONG -> LongWritable.class;
      case INT -> IntWritable.class;
      case DOUBLE -> DoubleWritable.class;
      case BOOLEAN -> BooleanWritable.class;
      case BYTES -> BytesWritable.class;
    };
  }

  /** A new, empty holder to read values of {@code scalar} into. */
  static Writable holder(Encoder.Scalar<?> scalar) {
    return switch (scalar.kind()) {
      case STRING -> new Text();
      case LONG -> new LongWritable();
      case INT -> new IntWritable();
      case DOUBLE -> new DoubleWritable();
      case BOOLEAN -> new BooleanWritable();
      case BYTES -> new BytesWritable();
    };
  }

  /** The Java value held in {@code w}. */
  static Object value(Writable w) {
    if (w instanceof Text t) {
      return t.toString();
    }
    if (w instanceof LongWritable l) {
      return l.get();
    }
    if (w instanceof IntWritable i) {
      return i.get();
    }
    if (w instanceof DoubleWritable d) {
      return d.get();
    }
    if (w instanceof BooleanWritable b) {
      return b.get();
    }
    BytesWritable bytes = (BytesWritable) w;
    return Arrays.copyOf(bytes.getBytes(), bytes.getLength());
  }

  /** Sets {@code holder} (made by {@link #holder}) to {@code value}. */
  static Writable set(Writable holder, Object value, String what) {
    if (value == null) {
      throw new IllegalArgumentException("a SequenceFile cannot hold a null " + what);
    }
    if (holder instanceof Text t) {
      t.set((String) value);
    } else if (holder instanceof LongWritable l) {
      l.set((Long) value);
    } else if (holder instanceof IntWritable i) {
      i.set((Integer) value);
    } else if (holder instanceof DoubleWritable d) {
      d.set((Double) value);
    } else if (holder instanceof BooleanWritable b) {
      b.set((Boolean) value);
    } else {
      byte[] bytes = (byte[]) value;
      ((BytesWritable) holder).set(bytes, 0, bytes.length);
    }
    return holder;
  }
}
