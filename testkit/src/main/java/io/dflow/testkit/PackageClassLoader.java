package io.dflow.testkit;

import io.dflow.executor.serde.TrustedClasses;

/**
 * The job class loader of a test's session: it defines nothing (the job's classes are the test's,
 * on the class path, so a record a task returns equals one the test builds), and tells dflow's
 * deserialisation to admit the classes of the test's package and its subpackages.
 */
final class PackageClassLoader extends ClassLoader implements TrustedClasses {
  private final String prefix;

  PackageClassLoader(String packageName, ClassLoader parent) {
    super("dflow-test-" + packageName, parent);
    this.prefix = packageName.isEmpty() ? "" : packageName + ".";
  }

  @Override
  public boolean trusts(Class<?> cls) {
    return !prefix.isEmpty() && cls.getName().startsWith(prefix);
  }
}
