package io.dflow.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.function.MapFunction;
import io.dflow.api.plan.Step;
import io.dflow.api.plan.Steps;
import io.dflow.executor.Executor;
import io.dflow.executor.ExecutorConf;
import io.dflow.executor.JarCache;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;
import io.dflow.executor.serde.JobJars;
import io.dflow.planner.TaskSpec;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task whose functions and records are classes of a job jar, loaded through the executor's jar cache. */
class JobJarTaskTest {
  @TempDir
  static Path tmp;
  private static byte[] jar;
  private static String sha;
  /** The driver's side: builds the task with its own copy of the job's classes. */
  private static URLClassLoader driverSide;

  @BeforeAll
  static void buildJar() throws IOException {
    Path path = JobJars.build(tmp.resolve("job"), JobJars.SAMPLE_JOB);
    jar = Files.readAllBytes(path);
    sha = JarCache.sha256(jar);
    driverSide = JobJars.loader(path);
  }

  @AfterAll
  static void closeLoader() throws IOException {
    driverSide.close();
  }

  @SuppressWarnings("unchecked")
  private static Step jobStep(String factory) throws ReflectiveOperationException {
    return Steps.map((MapFunction<Object, Object>) driverSide.loadClass("jobpkg.Functions").getMethod(factory).invoke(null));
  }

  @Test
  void runsAJobsOwnFunctionsAndReturnsItsOwnRecords() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    JarCache jars = new JarCache(tmp.resolve("jars"), requested -> {
      fetches.incrementAndGet();
      assertEquals(sha, requested);
      return jar;
    });
    try (Executor executor = new Executor(new ExecutorConf("exec-1", "localhost", 1, tmp.resolve("local")), jars, null)) {
      TaskSpec spec = Tasks.spec(0, 0, Tasks.slice(List.of(1L, 2L, 3L)), List.of(jobStep("square")), Tasks.collect());
      TaskFinished first = Tasks.run(executor, Tasks.launch(0, spec, sha, List.of()));
      TaskFinished second = Tasks.run(executor, Tasks.launch(1, spec, sha, List.of()));

      ClassLoader jobLoader = jars.loaderFor(sha);
      List<?> points = Tasks.result(first, jobLoader, List.class);
      assertEquals("[Point[x=1, y=1], Point[x=2, y=4], Point[x=3, y=9]]", points.toString());
      assertSame(jobLoader, points.get(0).getClass().getClassLoader(), "records are the job's classes");
      assertEquals(points, Tasks.result(second, jobLoader, List.class));
      assertEquals(1, fetches.get(), "the jar is fetched once per executor");
    }
  }

  @Test
  void withoutTheJarTheTaskFailsNamingTheMissingClass() throws Exception {
    ClassLoader host = getClass().getClassLoader();
    try (Executor executor = new Executor(new ExecutorConf("exec-1", "localhost", 1, tmp.resolve("local2")),
        requested -> host, null)) {
      TaskSpec spec = Tasks.spec(0, 0, Tasks.slice(List.of(1L)), List.of(jobStep("square")), Tasks.collect());
      TaskFinished finished = Tasks.run(executor, Tasks.launch(0, spec, null, List.of()));
      assertFalse(finished.succeeded());
      assertTrue(finished.error().startsWith(
          "java.io.IOException: class not found while reading a serialised object: jobpkg.Functions"), finished.error());
    }
  }

  @Test
  void aJarWhoseBytesDoNotMatchItsHashIsRefused() throws Exception {
    byte[] tampered = jar.clone();
    tampered[tampered.length / 2] ^= 1;
    JarCache jars = new JarCache(tmp.resolve("jars3"), requested -> tampered);
    try (Executor executor = new Executor(new ExecutorConf("exec-1", "localhost", 1, tmp.resolve("local3")), jars, null)) {
      TaskSpec spec = Tasks.spec(0, 0, Tasks.slice(List.of(1L)), List.of(), Tasks.count());
      TaskFinished finished = Tasks.run(executor, Tasks.launch(0, spec, sha, List.of()));
      assertFalse(finished.succeeded());
      assertTrue(finished.error().contains("job jar " + sha + " arrived with hash " + JarCache.sha256(tampered)),
          finished.error());
    }
  }
}
