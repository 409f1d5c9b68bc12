package io.dflow.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.dflow.api.Pair;
import io.dflow.executor.serde.JobJars;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job class loader: child-first for the job's own copies of libraries, parent-first for dflow and the JDK. */
class JobClassLoaderTest {
  @TempDir
  Path tmp;

  @Test
  void aJobsCopyOfALibraryWinsButDflowAndTheJdkAreShared() throws Exception {
    Path jar = JobJars.build(tmp, Map.of(
        "com/google/common/base/Strings.java",
        "package com.google.common.base;\n"
            + "public final class Strings { public static String version() { return \"the job's copy\"; } }\n",
        "io/dflow/api/Pair.java",
        "package io.dflow.api;\npublic final class Pair { }\n",
        "jobpkg/Main.java",
        "package jobpkg;\npublic final class Main { }\n"));
    ClassLoader host = getClass().getClassLoader();
    try (JobClassLoader job = new JobClassLoader("job", jar.toUri().toURL(), host)) {
      Class<?> strings = job.loadClass("com.google.common.base.Strings");
      assertSame(job, strings.getClassLoader(), "child first");
      assertEquals("the job's copy", strings.getMethod("version").invoke(null));

      assertSame(Pair.class, job.loadClass("io.dflow.api.Pair"), "dflow's api is shared with the host");
      assertSame(String.class, job.loadClass("java.lang.String"));
      assertSame(job, job.loadClass("jobpkg.Main").getClassLoader());
      // classes only the host has still resolve, through the parent
      assertSame(com.google.common.collect.ImmutableList.class, job.loadClass("com.google.common.collect.ImmutableList"));
    }
  }
}
