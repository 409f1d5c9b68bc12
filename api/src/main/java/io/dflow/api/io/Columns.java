package io.dflow.api.io;

import io.dflow.api.Encoder;
import java.util.List;

/**
 * The typed columns of the records a columnar file (Arrow, Parquet) or a SequenceFile holds:
 * a scalar record is one column, a pair of scalars two (its key, then its value). Other records
 * (nested pairs, Java objects) have no columns of their own: map them to these first.
 */
public final class Columns {
  private Columns() {}

  /** The scalar fields of {@code encoder}'s records, in column order. */
  public static List<Encoder.Scalar<?>> of(Encoder<?> encoder) {
    if (encoder instanceof Encoder.Scalar<?> scalar) {
      return List.of(scalar);
    }
    if (encoder instanceof Encoder.PairOf<?, ?> pair
        && pair.key() instanceof Encoder.Scalar<?> key && pair.value() instanceof Encoder.Scalar<?> value) {
      return List.of(key, value);
    }
    return null;
  }

  /** The column names dflow writes for {@code encoder}: {@code value}, or {@code key} and {@code value}. */
  public static List<String> defaultNames(Encoder<?> encoder) {
    return encoder instanceof Encoder.PairOf<?, ?> ? List.of("key", "value") : List.of("value");
  }

  /**
   * Checks that {@code encoder}'s records are a scalar or a pair of scalars.
   *
   * @throws IllegalArgumentException naming {@code what} and the encoder otherwise
   */
  public static List<Encoder.Scalar<?>> requireScalars(String what, Encoder<?> encoder) {
    List<Encoder.Scalar<?>> columns = of(encoder);
    if (columns == null) {
      throw new IllegalArgumentException(what + " holds records of scalars or pairs of scalars, not "
          + encoder.describe() + ": map the records to those first");
    }
    return columns;
  }

  /** Like {@link #requireScalars}, also checking that {@code names} (when any) are one per column. */
  public static void requireColumns(String what, Encoder<?> encoder, String... names) {
    List<Encoder.Scalar<?>> columns = requireScalars(what, encoder);
    if (names.length != 0 && names.length != columns.size()) {
      throw new IllegalArgumentException(what + " with records of " + encoder.describe() + " needs "
          + columns.size() + (columns.size() == 1 ? " column name" : " column names") + ", got " + names.length);
    }
  }
}
