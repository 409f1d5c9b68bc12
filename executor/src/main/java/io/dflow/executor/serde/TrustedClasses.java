package io.dflow.executor.serde;

/**
 * A job class loader that vouches for classes it did not define itself, so that {@link JavaSerde}
 * reads them: a shell's loader for the classes of the shell's own jars (its parent), the test
 * kit's for the test's package on the class path. A class-path library the job loader merely
 * delegates to stays refused.
 */
public interface TrustedClasses {
  /** Whether instances of {@code cls} may be read. */
  boolean trusts(Class<?> cls);
}
