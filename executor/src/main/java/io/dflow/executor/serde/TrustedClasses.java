package io.dflow.executor.serde;

/**
 * A job class loader that vouches for some classes of the class path by name, so that
 * {@link JavaSerde} reads them although the system class loader defined them. For sessions that
 * run inside a test's JVM ({@code local[N]} from the test kit), whose job classes are the test's
 * own and come from nowhere else; never for a loader whose bytes arrive over the network.
 */
public interface TrustedClasses {
  /** Whether instances of {@code className} may be read. */
  boolean trusts(String className);
}
