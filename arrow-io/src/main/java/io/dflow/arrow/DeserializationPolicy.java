package io.dflow.arrow;

import java.io.ObjectInputFilter;
import java.util.Objects;

/**
 * How Java-serialised columns are turned back into objects: classes resolve through
 * {@code classLoader} (normally the job's), and every object, array and reference passes
 * {@code filter} first. There is deliberately no allow-everything default: segments come from
 * other executors. Note that the JDK treats a filter's {@code UNDECIDED} as allowed, so a
 * pattern filter should end with {@code !*}.
 */
public record DeserializationPolicy(ClassLoader classLoader, ObjectInputFilter filter) {
  public DeserializationPolicy {
    Objects.requireNonNull(classLoader, "classLoader");
    Objects.requireNonNull(filter, "filter");
  }
}
