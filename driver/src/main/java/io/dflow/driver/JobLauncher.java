package io.dflow.driver;

import io.dflow.api.DflowJob;
import io.dflow.api.JobContext;
import io.dflow.api.UserCodeException;
import io.dflow.driver.backend.Backends;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one job jar from start to finish and turns every outcome into an exit code and one
 * clear first line on stderr. Exit codes: 0 success, 1 the job failed or could not start.
 */
public final class JobLauncher {
  /** Set by {@code bin/dflow} to whether the process's stderr is a terminal. */
  static final String STDERR_TERMINAL_PROPERTY = "dflow.stderr.terminal";

  private JobLauncher() {}

  /** Runs {@code request}; returns the exit code. */
  public static int run(JobRequest request, PrintStream err) {
    return launch(request, null, err);
  }

  /** Prints the plan of {@code request}'s first action to {@code out} instead of running it. */
  public static int explain(JobRequest request, PrintStream out, PrintStream err) {
    return launch(request, out, err);
  }

  /**
   * Runs {@code job}, one of dflow's own classes (nothing to ship), with the configuration
   * overrides {@code conf}; returns the exit code.
   */
  public static int runBuiltIn(DflowJob job, Map<String, String> conf, PrintStream err) {
    return launch(JobJar::builtIn, jar -> job, new String[0], conf, null, err);
  }

  /** Opens the jar a job comes from. */
  private interface JarOpener {
    JobJar open() throws JobSetupException;
  }

  /** Makes the job from its jar. */
  private interface JobMaker {
    DflowJob make(JobJar jar) throws JobSetupException;
  }

  private static int launch(JobRequest request, PrintStream explainTo, PrintStream err) {
    return launch(() -> JobJar.open(request.jar()), jar -> jar.newJob(request.className()), request.args(),
        request.conf(), explainTo, err);
  }

  /** With a non-null {@code explainTo}, explains instead of running. */
  private static int launch(JarOpener opener, JobMaker maker, String[] args, Map<String, String> overrides,
      PrintStream explainTo, PrintStream err) {
    long start = System.nanoTime();
    ClassLoader callerLoader = Thread.currentThread().getContextClassLoader();
    try {
      Map<String, String> conf = DflowConf.load(dflowHome(), overrides);
      Master master = Master.parse(conf.get(DflowConf.MASTER));
      try (JobJar jar = opener.open()) {
        DflowJob job = maker.make(jar);
        Thread.currentThread().setContextClassLoader(jar.loader());
        if (explainTo != null) {
          return explain(job, args, conf, master, explainTo);
        }
        String appId = AppIds.next();
        Path appDir = Path.of(conf.get(DflowConf.LOCAL_DIR)).resolve(appId);
        ProgressReporter progress = new ProgressReporter(err, stderrIsTerminal());
        try (Session session = new Session(appId, conf, master, Backends.create(master, conf, jar.loader(),
            appDir, DflowConf.executorMemory(conf)), jar, progress)) {
          job.run(session.newContext(), args);
          double seconds = (System.nanoTime() - start) / 1e9;
          err.printf(Locale.ROOT, "application %s succeeded in %.2f s (%s, %s, %s)%n", appId,
              seconds, plural(session.jobsRun(), "job"), plural(session.stagesRun(), "stage"),
              plural(session.tasksRun(), "task"));
          return 0;
        }
      }
    } catch (JobSetupException | JobFailedException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (Exception | LinkageError e) {
      Throwable cause = e instanceof UserCodeException && e.getCause() != null ? e.getCause() : e;
      err.println("error: the job's driver code threw " + cause);
      cause.printStackTrace(err);
      return 1;
    } finally {
      Thread.currentThread().setContextClassLoader(callerLoader);
    }
  }

  private static int explain(DflowJob job, String[] args, Map<String, String> conf,
      Master master, PrintStream out) throws Exception {
    ExplainRunner runner = new ExplainRunner(conf, master.totalSlots(), out);
    try {
      job.run(new JobContext(runner, conf, master.totalSlots()), args);
      out.println("(the job ran no action)");
    } catch (ExplainRunner.Stop stop) {
      // the first action's plan is printed: nothing runs
    }
    return 0;
  }

  private static String plural(int n, String word) {
    return n + " " + (n == 1 ? word : word + "s");
  }

  /**
   * Whether stderr, where progress goes, is a terminal: {@code bin/dflow} knows and says so in
   * {@value #STDERR_TERMINAL_PROPERTY}; otherwise, whether the JVM has a console (which looks at
   * stdin and stdout, not stderr).
   */
  static boolean stderrIsTerminal() {
    String told = System.getProperty(STDERR_TERMINAL_PROPERTY);
    return told != null ? Boolean.parseBoolean(told) : System.console() != null;
  }

  /** {@code DFLOW_HOME}, where {@code conf/dflow-defaults.properties} lives (null: built-in defaults only). */
  static Path dflowHome() {
    String home = System.getProperty("dflow.home", System.getenv("DFLOW_HOME"));
    return home == null || home.isBlank() ? null : Path.of(home);
  }
}
