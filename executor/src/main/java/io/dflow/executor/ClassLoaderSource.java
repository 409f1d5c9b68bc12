package io.dflow.executor;

import java.io.IOException;

/** Gives the class loader a task's job runs in, by the job jar's SHA-256 (null: no jar). */
@FunctionalInterface
public interface ClassLoaderSource {
  ClassLoader loaderFor(String jarSha256) throws IOException;
}
