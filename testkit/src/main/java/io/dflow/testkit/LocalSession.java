package io.dflow.testkit;

import io.dflow.api.DflowJob;
import io.dflow.api.JobContext;
import io.dflow.driver.DflowConf;
import io.dflow.driver.JobJar;
import io.dflow.driver.Session;
import io.dflow.executor.LocalDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code local[N]} dflow application inside the test's JVM, for a job's own tests: the job's
 * classes come from the test's class path, tasks run in N slots of this JVM, and everything goes
 * through serialisation as on a cluster, so a closure that would fail there fails here. The
 * classes of the package of the class that starts the session, and of its subpackages, are the
 * job's ({@link #start(int, Map, String)} names another package).
 *
 * <pre>{@code
 * try (LocalSession session = LocalSession.start(2)) {
 *   Dataset<String> lines = session.context().parallelize(List.of("a b", "b"), Encoders.strings());
 *   DatasetAssert.assertContainsExactlyInAnyOrder(lines.flatMap(...), "a", "b", "b");
 *   session.run(new MyJob(), "in.txt", "out");
 * }
 * }</pre>
 *
 * <p>Threading: one test thread at a time uses it.
 */
public final class LocalSession implements AutoCloseable {
  private final Path localDir;
  private final Session session;
  private final JobContext context;

  private LocalSession(Path localDir, Session session) {
    this.localDir = localDir;
    this.session = session;
    this.context = session.newContext();
  }

  /** {@code local[slots]} with dflow's default settings (no event log). */
  public static LocalSession start(int slots) {
    return start(slots, Map.of(), callerPackage());
  }

  /**
   * {@code local[slots]} with settings {@code conf} over the defaults.
   *
   * @throws IllegalArgumentException for an unknown or malformed setting
   */
  public static LocalSession start(int slots, Map<String, String> conf) {
    return start(slots, conf, callerPackage());
  }

  /**
   * {@code local[slots]} with settings {@code conf}, the job's classes those of package
   * {@code jobPackage} and its subpackages.
   */
  public static LocalSession start(int slots, Map<String, String> conf, String jobPackage) {
    if (slots < 1) {
      throw new IllegalArgumentException("a local session needs at least one slot, not " + slots);
    }
    try {
      Path dir = Files.createTempDirectory("dflow-test-");
      Map<String, String> overrides = new LinkedHashMap<>();
      overrides.put(DflowConf.EVENT_LOG_ENABLED, "false");
      overrides.put(DflowConf.LOCAL_DIR, dir.toString());
      overrides.putAll(conf);
      overrides.put(DflowConf.MASTER, "local[" + slots + "]");
      ClassLoader loader = new PackageClassLoader(jobPackage, LocalSession.class.getClassLoader());
      return new LocalSession(dir, Session.start("test", DflowConf.load(null, overrides), JobJar.onClassPath(loader),
          System.err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a local dflow session: " + e.getMessage(), e);
    }
  }

  private static String callerPackage() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
        .map(StackWalker.StackFrame::getDeclaringClass)
        .filter(c -> c != LocalSession.class)
        .findFirst().orElseThrow()).getPackageName();
  }

  /** What a job builds datasets from. */
  public JobContext context() {
    return context;
  }

  /** Runs {@code job} with {@code args} on this session, as {@code dflow run} would. */
  public void run(DflowJob job, String... args) throws Exception {
    job.run(context, args);
  }

  /** Jobs run so far: one per action. */
  public int jobsRun() {
    return session.jobsRun();
  }

  /** Stops the session and removes its scratch folder. */
  @Override
  public void close() {
    try {
      session.close();
    } finally {
      LocalDirs.deleteRecursively(localDir);
    }
  }
}
