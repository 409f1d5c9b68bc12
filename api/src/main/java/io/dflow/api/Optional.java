package io.dflow.api;

import java.io.Serializable;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A value that may be absent: the side of an outer join that had no match. Unlike
 * {@code java.util.Optional} it is serialisable, so it can cross a shuffle and be collected.
 * Never holds {@code null}.
 */
public final class Optional<T> implements Serializable {
  private static final Optional<?> EMPTY = new Optional<>(null);

  private final T value;

  private Optional(T value) {
    this.value = value;
  }

  public static <T> Optional<T> of(T value) {
    return new Optional<>(Objects.requireNonNull(value, "Optional.of(null): use empty() or ofNullable"));
  }

  public static <T> Optional<T> ofNullable(T value) {
    return value == null ? empty() : new Optional<>(value);
  }

  @SuppressWarnings("unchecked")
  public static <T> Optional<T> empty() {
    return (Optional<T>) EMPTY;
  }

  public boolean isPresent() {
    return value != null;
  }

  /** The value; throws {@link NoSuchElementException} when absent. */
  public T get() {
    if (value == null) {
      throw new NoSuchElementException("no value present");
    }
    return value;
  }

  public T orElse(T other) {
    return value != null ? value : other;
  }

  public T orNull() {
    return value;
  }

  /** Keeps one shared empty instance after deserialisation. */
  private Object readResolve() {
    return value == null ? EMPTY : this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Optional<?> other && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return value == null ? 0 : StableHash.of(value);
  }

  @Override
  public String toString() {
    return value == null ? "Optional.empty" : "Optional[" + value + "]";
  }
}
