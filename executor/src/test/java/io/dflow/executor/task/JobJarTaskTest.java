package io.dflow.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.function.MapFunction;
import io.dflow.api.plan.Action;
import io.dflow.executor.ClassLoaderSource;
import io.dflow.executor.Executor;
import io.dflow.executor.ExecutorConf;
import io.dflow.executor.JarCache;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.TaskEndReason.ExceptionFailure;
import io.dflow.executor.serde.JobJars;
import io.dflow.planner.Stage;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task whose functions and records are classes of a job jar, loaded through the executor's jar cache. */
class JobJarTaskTest {
  private static final Action COLLECT = new Action.Collect(64 << 20);
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

  /** A one-stage job over {@code [1, 2, 3]} through the job jar's {@code factory} function, planned driver side. */
  @SuppressWarnings("unchecked")
  private static Stage jobStage(String factory, Action action) throws ReflectiveOperationException {
    MapFunction<Long, Object> fn = (MapFunction<Long, Object>) driverSide.loadClass("jobpkg.Functions")
        .getMethod(factory).invoke(null);
    Tasks.Planning planning = new Tasks.Planning();
    return planning.plan(planning.context.parallelize(List.of(1L, 2L, 3L), Encoders.longs(), 1)
        .map(fn, Encoders.javaUnchecked(Object.class)), action).resultStage();
  }

  private static Executor executor(String dir, ClassLoaderSource loaders, Tasks.Reports reports) throws IOException {
    return new Executor(new ExecutorConf("exec-1", "localhost", 1, tmp.resolve(dir), 1 << 20), loaders, null,
        id -> {
          throw new IOException("no broadcasts here");
        }, reports);
  }

  @Test
  void runsAJobsOwnFunctionsAndReturnsItsOwnRecords() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    JarCache jars = new JarCache(tmp.resolve("jars"), requested -> {
      fetches.incrementAndGet();
      assertEquals(sha, requested);
      return jar;
    });
    Tasks.Reports reports = new Tasks.Reports();
    try (Executor executor = executor("local", jars, reports)) {
      Stage stage = jobStage("square", COLLECT);
      TaskEnded first = Tasks.run(executor, reports, Tasks.register(stage, sha, Map.of(), Map.of(), null), 0);
      TaskEnded second = Tasks.run(executor, reports, Tasks.register(stage, sha, Map.of(), Map.of(), null), 0);

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
    Tasks.Reports reports = new Tasks.Reports();
    try (Executor executor = executor("local2", requested -> host, reports)) {
      ExceptionFailure failure = Tasks.failure(Tasks.run(executor, reports,
          Tasks.register(jobStage("square", COLLECT)), 0), ExceptionFailure.class);
      assertTrue(failure.stackTrace().startsWith(
          "java.io.IOException: class not found while reading a serialised object: jobpkg.Functions"),
          failure.stackTrace());
    }
  }

  @Test
  void aJarWhoseBytesDoNotMatchItsHashIsRefused() throws Exception {
    byte[] tampered = jar.clone();
    tampered[tampered.length / 2] ^= 1;
    JarCache jars = new JarCache(tmp.resolve("jars3"), requested -> tampered);
    Tasks.Reports reports = new Tasks.Reports();
    try (Executor executor = executor("local3", jars, reports)) {
      Tasks.Planning planning = new Tasks.Planning();
      Stage stage = planning.plan(planning.context.parallelize(List.of(1L), Encoders.longs(), 1),
          new Action.Count()).resultStage();
      ExceptionFailure failure = Tasks.failure(Tasks.run(executor, reports,
          Tasks.register(stage, sha, Map.of(), Map.of(), null), 0), ExceptionFailure.class);
      assertTrue(failure.describe().contains("job jar " + sha + " arrived with hash " + JarCache.sha256(tampered)),
          failure.describe());
    }
  }
}
